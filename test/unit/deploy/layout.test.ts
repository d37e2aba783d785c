import { describe, expect, it } from 'vitest';
import {
  DiskTooSmall,
  diskWriteRequestFromInstanceInfo,
  InvalidParameterValue,
  type LayoutRequest,
  parseInstanceInfo,
  planPartitions,
} from '../../../src/index.js';

const MIB = 2 ** 20;
const GIB = 2 ** 30;
const base: LayoutRequest = {
  rootMb: 1024,
  swapMb: 0,
  ephemeralMb: 0,
  bootMode: 'bios',
  bootOption: 'netboot',
  diskLabel: 'msdos',
  efiSystemPartitionMb: 200,
  biosBootPartitionMb: 1,
  configdrive: false,
};
const roles = (r: LayoutRequest, disk = 10 * GIB) =>
  planPartitions(disk, 512, r).map((p) => [p.number, p.role, p.start / MIB, p.size / MIB]);

describe('planPartitions (Ironic’s make_partitions)', () => {
  it('bios: ephemeral, swap, root from 1 MiB, config drive in the last 64 MiB', () => {
    expect(roles({ ...base, swapMb: 512, ephemeralMb: 2048, configdrive: true })).toEqual([
      [1, 'ephemeral', 1, 2048],
      [2, 'swap', 2049, 512],
      [3, 'root', 2561, 1024],
      [4, 'configdrive', 10 * 1024 - 64, 64],
    ]);
  });

  it('uefi: the EFI system partition first; GPT keeps its backup clear of the config drive', () => {
    const parts = roles({ ...base, bootMode: 'uefi', diskLabel: 'gpt', configdrive: true });
    expect(parts).toEqual([
      [1, 'efi', 1, 200],
      [2, 'root', 201, 1024],
      [3, 'configdrive', 10 * 1024 - 65, 64],
    ]);
  });

  it('bios with GPT and local boot gets a BIOS boot partition', () => {
    expect(roles({ ...base, diskLabel: 'gpt', bootOption: 'local' })[0]).toEqual([1, 'bios-boot', 1, 1]);
  });

  it('keeps an MBR layout below 2 TiB on a larger disk', () => {
    const parts = planPartitions(3 * 2 ** 40, 512, { ...base, configdrive: true });
    const cd = parts.at(-1)!;
    expect(cd.start + cd.size).toBe(2 ** 32 * 512);
  });

  it('refuses a layout larger than the disk, naming the partitions', () => {
    expect(() => roles({ ...base, rootMb: 20 * 1024 })).toThrow(DiskTooSmall);
    try {
      roles({ ...base, rootMb: 20 * 1024 });
    } catch (e) {
      expect((e as DiskTooSmall).message).toContain('root 20480 MiB');
    }
  });

  it('refuses five partitions on an msdos label, and names every bad size at once', () => {
    expect(() =>
      roles({ ...base, bootMode: 'uefi', swapMb: 1, ephemeralMb: 1, configdrive: true, diskLabel: 'msdos' }),
    ).toThrow(/four primary partitions/);
    try {
      planPartitions(GIB, 512, {
        ...base,
        rootMb: 0,
        swapMb: -1,
        ephemeralMb: 1.5,
        bootMode: 'uefi',
        efiSystemPartitionMb: 8,
      });
      throw new Error('expected a rejection');
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidParameterValue);
      expect((e as InvalidParameterValue).fields.map((f) => f.field)).toEqual([
        'rootMb',
        'swapMb',
        'ephemeralMb',
        'efiSystemPartitionMb',
      ]);
    }
  });
});

describe('diskWriteRequestFromInstanceInfo', () => {
  it('maps root_gb, swap_mb, ephemeral_gb, configdrive, checksum and capabilities', () => {
    const info = parseInstanceInfo({
      instanceInfo: {
        image_source: 'http://images/rootfs.img',
        kernel: 'http://images/vmlinuz',
        ramdisk: 'http://images/initrd',
        root_gb: 10,
        swap_mb: 512,
        ephemeral_gb: 2,
        configdrive: 'H4sI...',
        image_checksum: 'd41d8cd98f00b204e9800998ecf8427e',
        capabilities: '{"boot_mode": "uefi", "boot_option": "local", "disk_label": "gpt"}',
      },
      driverInternalInfo: {},
    });
    const req = diskWriteRequestFromInstanceInfo(info, { path: '/cache/img' });
    expect(req).toMatchObject({
      image: { path: '/cache/img' },
      imageChecksum: 'd41d8cd98f00b204e9800998ecf8427e',
      partitions: {
        rootMb: 10240,
        swapMb: 512,
        ephemeralMb: 2048,
        bootMode: 'uefi',
        bootOption: 'local',
        diskLabel: 'gpt',
        configdrive: 'H4sI...',
      },
    });
  });

  it('leaves whole-disk images unpartitioned', () => {
    const info = parseInstanceInfo({
      instanceInfo: { image_source: 'http://images/disk.qcow2' },
      driverInternalInfo: {},
    });
    expect(diskWriteRequestFromInstanceInfo(info, { path: '/cache/disk' }).partitions).toBeUndefined();
  });
});
