/**
 * An empty FAT32 file system (Microsoft's FAT specification 1.03), for the EFI system
 * partition Ironic formatted with `mkfs -t vfat -n efi-part` for UEFI local boot. Written
 * through the {@link BlockDevice}: no mkfs, no loop device, no root.
 */
import { randomBytes } from 'node:crypto';
import type { OperationOptions } from '../../../contracts/index.js';
import { InvalidParameterValue } from '../../../errors/index.js';
import type { BlockDevice } from './block-device.js';

const RESERVED_SECTORS = 32;
const FAT_COUNT = 2;
const MIN_FAT32_CLUSTERS = 65525;

/** Sectors per cluster by volume size, as Microsoft's table for 512-byte sectors. */
function sectorsPerCluster(bytes: number, sectorSize: number): number {
  const GiB = 2 ** 30;
  const bytesPerCluster =
    bytes <= 260 * 2 ** 20
      ? 512
      : bytes <= 8 * GiB
        ? 4096
        : bytes <= 16 * GiB
          ? 8192
          : bytes <= 32 * GiB
            ? 16384
            : 32768;
  return Math.max(1, bytesPerCluster / sectorSize);
}

/** Geometry of a FAT32 volume of `bytes` bytes. */
export function fat32Geometry(bytes: number, sectorSize: number) {
  const total = Math.floor(bytes / sectorSize);
  const spc = sectorsPerCluster(bytes, sectorSize);
  const perSector = sectorSize / 4;
  let fatSectors = Math.ceil((total - RESERVED_SECTORS) / (perSector * spc + FAT_COUNT));
  const clustersFor = (fat: number) => Math.floor((total - RESERVED_SECTORS - FAT_COUNT * fat) / spc);
  // Each FAT needs an entry per cluster plus the two reserved entries.
  while (fatSectors * perSector < clustersFor(fatSectors) + 2) fatSectors++;
  const dataStart = RESERVED_SECTORS + FAT_COUNT * fatSectors;
  return { total, spc, fatSectors, dataStart, clusters: clustersFor(fatSectors) };
}

/**
 * Formats `size` bytes at `start` of the device as FAT32 with `label`; returns the volume id
 * as `blkid` prints it (`XXXX-XXXX`), which is what Ironic returned as the EFI system partition
 * UUID.
 */
export async function formatFat32(
  device: BlockDevice,
  start: number,
  size: number,
  label: string,
  options: OperationOptions = {},
): Promise<string> {
  const ss = device.blockSize;
  const g = fat32Geometry(size, ss);
  if (g.clusters < MIN_FAT32_CLUSTERS)
    throw new InvalidParameterValue(
      `A ${size >> 20} MiB partition is too small for FAT32 with ${ss}-byte sectors (${g.clusters} clusters, 65525 needed)`,
      { fields: [{ field: 'efiSystemPartitionMb', problem: 'too small for FAT32' }] },
    );
  const volumeId = randomBytes(4).readUInt32LE(0);

  const boot = Buffer.alloc(ss);
  boot.set([0xeb, 0x58, 0x90], 0);
  boot.write('MSWIN4.1', 3, 'latin1');
  boot.writeUInt16LE(ss, 11);
  boot[13] = g.spc;
  boot.writeUInt16LE(RESERVED_SECTORS, 14);
  boot[16] = FAT_COUNT;
  boot[21] = 0xf8; // fixed disk
  boot.writeUInt16LE(63, 24);
  boot.writeUInt16LE(255, 26);
  boot.writeUInt32LE(Math.min(start / ss, 0xffffffff), 28);
  boot.writeUInt32LE(g.total, 32);
  boot.writeUInt32LE(g.fatSectors, 36);
  boot.writeUInt32LE(2, 44); // root directory cluster
  boot.writeUInt16LE(1, 48); // FSInfo sector
  boot.writeUInt16LE(6, 50); // backup boot sector
  boot[64] = 0x80;
  boot[66] = 0x29;
  boot.writeUInt32LE(volumeId, 67);
  const name = label.toUpperCase().slice(0, 11).padEnd(11, ' ');
  boot.write(name, 71, 'latin1');
  boot.write('FAT32   ', 82, 'latin1');
  boot[510] = 0x55;
  boot[511] = 0xaa;

  const info = Buffer.alloc(ss);
  info.writeUInt32LE(0x41615252, 0);
  info.writeUInt32LE(0x61417272, 484);
  info.writeUInt32LE(g.clusters - 1, 488); // free clusters: all but the root directory's
  info.writeUInt32LE(3, 492); // next free cluster
  info.writeUInt32LE(0xaa550000, 508);

  const fat = Buffer.alloc(ss);
  fat.writeUInt32LE(0x0ffffff8, 0);
  fat.writeUInt32LE(0x0fffffff, 4);
  fat.writeUInt32LE(0x0fffffff, 8); // root directory: one cluster, end of chain

  const root = Buffer.alloc(ss);
  root.write(name, 0, 'latin1');
  root[11] = 0x08; // volume label entry

  await device.writeZeroes(start, (g.dataStart + g.spc) * ss, options);
  const at = (sector: number) => start + sector * ss;
  await Promise.all([
    device.write(at(0), boot, options),
    device.write(at(1), info, options),
    device.write(at(6), boot, options),
    device.write(at(7), info, options),
    device.write(at(RESERVED_SECTORS), fat, options),
    device.write(at(RESERVED_SECTORS + g.fatSectors), fat, options),
    device.write(at(g.dataStart), root, options),
  ]);
  const hex = volumeId.toString(16).toUpperCase().padStart(8, '0');
  return `${hex.slice(0, 4)}-${hex.slice(4)}`;
}
