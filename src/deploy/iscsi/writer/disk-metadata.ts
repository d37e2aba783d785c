/** Clearing what identifies a disk's old content, as Ironic's `destroy_disk_metadata` did. */
import type { OperationOptions } from '../../../contracts/index.js';
import type { BlockDevice } from '../disk/block-device.js';

const MIB = 1 << 20;

/** Options of a clean-up write after a failure: its own time limit, whatever the caller's signal. */
export function wipeOptions(): OperationOptions {
  return { signal: AbortSignal.timeout(10_000) };
}

/**
 * Zeros the first and last MiB of the disk: the MBR or protective MBR, both GPT copies, and
 * the RAID and LVM signatures that live there.
 */
export async function destroyDiskMetadata(
  device: BlockDevice,
  options: OperationOptions = {},
): Promise<void> {
  const head = Math.min(MIB, device.sizeBytes);
  await device.writeZeroes(0, head, options);
  const tailStart = Math.max(head, device.sizeBytes - MIB);
  if (tailStart < device.sizeBytes)
    await device.writeZeroes(tailStart, device.sizeBytes - tailStart, options);
}

/** `data` padded with zeros to a whole number of blocks. */
export function padToBlocks(data: Buffer, blockSize: number): Buffer {
  const rest = data.length % blockSize;
  return rest === 0 ? data : Buffer.concat([data, Buffer.alloc(blockSize - rest)]);
}
