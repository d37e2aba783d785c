/**
 * Streams an image onto a region of a disk: extents cut on block boundaries, data written and
 * zero runs zeroed (or skipped on a disk known to be zero) with several transfers in flight.
 */
import { DiskTooSmall } from '../../../errors/index.js';
import type { BlockDevice } from '../disk/block-device.js';
import { alignExtents } from '../images/align.js';
import type { DiskImageReader } from '../images/extent.js';
import { WritePipeline } from './pipeline.js';
import type { DiskWriteProgress } from './types.js';

/** Where and how to write. */
export interface ExtentTarget {
  /** First byte of the region. */
  base: number;
  /** Size of the region in bytes. */
  limit: number;
  /** What the region is, for errors (`'The disk'`, `'The root partition'`). */
  what: string;
  /** Skip zero runs. */
  assumeZeroed: boolean;
  /** Stops the write. */
  signal?: AbortSignal | undefined;
  /** Progress reports. */
  onProgress?: ((progress: DiskWriteProgress) => void) | undefined;
}

/** Bytes written and zeroed. */
export interface ExtentTotals {
  /** Data bytes written. */
  dataBytes: number;
  /** Zero-run bytes zeroed or skipped. */
  zeroBytes: number;
  /** Zero-run bytes actually zeroed on the disk. */
  zeroedBytes: number;
}

/** Writes the image's extents into `[base, base + limit)` of the device. */
export async function writeExtents(
  device: BlockDevice,
  reader: DiskImageReader,
  target: ExtentTarget,
): Promise<ExtentTotals> {
  const totals: ExtentTotals = { dataBytes: 0, zeroBytes: 0, zeroedBytes: 0 };
  const pipeline = new WritePipeline(device.queueDepth);
  const opts = { signal: target.signal };
  let done = 0;
  const report = (bytes: number) => {
    done += bytes;
    target.onProgress?.({ doneBytes: done, totalBytes: reader.virtualSize });
  };
  try {
    const extents = reader.extents({ chunkSize: device.maxTransferBytes, signal: target.signal });
    for await (const e of alignExtents(extents, device.blockSize)) {
      const length = 'data' in e ? e.data.length : e.zeroLength;
      if (e.offset + length > target.limit)
        throw new DiskTooSmall({
          what: target.what,
          requiredBytes: reader.virtualSize ?? e.offset + length,
          availableBytes: target.limit,
          detail: 'found while streaming the image',
        });
      if ('data' in e) {
        totals.dataBytes += length;
        await pipeline.submit(() =>
          device
            .write(target.base + e.offset, e.data, opts)
            .then(() => report(length))
            .finally(() => e.release?.()),
        );
      } else if (target.assumeZeroed) {
        totals.zeroBytes += length;
        report(length);
      } else {
        totals.zeroBytes += length;
        totals.zeroedBytes += length;
        await pipeline.submit(() =>
          device.writeZeroes(target.base + e.offset, length, opts).then(() => report(length)),
        );
      }
    }
    await pipeline.drain();
    return totals;
  } catch (e) {
    await pipeline.settle();
    throw e;
  }
}
