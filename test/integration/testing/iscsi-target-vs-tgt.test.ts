import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, expect, it, vi } from 'vitest';
import { type DiskWriteRequest, IscsiDiskWriter, type IscsiTarget } from '../../../src/index.js';
import { IscsiTargetSimulator, TGT_NEGOTIATION } from '../../../src/testing/index.js';
import { configDrive, ext4Image, rawDiskImage, sha256, tool, xfsQcow2 } from '../../helpers/disk-tools.js';
import { describeWithPeers, findCommand } from '../../helpers/peers.js';
import { startTgt, type Tgt } from '../../helpers/tgt.js';

/**
 * Partition images carry random identifiers (MBR signature, GPT GUIDs, FAT and swap UUIDs): the
 * writer's randomness is made a seeded sequence, restarted before each write, so that the same
 * request writes the same bytes whichever target receives them.
 */
const rng = vi.hoisted(() => ({ counter: 0 }));
vi.mock('node:crypto', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:crypto')>();
  const next = (n: number): Buffer => {
    const out = Buffer.alloc(Math.ceil(n / 32) * 32);
    for (let at = 0; at < n; at += 32)
      real
        .createHash('sha256')
        .update(`seed ${rng.counter++}`)
        .digest()
        .copy(out, at);
    return out.subarray(0, n);
  };
  return {
    ...real,
    randomBytes: (n: number) => next(n),
    randomUUID: () => {
      const b = next(16);
      b[6] = (b[6]! & 0x0f) | 0x40;
      b[8] = (b[8]! & 0x3f) | 0x80;
      const h = b.toString('hex');
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
    },
  };
});

const withPeers = describeWithPeers('tgt and disk tools', {
  commands: ['tgtd', 'tgtadm', 'qemu-img', 'mkfs.ext4', 'mkfs.xfs', 'blkid'],
  check: () => (findCommand('genisoimage') ? undefined : 'genisoimage'),
});

const IQN = 'iqn.2026-01.test.ironic-ilo:same-bytes';
const MIB = 1 << 20;
const GIB = 1 << 30;

withPeers('IscsiTargetSimulator writes the same bytes as a real tgt LUN', () => {
  let tgt: Tgt;
  let sim: IscsiTargetSimulator;
  let dir: string;
  const writer = new IscsiDiskWriter();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ironic-ilo-sametgt-'));
    const luns = [
      { lun: 1, sizeBytes: 64 * MIB },
      { lun: 2, sizeBytes: 64 * MIB, thin: true },
      { lun: 3, sizeBytes: GIB },
      { lun: 4, sizeBytes: GIB },
    ];
    [tgt, sim] = await Promise.all([
      startTgt([{ iqn: IQN, luns }]),
      IscsiTargetSimulator.start({ tempDirectory: dir, targets: [{ iqn: IQN, luns }] }),
    ]);
    // The partition LUNs of the simulator negotiate as tgt does (InitialR2T, 8 KiB segments).
    await sim.addTarget({ iqn: `${IQN}-tgt`, luns, negotiation: TGT_NEGOTIATION });
  });
  beforeEach(() => {
    rng.counter = 0;
  });
  afterAll(async () => {
    await Promise.all([tgt?.stop(), sim?.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  /** Writes `request` to LUN `lun` of both targets, the randomness restarted each time, and hashes both disks. */
  async function writeBoth(lun: number, request: DiskWriteRequest, simIqn = IQN): Promise<[string, string]> {
    const onTgt: IscsiTarget = { address: tgt.host, port: tgt.port, iqn: IQN, lun };
    rng.counter = 0;
    const a = await writer.write(onTgt, request);
    rng.counter = 0;
    const b = await writer.write(sim.iscsiTarget(simIqn, lun), request);
    expect(b).toEqual(a);
    return Promise.all([sha256(tgt.backing(IQN, lun)), sha256(sim.lun(simIqn, lun).path!)]);
  }

  it('a raw whole-disk image', async () => {
    const raw = await rawDiskImage(dir, 24 * MIB + 4096);
    const [onTgt, onSim] = await writeBoth(1, { image: { path: raw.path } });
    expect(onSim).toBe(onTgt);
  });

  it('a qcow2 whole-disk image (compressed and zero clusters) over old data, on thin LUNs (WRITE SAME with UNMAP)', async () => {
    const raw = await rawDiskImage(dir, 24 * MIB, 'for-qcow2.raw');
    const qcow2 = join(dir, 'disk.qcow2');
    await tool('qemu-img', ['convert', '-c', '-O', 'qcow2', raw.path, qcow2]);
    for (const file of [tgt.backing(IQN, 2), sim.lun(IQN, 2).path!])
      writeFileSync(file, Buffer.alloc(64 * MIB, 0xa5));
    const [onTgt, onSim] = await writeBoth(2, { image: { path: qcow2 }, imageFormat: 'qcow2' });
    expect(onSim).toBe(onTgt);
    expect(sim.stats.commands['WRITE SAME(16)']).toBeGreaterThan(0);
  });

  it('a partition image, bios: MBR, ephemeral, swap, ext4 root, config drive', async () => {
    const [ext4, cd] = await Promise.all([ext4Image(dir, 24), configDrive(dir)]);
    const request: DiskWriteRequest = {
      image: { path: ext4.path },
      partitions: { rootMb: 512, swapMb: 64, ephemeralMb: 128, bootMode: 'bios', configdrive: cd.encoded },
    };
    const [onTgt, onSim] = await writeBoth(3, request, `${IQN}-tgt`);
    expect(onSim).toBe(onTgt);
  });

  it('a partition image, uefi: GPT, FAT32 ESP, swap, XFS root from qcow2, config drive', async () => {
    const [xfs, cd] = await Promise.all([xfsQcow2(dir), configDrive(join(dir, 'uefi'))]);
    const request: DiskWriteRequest = {
      image: { path: xfs.path },
      partitions: { rootMb: 512, swapMb: 32, bootMode: 'uefi', configdrive: cd.encoded },
    };
    const [onTgt, onSim] = await writeBoth(4, request, `${IQN}-tgt`);
    expect(onSim).toBe(onTgt);
  });
});
