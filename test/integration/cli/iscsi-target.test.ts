import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { iscsiTargetInput, parseSize } from '../../../src/cli/commands/iscsi-target.js';
import { InvalidParameterValue } from '../../../src/index.js';
import { rawDiskImage, sha256 } from '../../helpers/disk-tools.js';

const exec = promisify(execFile);
const ROOT = resolve(__dirname, '../../..');
const MIB = 1 << 20;
const IQN = 'iqn.2026-01.test.ironic-ilo:cli-target';
const SECRET = 'CANARY-cli-target-chap-61d0';

interface Served {
  address: string;
  port: number;
  iqn: string;
  lun: number;
  url: string;
  sizeBytes: number;
  path: string | null;
}

function serve(args: string[], env: NodeJS.ProcessEnv = {}): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'iscsi-target', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr!.on('data', (d) => (output += String(d)));
  return { child, output: () => output };
}

async function firstLine(child: ChildProcess): Promise<Served> {
  for await (const line of createInterface({ input: child.stdout! })) return JSON.parse(line) as Served;
  throw new Error('ironic-ilo iscsi-target printed nothing');
}

const exited = (child: ChildProcess): Promise<number | null> =>
  new Promise((done) =>
    child.exitCode !== null ? done(child.exitCode) : child.once('exit', (c) => done(c)),
  );

async function iscsiWrite(args: string[], env: NodeJS.ProcessEnv = {}) {
  return exec(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'iscsi-write', '--json', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
  });
}

describe('ironic-ilo iscsi-target', () => {
  let dir: string;
  let image: { path: string; signature: string };
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ironic-ilo-cli-target-'));
    image = await rawDiskImage(dir, 8 * MIB);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('serves a disk that `ironic-ilo iscsi-write` writes, with CHAP, and removes its temp file on SIGTERM', async () => {
    const env = { ISCSI_CHAP_SECRET: SECRET };
    const { child, output } = serve(
      ['--iqn', IQN, '--size', '64M', '--chap-username', 'ironic', '--verbose'],
      env,
    );
    const done = exited(child);
    const served = await firstLine(child);
    expect(served).toMatchObject({ address: '127.0.0.1', iqn: IQN, lun: 1, sizeBytes: 64 * MIB });
    expect(served.url).toBe(`iscsi://127.0.0.1:${served.port}/${IQN}/1`);
    const { stdout } = await iscsiWrite(
      [
        '--portal',
        `127.0.0.1:${served.port}`,
        '--iqn',
        IQN,
        '--image',
        image.path,
        '--chap-username',
        'ironic',
      ],
      env,
    );
    expect(JSON.parse(stdout)).toMatchObject({ diskIdentifier: image.signature, imageFormat: 'raw' });
    expect(await sha256(served.path!, 0, 8 * MIB)).toBe(await sha256(image.path));
    child.kill('SIGTERM');
    expect(await done).toBe(0);
    expect(existsSync(served.path!)).toBe(false);
    expect(output()).toContain('iSCSI session open');
    expect(output()).not.toContain(SECRET);
  });

  it('serves an existing file and keeps it', async () => {
    const { child } = serve(['--iqn', IQN, '--file', image.path, '--tgt-defaults']);
    const done = exited(child);
    const served = await firstLine(child);
    expect(served).toMatchObject({ sizeBytes: 8 * MIB, path: image.path });
    child.kill('SIGINT');
    expect(await done).toBe(0);
    expect(existsSync(image.path)).toBe(true);
  });

  it('names every bad flag at once, and exits 2', async () => {
    expect(parseSize('3T')).toBe(3 * 2 ** 40);
    expect(parseSize('512MiB')).toBe(512 * MIB);
    expect(parseSize('lots')).toBeUndefined();
    const e = (() => {
      try {
        iscsiTargetInput(
          {
            iqn: IQN,
            size: 'lots',
            port: '70000',
            blockSize: '1024',
            memory: true,
            file: 'x',
            chapUsername: 'u',
          },
          {},
        );
      } catch (x) {
        return x;
      }
    })();
    expect(e).toBeInstanceOf(InvalidParameterValue);
    expect((e as InvalidParameterValue).fields.map((f) => f.field)).toEqual([
      '--size',
      '--port',
      '--block-size',
      '--memory',
      'ISCSI_CHAP_SECRET',
    ]);
    const { child, output } = serve(['--iqn', 'not-an-iqn']);
    expect(await exited(child)).toBe(2);
    expect(output().trim().split('\n')).toHaveLength(1);
    expect(output()).toContain('targets[0].iqn');
  });
});
