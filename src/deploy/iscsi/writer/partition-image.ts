/**
 * Ironic's `work_on_disk` for a partition image: partition table, swap signature, EFI system
 * partition, optional ephemeral formatter, the image in root, the config drive at the end, and
 * the root file system's UUID read back from the disk.
 */
import type { Logger, OperationOptions } from '../../../contracts/index.js';
import { DiskTooSmall, InstanceDeployFailure } from '../../../errors/index.js';
import type { BlockDevice } from '../disk/block-device.js';
import { formatFat32 } from '../disk/fat32.js';
import { type LayoutRequest, type PlannedPartition, planPartitions } from '../disk/layout.js';
import { IDENTIFY_BYTES, identifyFilesystem } from '../disk/superblock.js';
import { swapHeader } from '../disk/swap.js';
import { decodeConfigDrive } from '../images/configdrive.js';
import type { OpenedImage } from '../images/open-image.js';
import { padToBlocks, wipeOptions } from './disk-metadata.js';
import { partitionDisk, reusePartitions } from './partitioning.js';
import type { DiskWriteOptions, DiskWriteResult, PartitionRequest, WrittenPartition } from './types.js';
import { writeExtents } from './write-extents.js';

const MIB = 1 << 20;

/** Ironic's labels for the partitions it formatted. */
const LABELS = { swap: 'swap1', ephemeral: 'ephemeral0', efi: 'EFI-PART' } as const;

/** The layout request with every default filled in. */
export function layoutOf(p: PartitionRequest): LayoutRequest {
  const bootMode = p.bootMode ?? 'bios';
  return {
    rootMb: p.rootMb,
    swapMb: p.swapMb ?? 0,
    ephemeralMb: p.ephemeralMb ?? 0,
    bootMode,
    bootOption: p.bootOption ?? 'netboot',
    diskLabel: p.diskLabel ?? (bootMode === 'uefi' ? 'gpt' : 'msdos'),
    efiSystemPartitionMb: p.efiSystemPartitionMb ?? 200,
    biosBootPartitionMb: 1,
    configdrive: p.configdrive !== undefined,
  };
}

/** Partitions the disk and writes a partition image into root. */
export async function writePartitionImage(
  device: BlockDevice,
  image: OpenedImage,
  p: PartitionRequest,
  assumeZeroed: boolean,
  options: DiskWriteOptions & { logger: Logger; onTouched(wipe?: () => Promise<void>): void },
): Promise<DiskWriteResult> {
  const { signal, logger } = options;
  const opts = { signal };
  // Everything that can be refused is checked before the disk is touched.
  const layout = layoutOf(p);
  const planned = planPartitions(device.sizeBytes, device.blockSize, layout);
  const root = planned.find((x) => x.role === 'root')!;
  if (image.reader.virtualSize !== undefined && image.reader.virtualSize > root.size)
    throw new DiskTooSmall({
      what: 'The root partition',
      requiredBytes: image.reader.virtualSize,
      availableBytes: root.size,
      detail: `image virtual size ${Math.ceil(image.reader.virtualSize / MIB)} MiB, root size ${root.size / MIB} MiB`,
    });
  const configdrive = p.configdrive === undefined ? undefined : await decodeConfigDrive(p.configdrive);
  signal?.throwIfAborted();

  // A kept table is checked before anything is written, and must survive a failure: then only
  // the half-written root is made unusable.
  const kept =
    p.preserveEphemeral === true ? await reusePartitions(device, planned, layout, opts) : undefined;
  const wipeRoot = () => device.writeZeroes(root.start, Math.min(root.size, MIB), wipeOptions());
  options.onTouched(kept ? wipeRoot : undefined);
  const uuids = kept ?? (await partitionDisk(device, planned, layout, logger, opts));
  if (kept) {
    const rewritten = planned.filter((x) => x.role !== 'ephemeral');
    await Promise.all(rewritten.map((x) => device.writeZeroes(x.start, Math.min(x.size, MIB), opts)));
    logger.info('Partition table kept, ephemeral partition preserved', { label: layout.diskLabel });
  }
  const written = new Map<number, WrittenPartition>(
    planned.map((x) => [x.number, { ...x, partUuid: uuids.get(x.number)! }]),
  );
  const part = (role: PlannedPartition['role']) => planned.find((x) => x.role === role);
  const efiSystemPartitionUuid = await formatPartitions(
    device,
    part,
    p,
    kept !== undefined,
    written,
    logger,
    opts,
  );

  const totals = await writeExtents(device, image.reader, {
    base: root.start,
    limit: root.size,
    what: 'The root partition',
    assumeZeroed,
    signal,
    onProgress: options.onProgress,
  });
  await image.verifier?.verify();

  const cd = part('configdrive');
  if (cd && configdrive) {
    await device.write(cd.start, padToBlocks(configdrive, device.blockSize), opts);
    const fs = identifyFilesystem(await device.read(cd.start, IDENTIFY_BYTES, opts));
    written.get(cd.number)!.filesystem = fs;
  }
  await device.flush(opts);

  const rootFs = identifyFilesystem(await device.read(root.start, IDENTIFY_BYTES, opts));
  if (rootFs === undefined)
    throw new InstanceDeployFailure({
      reason:
        'Failed to detect root device UUID: no ext2/3/4, XFS or Btrfs file system at the start of the root partition',
    });
  written.get(root.number)!.filesystem = rootFs;
  return {
    rootUuid: rootFs.uuid,
    efiSystemPartitionUuid,
    imageFormat: image.reader.format,
    imageSize: totals.dataBytes + totals.zeroBytes,
    bytesWritten: totals.dataBytes,
    bytesZeroed: totals.zeroedBytes,
    diskLabel: layout.diskLabel,
    partitions: [...written.values()],
  };
}

/** Swap signature, EFI system partition, and the ephemeral partition unless it is kept; returns the ESP's UUID. */
async function formatPartitions(
  device: BlockDevice,
  part: (role: PlannedPartition['role']) => PlannedPartition | undefined,
  p: PartitionRequest,
  keepEphemeral: boolean,
  written: Map<number, WrittenPartition>,
  logger: Logger,
  opts: OperationOptions,
): Promise<string | undefined> {
  const swap = part('swap');
  if (swap) {
    const { page, uuid } = swapHeader(swap.size, LABELS.swap);
    await device.write(swap.start, padToBlocks(page, device.blockSize), opts);
    written.get(swap.number)!.filesystem = { type: 'swap', uuid, label: LABELS.swap };
  }
  let efiSystemPartitionUuid: string | undefined;
  const efi = part('efi');
  if (efi) {
    efiSystemPartitionUuid = await formatFat32(device, efi.start, efi.size, LABELS.efi, opts);
    written.get(efi.number)!.filesystem = { type: 'vfat', uuid: efiSystemPartitionUuid, label: LABELS.efi };
  }
  const ephemeral = part('ephemeral');
  if (ephemeral && !keepEphemeral) {
    if (p.ephemeralFormatter) {
      const target = { device, start: ephemeral.start, size: ephemeral.size, label: LABELS.ephemeral };
      await p.ephemeralFormatter.format({ ...target, role: 'ephemeral' }, opts);
      written.get(ephemeral.number)!.filesystem = identifyFilesystem(
        await device.read(ephemeral.start, IDENTIFY_BYTES, opts),
      );
    } else {
      logger.info('Ephemeral partition left unformatted (no ephemeralFormatter given)', {
        partition: ephemeral.number,
      });
    }
  }
  return efiSystemPartitionUuid;
}
