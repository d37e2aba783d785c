import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCaptured } from '../../helpers/cli.js';
import { MODELS, useSimulator } from '../../helpers/oob.js';
import { freePorts } from '../../helpers/processes.js';

const PASSWORD = 'fleet-CANARY-pw-5';
const NODES = 200;
/** Which simulated iLOs misbehave, and how. */
const OWN_PASSWORD = [0, 1, 2, 3, 4]; // their own password, from a passwordFile: they work
const WRONG_PASSWORD = [5, 6, 7, 8, 9, 10, 11, 12, 13, 14]; // ILO_LOGIN_FAILED
const SLOW = [15, 16, 17, 18, 19]; // answer after the budget: ILO_TIMEOUT
const DROPPING = [20, 21, 22, 23, 24]; // cut every connection: ILO_CONNECTION_ERROR
const FAILING = [25, 26, 27, 28, 29]; // answer an error status: ILO_OPERATION_ERROR
const OFF = (i: number) => i % 7 === 3;

const sim = useSimulator({
  nodes: Array.from({ length: NODES }, (_, i) => ({
    model: MODELS[i % 3],
    power: OFF(i) ? ('OFF' as const) : ('ON' as const),
    ...(OWN_PASSWORD.includes(i) ? { password: 'own-CANARY-pw-6' } : {}),
    ...(WRONG_PASSWORD.includes(i) ? { password: 'rotated-elsewhere' } : {}),
  })),
  password: PASSWORD,
});

let dir: string;
let closedPorts: number[];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cli-fleet-'));
  writeFileSync(join(dir, 'own.pw'), 'own-CANARY-pw-6\n');
  closedPorts = await freePorts(5);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Injects this run's faults again (each fault is consumed by the requests it answers). */
function injectFaults(): void {
  for (const i of SLOW) sim().node(i).faults.delayNext(50, 120_000);
  for (const i of DROPPING) sim().node(i).faults.dropNext(50);
  for (const i of FAILING) sim().node(i).faults.failNext(1, { status: '0x0001', message: 'Internal error' });
}

function clearFaults(): void {
  for (const node of sim().nodes) node.faults.clear();
}

/** A CSV inventory of every simulated iLO and a few closed ports; the first five name their own password file. */
function csvInventory(): string {
  const rows = sim().nodes.map(
    (n, i) => `${n.address},${n.port},,${OWN_PASSWORD.includes(i) ? 'own.pw' : ''}`,
  );
  const path = join(dir, 'ilos.csv');
  writeFileSync(
    path,
    ['address,port,username,password_file', ...rows, ...closedPorts.map((p) => `127.0.0.1,${p},,`)].join(
      '\n',
    ),
  );
  return path;
}

const fleet = (...args: string[]) => runCaptured(['fleet', ...args], { ILO_PASSWORD: PASSWORD });

