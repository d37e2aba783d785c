/**
 * Where each partition of a partition-image deploy goes, following Ironic's `work_on_disk` /
 * `make_partitions`: 1 MiB aligned, from 1 MiB on: the EFI system partition (UEFI), a BIOS boot
 * partition (BIOS + GPT + local boot), ephemeral, swap, then root; the config drive, when there
 * is one, takes the last 64 MiB the partition table can address.
 */
import { DiskTooSmall, type FieldIssue, InvalidParameterValue } from '../../../errors/index.js';

/**
 * What a partition is for.
 *
 * @example
 * ```ts
 * const role: PartitionRole = 'configdrive';
 * ```
 */
export type PartitionRole = 'efi' | 'bios-boot' | 'ephemeral' | 'swap' | 'root' | 'configdrive';

/**
 * A partition placed on the disk.
 *
 * @example
 * ```ts
 * const root: PlannedPartition = { role: 'root', number: 3, start: 2 ** 20, size: 10 * 2 ** 30 };
 * ```
 */
export interface PlannedPartition {
  /** What it holds. */
  role: PartitionRole;
  /** 1-based partition number. */
  number: number;
  /** First byte. */
  start: number;
  /** Length in bytes. */
  size: number;
}

/**
 * The sizes and choices that decide the layout.
 *
 * @example
 * ```ts
 * const layout: LayoutRequest = {
 *   rootMb: 10240, swapMb: 512, ephemeralMb: 0, bootMode: 'uefi', bootOption: 'netboot',
 *   diskLabel: 'gpt', efiSystemPartitionMb: 200, biosBootPartitionMb: 1, configdrive: true,
 * };
 * ```
 */
export interface LayoutRequest {
  /** Root partition size in MiB (`root_gb` × 1024). */
  rootMb: number;
  /** Swap partition size in MiB (0: none). */
  swapMb: number;
  /** Ephemeral partition size in MiB (0: none). */
  ephemeralMb: number;
  /** Boot mode: UEFI gets an EFI system partition. */
  bootMode: 'bios' | 'uefi';
  /** Local boot on BIOS with GPT gets a BIOS boot partition for GRUB. */
  bootOption: 'local' | 'netboot';
  /** Partition table type. */
  diskLabel: 'msdos' | 'gpt';
  /** EFI system partition size in MiB (Ironic's `efi_system_partition_size`, default 200). */
  efiSystemPartitionMb: number;
  /** BIOS boot partition size in MiB (Ironic's `bios_boot_partition_size`, default 1). */
  biosBootPartitionMb: number;
  /** Whether a config drive partition is wanted. */
  configdrive: boolean;
}

/**
 * Size of the config drive partition (Ironic's maximum config drive size).
 *
 * @example
 * ```ts
 * const bytes = CONFIGDRIVE_PARTITION_MB * 2 ** 20; // 67108864
 * ```
 */
export const CONFIGDRIVE_PARTITION_MB = 64;
const MIB = 1 << 20;

/** Bytes a GPT keeps at the end of the disk: the backup entries (16 KiB) and header. */
export function gptTailBytes(blockSize: number): number {
  return 16384 + blockSize;
}

/** Checks the sizes; throws one error naming every bad field. */
export function checkLayoutRequest(r: LayoutRequest): void {
  const issues: FieldIssue[] = [];
  const size = (field: string, v: number, min: number) => {
    if (!Number.isSafeInteger(v) || v < min)
      issues.push({
        field,
        problem: min > 0 ? `must be an integer of at least ${min}` : 'must be a non-negative integer',
      });
  };
  size('rootMb', r.rootMb, 1);
  size('swapMb', r.swapMb, 0);
  size('ephemeralMb', r.ephemeralMb, 0);
  if (r.bootMode === 'uefi') size('efiSystemPartitionMb', r.efiSystemPartitionMb, 33);
  size('biosBootPartitionMb', r.biosBootPartitionMb, 1);
  if (r.bootMode !== 'bios' && r.bootMode !== 'uefi')
    issues.push({ field: 'bootMode', problem: 'must be bios or uefi' });
  if (r.bootOption !== 'local' && r.bootOption !== 'netboot')
    issues.push({ field: 'bootOption', problem: 'must be local or netboot' });
  if (r.diskLabel !== 'msdos' && r.diskLabel !== 'gpt')
    issues.push({ field: 'diskLabel', problem: 'must be msdos or gpt' });
  if (issues.length > 0)
    throw new InvalidParameterValue(
      `Invalid partition layout: ${issues.map((i) => `${i.field} ${i.problem}`).join(', ')}`,
      { fields: issues },
    );
}

/**
 * Places the partitions on a disk of `diskBytes` bytes with `blockSize`-byte blocks.
 *
 * @example
 * ```ts
 * const parts = planPartitions(disk.sizeBytes, disk.blockSize, layout);
 * const root = parts.find((p) => p.role === 'root');
 * ```
 */
export function planPartitions(diskBytes: number, blockSize: number, r: LayoutRequest): PlannedPartition[] {
  checkLayoutRequest(r);
  const wanted: Array<[PartitionRole, number]> = [];
  if (r.bootMode === 'uefi') wanted.push(['efi', r.efiSystemPartitionMb]);
  if (r.bootMode === 'bios' && r.diskLabel === 'gpt' && r.bootOption === 'local')
    wanted.push(['bios-boot', r.biosBootPartitionMb]);
  if (r.ephemeralMb > 0) wanted.push(['ephemeral', r.ephemeralMb]);
  if (r.swapMb > 0) wanted.push(['swap', r.swapMb]);
  wanted.push(['root', r.rootMb]);
  const count = wanted.length + (r.configdrive ? 1 : 0);
  if (r.diskLabel === 'msdos' && count > 4)
    throw new InvalidParameterValue(
      `An msdos partition table holds four primary partitions and this layout needs ${count}; use diskLabel gpt`,
      { fields: [{ field: 'diskLabel', problem: `msdos holds 4 partitions, ${count} needed` }] },
    );

  // MBR entries hold 32-bit block numbers; GPT keeps its backup at the end of the disk.
  const addressable =
    r.diskLabel === 'msdos' ? Math.min(diskBytes, 2 ** 32 * blockSize) : diskBytes - gptTailBytes(blockSize);
  const end = Math.floor(addressable / MIB) * MIB;
  const out: PlannedPartition[] = [];
  let at = MIB;
  for (const [role, mb] of wanted) {
    out.push({ role, number: out.length + 1, start: at, size: mb * MIB });
    at += mb * MIB;
  }
  const needed = at + (r.configdrive ? CONFIGDRIVE_PARTITION_MB * MIB : 0);
  if (needed > end)
    throw new DiskTooSmall({
      what: 'The disk',
      requiredBytes: needed + (diskBytes - end),
      availableBytes: diskBytes,
      detail:
        out.map((p) => `${p.role} ${p.size / MIB} MiB`).join(', ') +
        (r.configdrive ? ', configdrive 64 MiB' : ''),
    });
  if (r.configdrive) {
    const size = CONFIGDRIVE_PARTITION_MB * MIB;
    out.push({ role: 'configdrive', number: out.length + 1, start: end - size, size });
  }
  return out;
}
