/**
 * The partition table step of a partition-image deploy: a fresh table (the usual case), or the
 * table already on the disk, checked against the layout, when the ephemeral partition is kept.
 */
import type { Logger, OperationOptions } from '../../../contracts/index.js';
import { InstanceDeployFailure } from '../../../errors/index.js';
import type { BlockDevice } from '../disk/block-device.js';
import type { LayoutRequest, PlannedPartition } from '../disk/layout.js';
import { buildGpt, buildMbr } from '../disk/partition-table.js';
import { readPartitionTable } from '../disk/read-table.js';
import { destroyDiskMetadata } from './disk-metadata.js';

const MIB = 1 << 20;

/** Writes a new partition table; returns the partitions' UUIDs by number. */
export async function partitionDisk(
  device: BlockDevice,
  planned: readonly PlannedPartition[],
  layout: LayoutRequest,
  logger: Logger,
  opts: OperationOptions,
): Promise<Map<number, string>> {
  await destroyDiskMetadata(device, opts);
  const table =
    layout.diskLabel === 'gpt'
      ? buildGpt(planned, device.blockSize, device.sizeBytes / device.blockSize)
      : buildMbr(planned, device.blockSize, layout.bootOption === 'local' && layout.bootMode === 'bios');
  for (const w of table.writes) await device.write(w.offset, w.data, opts);
  // Old file system signatures at the new partitions' starts would otherwise be found by blkid.
  await Promise.all(planned.map((x) => device.writeZeroes(x.start, Math.min(x.size, MIB), opts)));
  logger.info('Partition table written', {
    label: layout.diskLabel,
    partitions: planned.map((x) => `${x.number}:${x.role}:${x.size / MIB}MiB`),
  });
  return table.partUuids;
}

/**
 * Checks that the disk's table is the one this layout would write (same label, same partitions
 * at the same places), so that the ephemeral partition can be kept; returns the partitions'
 * UUIDs. Reads only: throws before anything is written when the table does not match.
 */
export async function reusePartitions(
  device: BlockDevice,
  planned: readonly PlannedPartition[],
  layout: LayoutRequest,
  opts: OperationOptions,
): Promise<Map<number, string>> {
  const existing = await readPartitionTable(device, opts);
  const describe = (p: { number: number; start: number; size: number }) =>
    `${p.number}@${p.start / MIB}MiB+${p.size / MIB}MiB`;
  const mismatch = (why: string) =>
    new InstanceDeployFailure({
      reason: `preserve_ephemeral: ${why}; the disk was left as it is`,
    });
  if (existing === undefined) throw mismatch('the disk has no partition table to keep');
  if (existing.label !== layout.diskLabel)
    throw mismatch(
      `the disk has an ${existing.label} partition table, the layout asks for ${layout.diskLabel}`,
    );
  const uuids = new Map<number, string>();
  for (const p of planned) {
    const found = existing.partitions.find((e) => e.number === p.number);
    if (!found || found.start !== p.start || found.size !== p.size)
      throw mismatch(
        `partition ${describe(p)} (${p.role}) is ${found ? describe(found) : 'missing'} on the disk`,
      );
    uuids.set(p.number, found.partUuid);
  }
  return uuids;
}
