import type { PartitionFormatter } from '../writer/types.js';
import { formatFat32 } from './fat32.js';

/**
 * A {@link PartitionFormatter} that writes an empty FAT32 file system, for an ephemeral
 * partition meant to be `vfat` (Ironic's `default_ephemeral_format = vfat`). Resolves with the
 * volume id.
 *
 * @example
 * ```ts
 * await writer.write(target, { image, partitions: { rootMb: 4096, ephemeralMb: 1024, ephemeralFormatter: fat32Formatter } });
 * ```
 */
export const fat32Formatter: PartitionFormatter = {
  format: ({ device, start, size, label }, options) => formatFat32(device, start, size, label, options),
};
