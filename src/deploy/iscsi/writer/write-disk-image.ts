/**
 * Writes a disk image onto any {@link BlockDevice}: a whole-disk image as is, or a partition
 * image with Ironic's partition layout around it. On failure after the disk was touched, its
 * metadata is wiped (best effort) so that a half-written disk is never taken for a good one.
 */
import type { Logger } from '../../../contracts/index.js';
import { DiskTooSmall } from '../../../errors/index.js';
import { noopLogger } from '../../../util/index.js';
import type { BlockDevice } from '../disk/block-device.js';
import { openDiskImage } from '../images/open-image.js';
import { checkDiskWriteRequest } from './check-request.js';
import { destroyDiskMetadata, wipeOptions } from './disk-metadata.js';
import { writePartitionImage } from './partition-image.js';
import type { DiskWriteOptions, DiskWriteRequest, DiskWriteResult } from './types.js';
import { writeExtents } from './write-extents.js';

/**
 * Writes `request.image` onto `device` and returns what Ironic's `continue_deploy` returned:
 * the root UUID for a partition image, the disk identifier for a whole-disk image. Nothing is
 * written when the image, its checksum (qcow2), the layout or the sizes can be refused up
 * front; a raw image's checksum is verified as it streams, and a mismatch wipes the disk's
 * metadata before the error is thrown.
 *
 * @example
 * ```ts
 * const disk = await FileBlockDevice.open('/tmp/disk.img', { sizeBytes: 2 * 2 ** 30 });
 * try {
 *   const { rootUuid } = await writeDiskImage(disk, {
 *     image: { path: 'rootfs.img' },
 *     partitions: { rootMb: 1024, swapMb: 64, bootMode: 'uefi' },
 *   });
 * } finally {
 *   await disk.close();
 * }
 * ```
 */
export async function writeDiskImage(
  device: BlockDevice,
  request: DiskWriteRequest,
  options: DiskWriteOptions = {},
): Promise<DiskWriteResult> {
  const logger = options.logger ?? noopLogger;
  await checkDiskWriteRequest(request);
  const image = await openDiskImage(request.image, {
    format: request.imageFormat,
    checksum: request.imageChecksum,
    signal: options.signal,
    logger,
  });
  let touched: (() => Promise<void>) | undefined;
  const started = Date.now();
  try {
    const assumeZeroed = request.assumeZeroed === true;
    const onTouched = (wipe?: () => Promise<void>) => {
      touched = wipe ?? (() => destroyDiskMetadata(device, wipeOptions()));
    };
    const result = request.partitions
      ? await writePartitionImage(device, image, request.partitions, assumeZeroed, {
          ...options,
          logger,
          onTouched,
        })
      : await writeWholeDisk(device, image, assumeZeroed, { ...options, logger, onTouched });
    const seconds = Math.max(0.001, (Date.now() - started) / 1000);
    logger.info('Disk image written', {
      image: image.name,
      format: result.imageFormat,
      imageBytes: result.imageSize,
      bytesWritten: result.bytesWritten,
      mibPerSecond: Math.round(result.imageSize / 2 ** 20 / seconds),
      rootUuid: result.rootUuid,
      diskIdentifier: result.diskIdentifier,
    });
    return result;
  } catch (e) {
    if (touched) await wipeAfterFailure(touched, logger);
    throw e;
  } finally {
    await image.reader.close();
    await image.verifier?.close();
  }
}

async function writeWholeDisk(
  device: BlockDevice,
  image: Awaited<ReturnType<typeof openDiskImage>>,
  assumeZeroed: boolean,
  options: DiskWriteOptions & { logger: Logger; onTouched(wipe?: () => Promise<void>): void },
): Promise<DiskWriteResult> {
  const { signal } = options;
  if (image.reader.virtualSize !== undefined && image.reader.virtualSize > device.sizeBytes) {
    throw new DiskTooSmall({
      what: 'The disk',
      requiredBytes: image.reader.virtualSize,
      availableBytes: device.sizeBytes,
    });
  }
  options.onTouched();
  const totals = await writeExtents(device, image.reader, {
    base: 0,
    limit: device.sizeBytes,
    what: 'The disk',
    assumeZeroed,
    signal,
    onProgress: options.onProgress,
  });
  await image.verifier?.verify();
  await device.flush({ signal });
  const mbr = await device.read(0, device.blockSize, { signal });
  return {
    diskIdentifier: `0x${mbr.readUInt32LE(440).toString(16).padStart(8, '0')}`,
    imageFormat: image.reader.format,
    imageSize: totals.dataBytes + totals.zeroBytes,
    bytesWritten: totals.dataBytes,
    bytesZeroed: totals.zeroedBytes,
  };
}

async function wipeAfterFailure(wipe: () => Promise<void>, logger: Logger): Promise<void> {
  try {
    await wipe();
    logger.warn('Disk write failed; the partial image was wiped so that it cannot boot');
  } catch (e) {
    logger.warn('Disk write failed and the disk metadata could not be wiped', { error: String(e) });
  }
}
