import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { IscsiTargetSimulator, TGT_NEGOTIATION } from '../../../src/testing/index.js';
import { rawDiskImage, sha256 } from '../../helpers/disk-tools.js';
import { describeWithPeers } from '../../helpers/peers.js';

const exec = promisify(execFile);
const withLibiscsi = describeWithPeers('libiscsi-bin', {
  commands: ['iscsi-ls', 'iscsi-inq', 'iscsi-readcapacity16', 'iscsi-perf', 'iscsi-test-cu'],
});
const withQemuIscsi = describeWithPeers('qemu-img with libiscsi (qemu-block-extra)', {
  commands: ['qemu-img'],
  files: ['/usr/lib/x86_64-linux-gnu/qemu/block-iscsi.so'],
});

const DISK = 'iqn.2026-01.test.ironic-ilo:libiscsi-disk';
const THIN = 'iqn.2026-01.test.ironic-ilo:libiscsi-thin';
const CHAP = 'iqn.2026-01.test.ironic-ilo:libiscsi-chap';
const SLOW = 'iqn.2026-01.test.ironic-ilo:libiscsi-tgt-defaults';
const MIB = 1 << 20;
const TIB = 2 ** 40;
const account = { username: 'ironic', secret: 'libiscsi-secret-1' };
const targetAccount = { username: 'ramdisk', secret: 'libiscsi-secret-2' };

