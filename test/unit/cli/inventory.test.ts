import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../../src/cli/fleet/csv.js';
import { type FleetDefaults, loadInventory, readInventory } from '../../../src/cli/fleet/inventory.js';
import { InvalidParameterValue } from '../../../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'cli-inventory-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const defaults: FleetDefaults = { username: 'Administrator', password: 'shared-pw', insecure: false };

/** The fields an InvalidParameterValue names, or fails the test. */
function fieldsOf(fn: () => unknown): Array<{ field: string; problem: string }> {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidParameterValue);
    return [...(e as InvalidParameterValue).fields];
  }
  throw new Error('expected an InvalidParameterValue');
}

describe('parseCsv', () => {
  it('reads quoted fields, doubled quotes, line breaks in quotes, CRLF, comments and blank lines', () => {
    const text = '# inventory\r\naddress,username\r\n"10.0.0.5","a,""b"""\r\n\r\n10.0.0.6,"two\nlines"\n';
    expect(parseCsv(text)).toEqual([
      { line: 2, cells: ['address', 'username'] },
      { line: 3, cells: ['10.0.0.5', 'a,"b"'] },
      { line: 5, cells: ['10.0.0.6', 'two\nlines'] },
    ]);
  });
});

describe('loadInventory', () => {
  mkdirSync(join(dir, 'pw'), { recursive: true });
  writeFileSync(join(dir, 'pw', 'ilo6'), 'own-pw\n');
  writeFileSync(join(dir, 'ca.pem'), 'not really a CA');

  it('reads the four formats to the same targets, relative paths from the inventory', () => {
    const expected = [
      {
        name: '10.0.0.5',
        connection: { address: '10.0.0.5', username: 'Administrator', password: 'shared-pw' },
      },
      {
        name: '10.0.0.6:8443',
        connection: { address: '10.0.0.6', port: 8443, username: 'admin', password: 'own-pw' },
      },
    ];
    const sources = [
      file(
        'ilos.json',
        JSON.stringify([
          { address: '10.0.0.5' },
          { address: '10.0.0.6', port: 8443, username: 'admin', passwordFile: 'pw/ilo6' },
        ]),
      ),
      file(
        'ilos.jsonl',
        '{"address":"10.0.0.5"}\n# a comment\n{"address":"10.0.0.6","port":"8443","username":"admin","password_file":"pw/ilo6"}\n',
      ),
      file('ilos.csv', 'Address,Port,Username,Password_File\n10.0.0.5,,,\n10.0.0.6,8443,admin,pw/ilo6\n'),
    ];
    for (const path of sources) {
      const targets = loadInventory(path, defaults);
      expect(targets.map(({ name, connection }) => ({ name, connection }))).toMatchObject(expected);
      expect(targets[0]!.connection).not.toHaveProperty('port');
    }
    const txt = file('ilos.txt', '10.0.0.5   # rack 1\n\nadmin@10.0.0.6:8443\n');
    expect(loadInventory(txt, defaults).map((t) => t.name)).toEqual(['10.0.0.5', '10.0.0.6:8443']);
  });

  it('reads IPv6 addresses in the line format, bracketed with a port or bare', () => {
    const txt = file('v6.txt', '[fd00::5]:443\nfd00::6\nroot@[fd00::7]\n');
    expect(readInventory(txt, []).map((e) => [e.address, e.port, e.username])).toEqual([
      ['fd00::5', '443', undefined],
      ['fd00::6', undefined, undefined],
      ['fd00::7', undefined, 'root'],
    ]);
  });

  it('takes the flags for what an entry leaves out, its own CA file and TLS setting otherwise', () => {
    const path = file(
      'tls.json',
      JSON.stringify([
        { address: 'a' },
        { address: 'b', caFile: 'ca.pem' },
        { address: 'c', insecure: 'yes' },
      ]),
    );
    const targets = loadInventory(path, { ...defaults, port: 8443, insecure: false });
    expect(targets.map((t) => [t.name, t.connection.caFile, t.connection.insecure])).toEqual([
      ['a:8443', undefined, false],
      ['b:8443', join(dir, 'ca.pem'), false],
      ['c:8443', undefined, true],
    ]);
  });

  it('refuses passwords written in the inventory, and unknown keys, naming each', () => {
    const path = file(
      'secret.json',
      JSON.stringify([
        { address: 'a', password: 'CANARY-inv-1' },
        { address: 'b', adress: 'x' },
      ]),
    );
    const fields = fieldsOf(() => loadInventory(path, defaults));
    expect(fields.map((f) => f.field)).toEqual(['secret.json[0] password', 'secret.json[1] adress']);
    expect(fields[0]!.problem).toContain('passwordFile');
    expect(JSON.stringify(fields)).not.toContain('CANARY-inv-1');
  });

  it('names every bad entry at once: missing address, bad port, duplicate, unreadable password file', () => {
    expect(
      fieldsOf(() => loadInventory(file('noaddr.csv', 'address,port\n,443\n10.0.0.1,\n'), defaults)),
    ).toEqual([{ field: 'noaddr.csv:2 address', problem: 'required' }]);
    const path = file(
      'bad.csv',
      'address,port,password_file\n10.0.0.1,99999,\n10.0.0.2,,pw/none\n10.0.0.3,,\n10.0.0.3,,\n',
    );
    const fields = fieldsOf(() => loadInventory(path, defaults));
    expect(fields.map((f) => f.field)).toEqual(['bad.csv:2 port', 'bad.csv:3 passwordFile', 'bad.csv:5']);
    expect(fields[2]!.problem).toBe('10.0.0.3 is listed twice (first at bad.csv:4)');
  });

  it('needs a password from somewhere for every entry', () => {
    const path = file('nopw.txt', 'a\nb\n');
    const { password: _, ...none } = defaults;
    expect(fieldsOf(() => loadInventory(path, none)).map((f) => f.field)).toEqual([
      'nopw.txt:1 passwordFile',
      'nopw.txt:2 passwordFile',
    ]);
  });

  it('rejects an empty inventory, a JSON that is not an array, and a missing file', () => {
    expect(fieldsOf(() => loadInventory(file('empty.txt', '# nothing\n'), defaults))).toEqual([
      { field: 'empty.txt', problem: 'lists no iLO' },
    ]);
    expect(fieldsOf(() => loadInventory(file('obj.json', '{"address":"a"}'), defaults))[0]!.problem).toBe(
      'must be a JSON array of iLOs',
    );
    expect(fieldsOf(() => loadInventory(join(dir, 'missing.csv'), defaults))[0]!.field).toBe('--file');
  });
});
