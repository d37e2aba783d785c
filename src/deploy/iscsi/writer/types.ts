/** What a disk write is asked to do and what it reports back. */
import type { Logger, OperationOptions } from '../../../contracts/index.js';
import type { BlockDevice } from '../disk/block-device.js';
import type { PartitionRole } from '../disk/layout.js';
import type { FilesystemIdentity } from '../disk/superblock.js';
import type { DiskImageFormat, DiskImageSource } from '../images/open-image.js';

/**
 * Formats a partition the writer created (the ephemeral partition, which is otherwise left
 * unformatted: this library has no ext4 or XFS formatter of its own).
 *
 * @example
 * ```ts
 * const formatter: PartitionFormatter = {
 *   async format({ device, start, size, label }) {
 *     await device.write(start, await buildFilesystem(size, label)); // your own mkfs
 *     return undefined;
 *   },
 * };
 * ```
 */
export interface PartitionFormatter {
  /** Formats the partition; resolves with the new file system's UUID when it has one. */
  format(target: FormatTarget, options: OperationOptions): Promise<string | undefined>;
}

/**
 * The partition a {@link PartitionFormatter} formats.
 *
 * @example
 * ```ts
 * const target: FormatTarget = { device: disk, start: 2 ** 20, size: 2 ** 30, label: 'ephemeral0', role: 'ephemeral' };
 * ```
 */
export interface FormatTarget {
  /** The disk. */
  device: BlockDevice;
  /** First byte of the partition. */
  start: number;
  /** Size of the partition in bytes. */
  size: number;
  /** The label Ironic gave it (`ephemeral0`). */
  label: string;
  /** What the partition is for. */
  role: PartitionRole;
}

/**
 * The layout of a partition-image deploy, with the names of Ironic's `work_on_disk`. Sizes are
 * MiB (`root_gb` × 1024 for `rootMb`).
 *
 * @example
 * ```ts
 * const partitions: PartitionRequest = { rootMb: 10 * 1024, swapMb: 512, bootMode: 'uefi', configdrive };
 * ```
 */
export interface PartitionRequest {
  /** Root partition size in MiB; the partition image is written into it. */
  rootMb: number;
  /** Swap partition size in MiB, written with a swap signature (default 0: none). */
  swapMb?: number | undefined;
  /** Ephemeral partition size in MiB (default 0: none); unformatted unless `ephemeralFormatter` is given. */
  ephemeralMb?: number | undefined;
  /** `bios` (default): MBR; `uefi`: GPT with an EFI system partition formatted FAT32. */
  bootMode?: 'bios' | 'uefi' | undefined;
  /** `netboot` (default) or `local`: local BIOS boot marks root active (MBR) or adds a BIOS boot partition (GPT). */
  bootOption?: 'local' | 'netboot' | undefined;
  /** Partition table: default `msdos` for BIOS and `gpt` for UEFI (Ironic's `disk_label` capability). */
  diskLabel?: 'msdos' | 'gpt' | undefined;
  /** EFI system partition size in MiB (default 200, Ironic's `efi_system_partition_size`). */
  efiSystemPartitionMb?: number | undefined;
  /** The config drive: Ironic's gzip+base64 text, or the image bytes; written to a 64 MiB partition at the end. */
  configdrive?: string | Uint8Array | undefined;
  /** Formats the ephemeral partition. */
  ephemeralFormatter?: PartitionFormatter | undefined;
  /**
   * Ironic's `preserve_ephemeral` (a rebuild that keeps the ephemeral partition): the partition
   * table on the disk is kept if it is exactly the one this layout would write, the ephemeral
   * partition is not touched, and root, swap, the EFI system partition and the config drive are
   * written again. A table that does not match is refused before anything is written.
   */
  preserveEphemeral?: boolean | undefined;
}