let sim: IscsiTargetSimulator;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ironic-ilo-libiscsi-'));
  sim = await IscsiTargetSimulator.start({
    tempDirectory: dir,
    targets: [
      {
        iqn: DISK,
        luns: [
          { lun: 1, sizeBytes: 64 * MIB },
          { lun: 2, sizeBytes: 32 * MIB, blockSize: 4096, storage: 'memory' },
        ],
      },
      {
        iqn: THIN,
        luns: [
          { lun: 1, sizeBytes: 3 * TIB, thin: true },
          // iscsi-test-cu's 10-byte CDB tests assume fewer than 2^32 blocks.
          { lun: 2, sizeBytes: 64 * MIB, thin: true },
        ],
      },
      {
        iqn: CHAP,
        luns: [{ sizeBytes: 8 * MIB, storage: 'memory' }],
        chap: account,
        mutualChap: targetAccount,
      },
      { iqn: SLOW, luns: [{ sizeBytes: 64 * MIB }], negotiation: TGT_NEGOTIATION },
    ],
  });
});
afterAll(async () => {
  await sim?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs a libiscsi tool with only the CHAP variables given (never on the command line). */
async function tool(cmd: string, args: string[], env: Record<string, string> = {}) {
  const clean = { ...process.env, ...env };
  for (const k of Object.keys(clean)) if (k.startsWith('LIBISCSI_') && !(k in env)) delete clean[k];
  return exec(cmd, args, { env: clean, timeout: 120_000, maxBuffer: 64 << 20 });
}

withLibiscsi('libiscsi’s tools against the simulated target', () => {
  it('iscsi-ls discovers every target (SendTargets) and lists their LUNs with sizes', async () => {
    // One-way CHAP credentials, for the CHAP target; the others answer AuthMethod=None.
    const env = { LIBISCSI_CHAP_USERNAME: account.username, LIBISCSI_CHAP_PASSWORD: account.secret };
    const { stdout } = await tool('iscsi-ls', ['-s', `iscsi://127.0.0.1:${sim.port}`], env);
    expect(stdout).toContain(`Target:${DISK} Portal:127.0.0.1:${sim.port},1`);
    expect(stdout).toContain(`Target:${THIN} Portal:127.0.0.1:${sim.port},1`);
    expect(stdout).toContain(`Target:${CHAP} Portal:127.0.0.1:${sim.port},1`);
    expect(stdout).toMatch(/Lun:1\s+Type:DIRECT_ACCESS \(Size:63M\)/);
    expect(stdout).toMatch(/Lun:2\s+Type:DIRECT_ACCESS \(Size:31M\)/);
    expect(sim.stats.failedLogins).toBe(0);
  });

  it('iscsi-inq reads the standard page and the VPD pages', async () => {
    const standard = (await tool('iscsi-inq', [sim.url(DISK)])).stdout;
    expect(standard).toContain('Peripheral Device Type:DIRECT_ACCESS');
    expect(standard).toMatch(/Vendor:IRONIC\s*\nProduct:SIMULATED DISK/);
    const pages = (await tool('iscsi-inq', ['-e', '1', '-c', '0', sim.url(THIN)])).stdout;
    for (const p of [
      'UNIT_SERIAL_NUMBER',
      'DEVICE_IDENTIFICATION',
      'BLOCK_LIMITS',
      'LOGICAL_BLOCK_PROVISIONING',
    ])
      expect(pages).toContain(p);
    const serial = (await tool('iscsi-inq', ['-e', '1', '-c', '128', sim.url(THIN)])).stdout;
    expect(serial).toContain(sim.lun(THIN).serial);
  });

  it('iscsi-readcapacity16 sees a 3 TiB thin LUN', async () => {
    const { stdout } = await tool('iscsi-readcapacity16', [sim.url(THIN)]);
    expect(stdout).toContain(`RETURNED LOGICAL BLOCK ADDRESS:${(3 * TIB) / 512 - 1}`);
    expect(stdout).toContain('LBPME:1 LBPRZ:1');
    expect(stdout).toContain(`Total size:${3 * TIB}`);
  });

  it('logs libiscsi in with CHAP and mutual CHAP, and refuses it a wrong secret', async () => {
    const env = {
      LIBISCSI_CHAP_USERNAME: account.username,
      LIBISCSI_CHAP_PASSWORD: account.secret,
      LIBISCSI_CHAP_TARGET_USERNAME: targetAccount.username,
      LIBISCSI_CHAP_TARGET_PASSWORD: targetAccount.secret,
    };
    const logins = sim.stats.logins;
    expect((await tool('iscsi-inq', [sim.url(CHAP)], env)).stdout).toContain('Vendor:IRONIC');
    expect(sim.stats.logins).toBe(logins + 1);
    const failed = sim.stats.failedLogins;
    const e = await tool('iscsi-inq', [sim.url(CHAP)], { ...env, LIBISCSI_CHAP_PASSWORD: 'wrong' }).catch(
      (x: { code?: number; stderr?: string }) => x,
    );
    expect((e as { code?: number }).code).not.toBe(0);
    expect(sim.stats.failedLogins).toBe(failed + 1);
  });

  it('iscsi-perf reads with many commands in flight', async () => {
    const before = sim.lun(DISK).bytesRead;
    const { stdout } = await tool('iscsi-perf', ['-t', '2', '-b', '256', '-m', '16', sim.url(DISK)]);
    expect(stdout).toMatch(/iops average \d+ \(\d+ MB\/s\)/);
    expect(sim.lun(DISK).bytesRead - before).toBeGreaterThan(64 * MIB);
    expect(sim.stats.maxCommandsInFlight).toBeGreaterThan(8);
  });

  it('passes libiscsi’s conformance suite (iscsi-test-cu) for the SCSI and iSCSI families it implements', async () => {
    const families = [
      ['SCSI', sim.url(THIN, 2)],
      ['SCSI', sim.url(DISK, 2)], // 4096-byte blocks, not thin, in memory
      ['SCSI', sim.url(SLOW)], // tgt's negotiation: InitialR2T, R2T-solicited data, 8 KiB segments
      // iSCSIdatasn is left out: its third case runs after libiscsi's reconnect renegotiated
      // ImmediateData=Yes, so no Data-Out (and no DataSN) is sent; this target rejects the
      // other three (see iscsi-target-protocol.test.ts), tgt rejects none.
      ['iSCSI.iSCSIcmdsn', sim.url(SLOW)],
      ['iSCSI.iSCSIResiduals', sim.url(SLOW)],
      ['iSCSI.iSCSITMF', sim.url(DISK)],
    ];
    const run = async (test: string, url: string) => {
      const { stdout } = await tool('iscsi-test-cu', ['-d', '-s', `--test=${test}`, url]).catch(
        (e: { stdout?: string }) => ({ stdout: e.stdout ?? '' }),
      );
      const m = /tests\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)/.exec(stdout);
      expect(m, `${test} on ${url}: ${stdout.slice(-500)}`).not.toBeNull();
      const [, total, ran, passed, failed] = m!.map(Number);
      return { test, url, ran, failed, passed, total };
    };
    for (const [test, url] of families) {
      let result = await run(test!, url!);
      // AbortTaskSimpleAsync races by design: it sends a WRITE and then an ABORT TASK for it, and
      // on a loaded machine the write can be complete before the target reads the abort (about
      // one run in twenty here). RFC 7143 lets a target answer Function Complete for a task
      // already done; libiscsi counts it a failure. A target that never aborts fails every try.
      for (let attempt = 1; test === 'iSCSI.iSCSITMF' && (result.failed ?? 1) > 0 && attempt < 3; attempt++)
        result = await run(test, url!);
      const { total, ...seen } = result;
      expect(seen).toEqual({ test, url, ran: total, failed: 0, passed: total });
    }
  }, 300_000);
});

withQemuIscsi('qemu-img writes and reads through libiscsi', () => {
  it('writes a raw image to a LUN and reads it back, byte for byte, with both negotiations', async () => {
    const image = await rawDiskImage(dir, 24 * MIB);
    for (const iqn of [DISK, SLOW]) {
      await exec('qemu-img', ['convert', '-n', '-f', 'raw', '-O', 'raw', image.path, sim.url(iqn)]);
      expect(await sha256(sim.lun(iqn).path!, 0, 24 * MIB)).toBe(await sha256(image.path));
      const back = join(dir, `back-${iqn.length}.raw`);
      await exec('qemu-img', ['convert', '-f', 'raw', '-O', 'raw', sim.url(iqn), back]);
      expect(await sha256(back)).toBe(await sha256(sim.lun(iqn).path!));
    }
  });
});
