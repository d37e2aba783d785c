/**
 * Reads a disk's partition table back (MBR or GPT with a valid header CRC), for a rebuild that
 * keeps the ephemeral partition: Ironic's `preserve_ephemeral` reuses the partitions in place.
 */

import { crc32 } from 'node:zlib';
import type { OperationOptions } from '../../../contracts/index.js';
import type { BlockDevice } from './block-device.js';

/** A partition found on the disk. */
export interface ExistingPartition {
  /** 1-based partition number. */
  number: number;
  /** First byte. */
  start: number;
  /** Size in bytes. */
  size: number;
  /** `PARTUUID`. */
  partUuid: string;
}

/** A partition table found on the disk. */
export interface ExistingTable {
  /** Its type. */
  label: 'msdos' | 'gpt';
  /** Its partitions, by number. */
  partitions: ExistingPartition[];
}

function guidString(b: Buffer): string {
  const h = Buffer.from(b);
  const hex = [
    h.readUInt32LE(0).toString(16).padStart(8, '0'),
    h.readUInt16LE(4).toString(16).padStart(4, '0'),
    h.readUInt16LE(6).toString(16).padStart(4, '0'),
    h.subarray(8, 10).toString('hex'),
    h.subarray(10, 16).toString('hex'),
  ];
  return hex.join('-');
}

/** The disk's partition table, or undefined when it has none this library can read. */
export async function readPartitionTable(
  device: BlockDevice,
  options: OperationOptions = {},
): Promise<ExistingTable | undefined> {
  const bs = device.blockSize;
  const head = await device.read(0, Math.min(device.sizeBytes, bs * 2 + 16384), options);
  if (head[510] !== 0x55 || head[511] !== 0xaa) return undefined;
  if (head[446 + 4] === 0xee) {
    const header = head.subarray(bs, bs + 92);
    if (header.toString('latin1', 0, 8) !== 'EFI PART') return undefined;
    const crc = header.readUInt32LE(16);
    const zeroed = Buffer.from(header);
    zeroed.writeUInt32LE(0, 16);
    if (crc32(zeroed) !== crc) return undefined;
    const count = header.readUInt32LE(80);
    const size = header.readUInt32LE(84);
    const entries = await device.read(
      Number(header.readBigUInt64LE(72)) * bs,
      Math.ceil((count * size) / bs) * bs,
      options,
    );
    const partitions: ExistingPartition[] = [];
    for (let i = 0; i < count; i++) {
      const e = entries.subarray(i * size, (i + 1) * size);
      if (e.subarray(0, 16).every((b) => b === 0)) continue;
      const first = Number(e.readBigUInt64LE(32));
      const last = Number(e.readBigUInt64LE(40));
      partitions.push({
        number: i + 1,
        start: first * bs,
        size: (last - first + 1) * bs,
        partUuid: guidString(e.subarray(16, 32)),
      });
    }
    return { label: 'gpt', partitions };
  }
  const signature = head.readUInt32LE(440).toString(16).padStart(8, '0');
  const partitions: ExistingPartition[] = [];
  for (let slot = 0; slot < 4; slot++) {
    const at = 446 + slot * 16;
    const blocks = head.readUInt32LE(at + 12);
    if (head[at + 4] === 0 || blocks === 0) continue;
    partitions.push({
      number: slot + 1,
      start: head.readUInt32LE(at + 8) * bs,
      size: blocks * bs,
      partUuid: `${signature}-${String(slot + 1).padStart(2, '0')}`,
    });
  }
  return { label: 'msdos', partitions };
}
