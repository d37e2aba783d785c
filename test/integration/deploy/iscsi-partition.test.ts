import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { IscsiDiskWriter, type IscsiTarget } from '../../../src/index.js';
import {
  blkid,
  configDrive,
  ext4Image,
  extract,
  readRange,
  sfdisk,
  tool,
  toolStatus,
  xfsQcow2,
} from '../../helpers/disk-tools.js';
import { describeWithPeers, findCommand } from '../../helpers/peers.js';
import { startTgt, type Tgt } from '../../helpers/tgt.js';

const withPeers = describeWithPeers('tgt and disk tools', {
  commands: [
    'tgtd',
    'tgtadm',
    'qemu-img',
    'sfdisk',
    'blkid',
    'e2fsck',
    'mkfs.ext4',
    'mkfs.xfs',
    'xfs_repair',
  ],
  check: () =>
    ['fsck.fat', 'genisoimage', 'debugfs'].every((c) => findCommand(c))
      ? undefined
      : 'fsck.fat, genisoimage or debugfs',
});

const IQN = 'iqn.2026-01.test.ironic-ilo:partition';
const MIB = 1 << 20;
const TIB = 2 ** 40;

withPeers('partition images deployed to a real tgt LUN, checked by sfdisk, blkid and fsck', () => {
  let tgt: Tgt;
  let dir: string;
  let ext4: Awaited<ReturnType<typeof ext4Image>>;
  let xfs: Awaited<ReturnType<typeof xfsQcow2>>;
  let cd: Awaited<ReturnType<typeof configDrive>>;
  const writer = new IscsiDiskWriter();
  const target = (lun: number): IscsiTarget => ({ address: tgt.host, port: tgt.port, iqn: IQN, lun });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ironic-ilo-part-'));
    [ext4, xfs, cd] = await Promise.all([ext4Image(dir, 24), xfsQcow2(dir), configDrive(dir)]);
    tgt = await startTgt([
      {
        iqn: IQN,
        luns: [
          { lun: 1, sizeBytes: 2048 * MIB },
          { lun: 2, sizeBytes: 3 * TIB },
        ],
      },
    ]);
  });
  afterAll(async () => {
    await tgt?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('bios: MBR with ephemeral, swap, root and config drive; root UUID read back; fsck clean', async () => {
    const disk = tgt.backing(IQN, 1);
    const result = await writer.write(target(1), {
      image: { path: ext4.path },
      partitions: { rootMb: 1024, swapMb: 64, ephemeralMb: 128, bootMode: 'bios', configdrive: cd.encoded },
    });

    const table = await sfdisk(disk);
    expect(table.label).toBe('dos');
    expect(table.id).toBe(`0x${result.partitions?.[0]?.partUuid.split('-')[0]}`);
    const sectors = (mib: number) => (mib * MIB) / 512;
    expect(table.partitions.map((p) => [p.start, p.size, p.type])).toEqual([
      [sectors(1), sectors(128), '83'],
      [sectors(129), sectors(64), '82'],
      [sectors(193), sectors(1024), '83'],
      [sectors(2048 - 64), sectors(64), '83'],
    ]);

    const root = table.partitions[2]!;
    const rootId = await blkid(disk, root.start * 512, root.size * 512);
    expect(rootId).toMatchObject({ TYPE: 'ext4', UUID: ext4.uuid, LABEL: 'cloudimg-rootfs' });
    expect(result.rootUuid).toBe(ext4.uuid);
    const fsck = await toolStatus('e2fsck', [
      '-fn',
      await extract(disk, root.start * 512, 24 * MIB, join(dir, 'bios-root.img')),
    ]);
    expect(fsck.code, fsck.output).toBe(0);
    const marker = await tool('debugfs', ['-R', 'cat /etc/marker', join(dir, 'bios-root.img')]);
    expect(marker.trim()).toBe(ext4.marker);

    const swap = table.partitions[1]!;
    expect(await blkid(disk, swap.start * 512, swap.size * 512)).toMatchObject({
      TYPE: 'swap',
      LABEL: 'swap1',
    });
    const ephemeral = table.partitions[0]!;
    expect((await blkid(disk, ephemeral.start * 512, ephemeral.size * 512)).TYPE).toBeUndefined();

    const config = table.partitions[3]!;
    expect(await blkid(disk, config.start * 512, config.size * 512)).toMatchObject({
      TYPE: 'iso9660',
      LABEL: 'config-2',
    });
    expect((await readRange(disk, config.start * 512, cd.iso.length)).equals(cd.iso)).toBe(true);
    expect(await tgt.sessions()).toBe(0);
  });

  it('uefi on a 3 TiB disk: GPT with a FAT32 ESP, XFS root from qcow2, config drive past 2 TiB', async () => {
    const disk = tgt.backing(IQN, 2);
    const result = await writer.write(target(2), {
      image: { path: xfs.path },
      partitions: { rootMb: 512, swapMb: 32, bootMode: 'uefi', configdrive: cd.encoded },
      assumeZeroed: true,
    });
    expect((await toolStatus('sfdisk', ['--verify', disk])).code).toBe(0);
    const table = await sfdisk(disk);
    expect(table.label).toBe('gpt');
    const [esp, swap, root, config] = table.partitions;
    expect(table.partitions).toHaveLength(4);
    expect(esp).toMatchObject({
      start: 2048,
      size: (200 * MIB) / 512,
      type: 'C12A7328-F81F-11D2-BA4B-00A0C93EC93B',
    });
    expect(swap?.type).toBe('0657FD6D-A4AB-43C4-84E5-0933C84B4F4F');
    expect(root?.type).toBe('0FC63DAF-8483-4772-8E79-3D69D8477DE4');
    expect(root?.uuid?.toLowerCase()).toBe(result.partitions?.find((p) => p.role === 'root')?.partUuid);
    expect(config!.start * 512).toBeGreaterThan(2 * TIB);
    expect((config!.start + config!.size) * 512).toBeLessThanOrEqual(3 * TIB - 16384 - 512);

    const espId = await blkid(disk, esp!.start * 512, esp!.size * 512);
    expect(espId).toMatchObject({ TYPE: 'vfat', VERSION: 'FAT32', UUID: result.efiSystemPartitionUuid });
    const fat = await toolStatus('fsck.fat', [
      '-n',
      await extract(disk, esp!.start * 512, esp!.size * 512, join(dir, 'esp.img')),
    ]);
    expect(fat.code, fat.output).toBe(0);

    expect(await blkid(disk, root!.start * 512, root!.size * 512)).toMatchObject({
      TYPE: 'xfs',
      UUID: xfs.uuid,
    });
    expect(result.rootUuid).toBe(xfs.uuid);
    const repair = await toolStatus('xfs_repair', [
      '-n',
      '-f',
      await extract(disk, root!.start * 512, xfs.sizeBytes, join(dir, 'uefi-root.img')),
    ]);
    expect(repair.code, repair.output).toBe(0);

    expect(await blkid(disk, swap!.start * 512, swap!.size * 512)).toMatchObject({ TYPE: 'swap' });
    expect((await readRange(disk, config!.start * 512, cd.iso.length)).equals(cd.iso)).toBe(true);
  });
});
