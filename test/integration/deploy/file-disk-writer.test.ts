import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  FileBlockDevice,
  fat32Formatter,
  IDENTIFY_BYTES,
  InstanceDeployFailure,
  InvalidParameterValue,
  IscsiDiskWriter,
  identifyFilesystem,
  writeDiskImage,
} from '../../../src/index.js';
import { FileDiskWriter } from '../../../src/testing/index.js';
import {
  blkid,
  ext4Image,
  extract,
  rawDiskImage,
  readRange,
  sfdisk,
  sha256,
  tool,
  toolStatus,
} from '../../helpers/disk-tools.js';
import { describeWithPeers } from '../../helpers/peers.js';

const withTools = describeWithPeers('disk tools', {
  commands: ['sfdisk', 'blkid', 'mkfs.ext4', 'fsck.fat', 'qemu-img', 'mkswap'],
});
const MIB = 2 ** 20;
const target = { address: '192.0.2.10', iqn: 'iqn.2008-10.org.openstack:node-1' };

withTools('FileDiskWriter and writeDiskImage on local files', () => {
  let dir: string;
  let ext4: Awaited<ReturnType<typeof ext4Image>>;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ironic-ilo-filewriter-'));
    ext4 = await ext4Image(dir, 16);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('deploys through the same partitioning code and records the call', async () => {
    const writer = new FileDiskWriter({ sizeBytes: 2048 * MIB });
    const result = await writer.write(target, {
      image: { path: ext4.path },
      partitions: {
        rootMb: 512,
        swapMb: 16,
        ephemeralMb: 64,
        ephemeralFormatter: fat32Formatter,
        bootMode: 'bios',
        bootOption: 'local',
      },
    });
    expect(result.rootUuid).toBe(ext4.uuid);
    expect(writer.writes).toHaveLength(1);
    const disk = writer.writes[0]!.path;
    expect(disk).toContain('iqn.2008-10.org.openstack_node-1-lun1.img');
    const table = await sfdisk(disk);
    expect(table.partitions.map((p) => [p.type, p.bootable ?? false])).toEqual([
      ['83', false],
      ['82', false],
      ['83', true], // local BIOS boot marks root active
    ]);
    const ephemeral = table.partitions[0]!;
    expect(await blkid(disk, ephemeral.start * 512, ephemeral.size * 512)).toMatchObject({
      TYPE: 'vfat',
      LABEL: 'EPHEMERAL0',
    });
    const fat = await toolStatus('fsck.fat', [
      '-n',
      await extract(disk, ephemeral.start * 512, ephemeral.size * 512, join(dir, 'eph.img')),
    ]);
    expect(fat.code, fat.output).toBe(0);
    const swap = table.partitions[1]!;
    const swapId = await blkid(disk, swap.start * 512, swap.size * 512);
    expect(swapId).toMatchObject({
      TYPE: 'swap',
      LABEL: 'swap1',
      UUID: result.partitions?.[1]?.filesystem?.uuid,
    });
    await writer.cleanup();
    expect(existsSync(disk)).toBe(false);
  });

  it('bios + gpt + local boot gets a BIOS boot partition', async () => {
    const writer = new FileDiskWriter({ directory: dir, sizeBytes: 1024 * MIB });
    await writer.write(
      { ...target, lun: 2 },
      {
        image: { path: ext4.path },
        partitions: { rootMb: 256, bootMode: 'bios', diskLabel: 'gpt', bootOption: 'local' },
      },
    );
    const table = await sfdisk(writer.writes[0]!.path);
    expect(table.partitions.map((p) => p.type)).toEqual([
      '21686148-6449-6E6F-744E-656564454649',
      '0FC63DAF-8483-4772-8E79-3D69D8477DE4',
    ]);
    await writer.cleanup();
    expect(existsSync(dir)).toBe(true); // a given directory is left alone
  });

  it('injects faults and records them', async () => {
    const writer = new FileDiskWriter({ failWith: () => new Error('disk on fire') });
    await expect(writer.write(target, { image: { path: ext4.path } })).rejects.toThrow('disk on fire');
    expect(writer.writes[0]?.error).toBeInstanceOf(Error);
    await writer.cleanup();
  });

  it('writes a 512-byte-cluster qcow2 onto a 4096-byte-block disk (extents realigned)', async () => {
    const raw = await rawDiskImage(dir, 3 * MIB + 1536, 'odd.raw');
    const q = join(dir, 'odd.qcow2');
    await tool('qemu-img', ['convert', '-O', 'qcow2', '-o', 'cluster_size=512', raw.path, q]);
    writeFileSync(join(dir, '4k.img'), Buffer.alloc(8 * MIB, 0xff)); // old content everywhere
    const disk = await FileBlockDevice.open(join(dir, '4k.img'), { sizeBytes: 8 * MIB, blockSize: 4096 });
    try {
      const r = await writeDiskImage(disk, { image: { path: q } });
      expect(r.diskIdentifier).toBe(raw.signature);
    } finally {
      await disk.close();
    }
    expect(await sha256(join(dir, '4k.img'), 0, 3 * MIB + 1536)).toBe(await sha256(raw.path));
    // The tail of the last 4 KiB block is padded with zeros.
    expect((await readRange(join(dir, '4k.img'), 3 * MIB + 1536, 2560)).every((b) => b === 0)).toBe(true);
  });

  it('writes the swap signature mkswap writes, and identifies what blkid identifies', async () => {
    const made = join(dir, 'mkswap.img');
    await tool('truncate', ['-s', '16M', made]);
    await tool('mkswap', ['-L', 'swap1', made]);
    const disk = await FileBlockDevice.open(made);
    const id = identifyFilesystem(await disk.read(0, IDENTIFY_BYTES));
    await disk.close();
    expect(id).toEqual({ type: 'swap', uuid: (await blkid(made, 0, 16 * MIB)).UUID, label: 'swap1' });
  });

  it('preserve_ephemeral: rebuilds root, swap and config drive in place and leaves the ephemeral partition alone', async () => {
    const writer = new FileDiskWriter({ directory: dir, sizeBytes: 1024 * MIB });
    const node = { ...target, lun: 9 };
    const partitions = { rootMb: 128, swapMb: 16, ephemeralMb: 128, ephemeralFormatter: fat32Formatter };
    const first = await writer.write(node, { image: { path: ext4.path }, partitions });
    const disk = writer.writes[0]!.path;
    const eph = first.partitions!.find((p) => p.role === 'ephemeral')!;
    const marker = Buffer.alloc(4096, 0x42);
    writeFileSync(join(dir, 'marker'), marker);
    await tool('dd', [
      `if=${join(dir, 'marker')}`,
      `of=${disk}`,
      'bs=4096',
      `seek=${(eph.start + 8 * MIB) / 4096}`,
      'conv=notrunc',
      'status=none',
    ]);
    const ephBefore = await sha256(disk, eph.start, eph.size);

    mkdirSync(join(dir, 'rebuild'));
    const rebuilt = await ext4Image(join(dir, 'rebuild'), 16);
    const second = await writer.write(node, {
      image: { path: rebuilt.path },
      partitions: { ...partitions, preserveEphemeral: true },
    });
    expect(second.rootUuid).toBe(rebuilt.uuid);
    expect(second.rootUuid).not.toBe(first.rootUuid);
    expect(await sha256(disk, eph.start, eph.size)).toBe(ephBefore);
    expect(second.partitions?.map((p) => p.partUuid)).toEqual(first.partitions?.map((p) => p.partUuid));

    // A layout that does not match the disk is refused, and the disk is left as it was.
    const before = await sha256(disk);
    const e = await writer
      .write(node, {
        image: { path: rebuilt.path },
        partitions: { ...partitions, swapMb: 32, preserveEphemeral: true },
      })
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(InstanceDeployFailure);
    expect((e as Error).message).toMatch(/preserve_ephemeral: partition 2@129MiB\+32MiB \(swap\)/);
    expect(await sha256(disk)).toBe(before);
  });

  it('preserve_ephemeral reads GPT back too (header CRC checked)', async () => {
    const writer = new FileDiskWriter({ directory: dir, sizeBytes: 1024 * MIB });
    const node = { ...target, lun: 10 };
    const partitions = { rootMb: 128, ephemeralMb: 64, bootMode: 'uefi' as const, efiSystemPartitionMb: 64 };
    const first = await writer.write(node, { image: { path: ext4.path }, partitions });
    const again = await writer.write(node, {
      image: { path: ext4.path },
      partitions: { ...partitions, preserveEphemeral: true },
    });
    expect(again.partitions?.map((p) => p.partUuid)).toEqual(first.partitions?.map((p) => p.partUuid));
    // A damaged primary header is not trusted.
    await tool('dd', [
      'if=/dev/zero',
      `of=${writer.writes[0]!.path}`,
      'bs=1',
      'seek=600',
      'count=4',
      'conv=notrunc',
      'status=none',
    ]);
    await expect(
      writer.write(node, {
        image: { path: ext4.path },
        partitions: { ...partitions, preserveEphemeral: true },
      }),
    ).rejects.toThrow(/no partition table to keep/);
  });

  it('refuses a bad request before connecting, naming every bad field', async () => {
    const e = await new IscsiDiskWriter()
      .write(
        { address: '127.0.0.1', port: 1, iqn: 'iqn.2008-10.org.openstack:node-1' },
        {
          image: { path: join(dir, 'does-not-exist') },
          imageFormat: 'vmdk' as 'raw',
          imageChecksum: 'not-a-digest',
          partitions: { rootMb: 0, bootMode: 'efi' as 'uefi' },
        },
      )
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(InvalidParameterValue); // not a connection error: nothing was dialled
    expect((e as InvalidParameterValue).fields.map((f) => f.field)).toEqual([
      'image.path',
      'imageFormat',
      'image_checksum',
      'rootMb',
      'bootMode',
    ]);
  });

  it('refuses a bad block device configuration, naming the field', async () => {
    await expect(FileBlockDevice.open(join(dir, 'bad.img'), { sizeBytes: 1000 })).rejects.toBeInstanceOf(
      InvalidParameterValue,
    );
  });
});