/**
 * One disk write: the image and, for a partition image, the layout around it.
 *
 * @example
 * ```ts
 * const request: DiskWriteRequest = {
 *   image: { path: '/var/lib/ironic/master_images/cirros.qcow2' },
 *   imageChecksum: 'sha256:0b1c…',
 *   partitions: { rootMb: 1024, swapMb: 128, bootMode: 'bios' },
 * };
 * ```
 */
export interface DiskWriteRequest {
  /** The image. */
  image: DiskImageSource;
  /** Its format (default: detected from its first bytes). */
  imageFormat?: DiskImageFormat | undefined;
  /** `image_checksum`: MD5 hex (Ironic's), or `sha256:…` / `sha512:…`. */
  imageChecksum?: string | undefined;
  /** Present for a partition image; absent for a whole-disk image. */
  partitions?: PartitionRequest | undefined;
  /**
   * The disk already reads as zeros (new, or cleaned by `erase_devices`): zero runs of the image
   * are skipped instead of written (default false: they are zeroed with WRITE SAME).
   */
  assumeZeroed?: boolean | undefined;
}

/**
 * Progress of a write.
 *
 * @example
 * ```ts
 * const onProgress = (p: DiskWriteProgress) => console.log(`${p.doneBytes}/${p.totalBytes ?? '?'}`);
 * ```
 */
export interface DiskWriteProgress {
  /** Image bytes (data and zero runs) on the disk so far. */
  doneBytes: number;
  /** The image's virtual size, when known. */
  totalBytes: number | undefined;
}

/**
 * Options of a disk write.
 *
 * @example
 * ```ts
 * const options: DiskWriteOptions = { signal: AbortSignal.timeout(30 * 60_000), onProgress: (p) => log(p.doneBytes) };
 * ```
 */
export interface DiskWriteOptions extends OperationOptions {
  /** Called as the image is written (at most once per transfer). */
  onProgress?: ((progress: DiskWriteProgress) => void) | undefined;
  /** Where the write is logged (default: the writer's logger). */
  logger?: Logger | undefined;
}

/**
 * A partition written, and what is on it.
 *
 * @example
 * ```ts
 * const root = result.partitions?.find((p: WrittenPartition) => p.role === 'root');
 * console.log(root?.partUuid, root?.filesystem?.uuid);
 * ```
 */
export interface WrittenPartition {
  /** 1-based partition number. */
  number: number;
  /** What it holds. */
  role: PartitionRole;
  /** First byte. */
  start: number;
  /** Size in bytes. */
  size: number;
  /** The partition's UUID (`PARTUUID`: the GPT entry's GUID, or `<disk signature>-<nn>` on MBR). */
  partUuid: string;
  /** The file system on it, when the writer knows one. */
  filesystem?: FilesystemIdentity | undefined;
}

/**
 * What a disk write produced: what Ironic's `continue_deploy` returned (`root uuid`,
 * `efi system partition uuid`, `disk identifier`) and what was written.
 *
 * @example
 * ```ts
 * const { rootUuid } = await writer.write(target, request);
 * task.node.driverInternalInfo.root_uuid_or_disk_id = rootUuid;
 * ```
 */
export interface DiskWriteResult {
  /** UUID of the root file system (partition images), read back from the written superblock. */
  rootUuid?: string | undefined;
  /** Volume id of the EFI system partition (UEFI partition images). */
  efiSystemPartitionUuid?: string | undefined;
  /** Whole-disk images: the MBR disk signature read back from the disk, as Ironic printed it (`0x%08x`). */
  diskIdentifier?: string | undefined;
  /** The image format written. */
  imageFormat: DiskImageFormat;
  /** The image's virtual size in bytes. */
  imageSize: number;
  /** Image data bytes sent to the disk (zero runs excluded). */
  bytesWritten: number;
  /** Bytes of zero runs zeroed on the disk (0 with `assumeZeroed`). */
  bytesZeroed: number;
  /** Partition table written (partition images). */
  diskLabel?: 'msdos' | 'gpt' | undefined;
  /** Partitions written (partition images). */
  partitions?: WrittenPartition[] | undefined;
}