describe('ironic-ilo fleet, 200 simulated iLOs with faults', () => {
  it('reads the power of every iLO, bounded, and counts the failures by error code', async () => {
    const inventory = csvInventory();
    injectFaults();
    let run: Awaited<ReturnType<typeof fleet>>;
    try {
      run = await fleet(
        '--file',
        inventory,
        '--ca-file',
        sim().caFile,
        '--concurrency',
        '24',
        // Long enough for a dropping iLO's three attempts on a loaded machine: those must end
        // as connection errors, and only the slow ones as timeouts.
        '--timeout',
        '10',
        'power',
        'status',
        '--json',
      );
    } finally {
      clearFaults();
    }
    const lines = run.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const summary = lines.pop();
    expect(summary).toEqual({
      summary: {
        total: 205,
        ok: 175,
        failed: 30,
        notRun: 0,
        failures: { ILO_CONNECTION_ERROR: 10, ILO_LOGIN_FAILED: 10, ILO_OPERATION_ERROR: 5, ILO_TIMEOUT: 5 },
      },
    });
    expect(lines).toHaveLength(205);
    const byName = new Map(lines.map((l) => [l.ilo as string, l]));
    const bad = new Set([...WRONG_PASSWORD, ...SLOW, ...DROPPING, ...FAILING]);
    sim().nodes.forEach((n, i) => {
      const line = byName.get(`${n.address}:${n.port}`);
      if (bad.has(i)) expect(line?.ok).toBe(false);
      else
        expect(line).toEqual({
          ilo: `${n.address}:${n.port}`,
          ok: true,
          result: { powerState: OFF(i) ? 'power off' : 'power on' },
        });
    });
    const timeout = byName.get(`127.0.0.1:${sim().node(SLOW[0]!).port}`);
    expect(timeout?.error).toMatchObject({ reason: 'ILO_TIMEOUT' });
    expect(run.code).toBe(1);
    expect(run.err).toBe('ironic-ilo: 30 of 205 iLOs failed\n');
    expect(run.out + run.err).not.toContain('CANARY');
  });

  it('prints info as a table in inventory order with a summary, exit 0 when all answered', async () => {
    const path = join(dir, 'some.txt');
    const some = sim().nodes.slice(30, 60);
    writeFileSync(
      path,
      `# thirty iLOs\n${some.map((n) => `Administrator@${n.address}:${n.port}`).join('\n')}\n`,
    );
    const { code, out, err } = await fleet('--file', path, 'info', '--ca-file', sim().caFile);
    expect({ code, err }).toEqual({ code: 0, err: '' });
    const lines = out.trimEnd().split('\n');
    expect(lines[0]).toMatch(
      /^ILO +STATUS +PRODUCT +ILO FW +POWER +BOOT MODE +SECURE BOOT +NEXT BOOT +CDROM$/,
    );
    expect(lines.slice(1, 31).map((l) => l.split(/\s+/)[0])).toEqual(
      some.map((n) => `${n.address}:${n.port}`),
    );
    expect(lines[1]).toMatch(
      /^127\.0\.0\.1:\d+ +OK +ProLiant DL380 G7 +1\.82 Jan 15 2015 +ON +- +- +CDROM \(persistent\) +empty$/,
    );
    expect(lines.at(-1)).toBe('30 iLOs: 30 OK, 0 failed');
  });

  it('reads one virtual media device across a JSON inventory with per-iLO ports', async () => {
    const path = join(dir, 'ilos.json');
    const some = sim().nodes.slice(60, 64);
    writeFileSync(path, JSON.stringify(some.map((n) => ({ address: n.address, port: n.port }))));
    const { code, out } = await fleet(
      '--file',
      path,
      '--ca-file',
      sim().caFile,
      'vmedia',
      'status',
      '--device',
      'cdrom',
      '--json',
    );
    expect(code).toBe(0);
    const lines = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { result?: Record<string, unknown> });
    expect(lines.slice(0, 4).map((l) => Object.keys(l.result ?? {}))).toEqual([
      ['cdrom'],
      ['cdrom'],
      ['cdrom'],
      ['cdrom'],
    ]);
  });

  it('refuses a bad inventory before contacting any iLO, naming every bad entry', async () => {
    const path = join(dir, 'bad.jsonl');
    writeFileSync(
      path,
      '{"address":"127.0.0.1","port":0}\n{"host":"x"}\n{"address":"127.0.0.1","password":"CANARY-inline"}\n',
    );
    const before = sim().nodes.reduce((n, node) => n + node.log.length, 0);
    const { code, out, err } = await fleet('--file', path, 'info');
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toMatch(
      /^InvalidParameterValue \[INVALID_PARAMETER_VALUE\]: bad\.jsonl:2 host unknown key .*; bad\.jsonl:2 address required; bad\.jsonl:3 password inventories hold no passwords.*; bad\.jsonl:1 port must be 1–65535; /,
    );
    expect(err).not.toContain('CANARY-inline');
    expect(sim().nodes.reduce((n, node) => n + node.log.length, 0)).toBe(before);
  });
});
