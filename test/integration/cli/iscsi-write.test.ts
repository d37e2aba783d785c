import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { iscsiWriteInput } from '../../../src/cli/commands/iscsi.js';
import { InvalidParameterValue } from '../../../src/index.js';
import { blkid, configDrive, ext4Image, rawDiskImage, sfdisk, sha256 } from '../../helpers/disk-tools.js';
import { describeWithPeers } from '../../helpers/peers.js';
import { startTgt, type Tgt } from '../../helpers/tgt.js';

const exec = promisify(execFile);
const ROOT = resolve(__dirname, '../../..');
const MIB = 1 << 20;
const IQN = 'iqn.2026-01.test.ironic-ilo:cli';

/** Runs the CLI from source as a user would (tsx), with its exit code and both streams. */
async function cli(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), ...args],
      { cwd: ROOT, env: { ...process.env, ...env } },
    );
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('iscsi-write flags', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ironic-ilo-cli-'));
    writeFileSync(join(dir, 'img'), Buffer.alloc(4096));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('names every bad flag at once', () => {
    try {
      iscsiWriteInput(
        { portal: 'h:0', iqn: 'x', lun: '-1', image: join(dir, 'missing'), partition: true, bootMode: 'efi' },
        {},
      );
      throw new Error('expected a rejection');
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidParameterValue);
      expect((e as InvalidParameterValue).fields.map((f) => f.field)).toEqual([
        '--portal',
        '--lun',
        '--image',
        '--root-gb',
        '--boot-mode',
      ]);
    }
  });

  it('parses portals, defaults the port to 3260 and the LUN to 1, reads the CHAP secret from the environment', () => {
    const input = iscsiWriteInput(
      { portal: '[fd00::5]', iqn: 'iqn.2008-10.org.openstack:n', image: join(dir, 'img'), chapUsername: 'u' },
      { ISCSI_CHAP_SECRET: 's3cret' },
    );
    expect(input.target).toEqual({
      address: 'fd00::5',
      port: 3260,
      iqn: 'iqn.2008-10.org.openstack:n',
      lun: 1,
      chap: { username: 'u', secret: 's3cret' },
    });
    expect(input.request.partitions).toBeUndefined();
  });

  it('refuses a CHAP user without a secret, and layout flags without --partition', () => {
    expect(() =>
      iscsiWriteInput(
        { portal: 'h:3260', iqn: 'i', image: join(dir, 'img'), chapUsername: 'u', swapMb: '5' },
        {},
      ),
    ).toThrow(/ISCSI_CHAP_SECRET.*--swap-mb needs --partition/);
  });
});

const withTgt = describeWithPeers('tgt', {
  commands: ['tgtd', 'tgtadm', 'sfdisk', 'blkid', 'mkfs.ext4', 'genisoimage'],
});

withTgt('ironic-ilo iscsi-write against a real tgt', () => {
  let tgt: Tgt;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ironic-ilo-cli-tgt-'));
    tgt = await startTgt([
      {
        iqn: IQN,
        luns: [
          { lun: 1, sizeBytes: 64 * MIB },
          { lun: 2, sizeBytes: 2048 * MIB },
        ],
        chap: { username: 'cli', secret: 'CANARY-cli-chap-91ab' },
      },
    ]);
  });
  afterAll(async () => {
    await tgt?.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  /** `iscsi-write` aimed at the test target as the CHAP user `cli`. */
  const write = () => [
    'iscsi-write',
    '--json',
    '--portal',
    `${tgt.host}:${tgt.port}`,
    '--iqn',
    IQN,
    '--chap-username',
    'cli',
  ];

  it('writes a whole-disk image and prints one JSON line', async () => {
    const raw = await rawDiskImage(dir, 8 * MIB);
    const secretFile = join(dir, 'chap');
    writeFileSync(secretFile, 'CANARY-cli-chap-91ab\n');
    const r = await cli([...write(), '--image', raw.path, '--chap-secret-file', secretFile]);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const out = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(out).toMatchObject({ rootUuid: null, diskIdentifier: raw.signature, imageSize: 8 * MIB });
    expect(typeof out.bytesWritten).toBe('number');
    expect(await sha256(tgt.backing(IQN, 1), 0, 8 * MIB)).toBe(await sha256(raw.path));
  });

  it('deploys a partition image and prints the root UUID', async () => {
    const ext4 = await ext4Image(dir, 16);
    const cd = await configDrive(dir);
    writeFileSync(join(dir, 'configdrive.b64'), cd.encoded);
    const r = await cli(
      [
        ...write(),
        '--lun',
        '2',
        '--image',
        ext4.path,
        '--partition',
        '--root-gb',
        '1',
        '--swap-mb',
        '32',
        '--ephemeral-gb',
        '0',
        '--boot-mode',
        'uefi',
        '--configdrive',
        join(dir, 'configdrive.b64'),
      ],
      { ISCSI_CHAP_SECRET: 'CANARY-cli-chap-91ab' },
    );
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { rootUuid: string; efiSystemPartitionUuid: string };
    expect(out.rootUuid).toBe(ext4.uuid);
    const table = await sfdisk(tgt.backing(IQN, 2));
    expect(table.label).toBe('gpt');
    const root = table.partitions[2]!;
    expect((await blkid(tgt.backing(IQN, 2), root.start * 512, root.size * 512)).UUID).toBe(ext4.uuid);
  });

  it('fails on one line with exit code 1 and no secret when CHAP is wrong', async () => {
    const raw = await rawDiskImage(dir, MIB, 'small.raw');
    const r = await cli([...write(), '--image', raw.path], { ISCSI_CHAP_SECRET: 'CANARY-wrong-cli-77' });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^IscsiLoginFailed \[ISCSI_LOGIN_FAILED\]: .*authentication-failed.*\n$/);
    expect(r.stderr).not.toContain('CANARY');
  });
});
