/**
 * Partition tables: an MBR (msdos) with up to four primary partitions, or a GPT (UEFI 2.10
 * § 5.3) with its protective MBR, primary header and entries at the start and the backup
 * entries and header at the end of the disk.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { gptTailBytes, type PartitionRole, type PlannedPartition } from './layout.js';

/** GPT partition type GUIDs. */
const GPT_TYPES: Record<PartitionRole, string> = {
  efi: 'c12a7328-f81f-11d2-ba4b-00a0c93ec93b',
  'bios-boot': '21686148-6449-6e6f-744e-656564454649',
  ephemeral: '0fc63daf-8483-4772-8e79-3d69d8477de4',
  swap: '0657fd6d-a4ab-43c4-84e5-0933c84b4f4f',
  root: '0fc63daf-8483-4772-8e79-3d69d8477de4',
  configdrive: '0fc63daf-8483-4772-8e79-3d69d8477de4',
};
/** MBR partition type bytes. */
const MBR_TYPES: Record<PartitionRole, number> = {
  efi: 0xef,
  'bios-boot': 0xef,
  ephemeral: 0x83,
  swap: 0x82,
  root: 0x83,
  configdrive: 0x83,
};
/** Partition names written in GPT entries. */
const GPT_NAMES: Record<PartitionRole, string> = {
  efi: 'EFI System Partition',
  'bios-boot': 'BIOS boot partition',
  ephemeral: 'ephemeral0',
  swap: 'swap1',
  root: 'root',
  configdrive: 'config-2',
};

const ENTRY_SIZE = 128;
const ENTRY_COUNT = 128;

/** Bytes to write at an offset. */
export interface DiskWrite {
  /** Byte offset on the disk. */
  offset: number;
  /** The bytes (a whole number of blocks). */
  data: Buffer;
}

/** A partition table ready to write, with the identifiers it assigned. */
export interface PartitionTable {
  /** What to write, first the start of the disk. */
  writes: DiskWrite[];
  /** MBR disk signature as Ironic printed it (`0x%08x`), or the GPT disk GUID. */
  diskId: string;
  /** Partition UUIDs (`PARTUUID`), by partition number. */
  partUuids: Map<number, string>;
}

/** Encodes a GUID in its on-disk mixed-endian form. */
export function guidBytes(guid: string): Buffer {
  const hex = Buffer.from(guid.replace(/-/g, ''), 'hex');
  const out = Buffer.from(hex);
  out.writeUInt32LE(hex.readUInt32BE(0), 0);
  out.writeUInt16LE(hex.readUInt16BE(4), 4);
  out.writeUInt16LE(hex.readUInt16BE(6), 6);
  return out;
}

/** CHS of a block address as fdisk writes it (255 heads, 63 sectors; past cylinder 1023, the maximum). */
function chs(lba: number): [number, number, number] {
  const cylinder = Math.floor(lba / (255 * 63));
  if (cylinder > 1023) return [0xfe, 0xff, 0xff];
  const head = Math.floor(lba / 63) % 255;
  const sector = (lba % 63) + 1;
  return [head, ((cylinder >> 2) & 0xc0) | sector, cylinder & 0xff];
}

function mbrEntry(
  sector: Buffer,
  slot: number,
  type: number,
  firstLba: number,
  blocks: number,
  active: boolean,
): void {
  const at = 446 + slot * 16;
  sector[at] = active ? 0x80 : 0;
  sector.set(chs(firstLba), at + 1);
  sector[at + 4] = type;
  sector.set(chs(firstLba + blocks - 1), at + 5);
  sector.writeUInt32LE(firstLba, at + 8);
  sector.writeUInt32LE(blocks, at + 12);
}

/** An MBR partition table. `bootable` sets the active flag on the root partition. */
export function buildMbr(
  partitions: readonly PlannedPartition[],
  blockSize: number,
  bootable: boolean,
): PartitionTable {
  const sector = Buffer.alloc(blockSize);
  const signature = randomBytes(4).readUInt32LE(0) || 1;
  sector.writeUInt32LE(signature, 440);
  const partUuids = new Map<number, string>();
  const hex = signature.toString(16).padStart(8, '0');
  partitions.forEach((p, slot) => {
    mbrEntry(
      sector,
      slot,
      MBR_TYPES[p.role],
      p.start / blockSize,
      p.size / blockSize,
      bootable && p.role === 'root',
    );
    partUuids.set(p.number, `${hex}-${String(p.number).padStart(2, '0')}`);
  });
  sector[510] = 0x55;
  sector[511] = 0xaa;
  return { writes: [{ offset: 0, data: sector }], diskId: `0x${hex}`, partUuids };
}

/** A GPT for a disk of `blockCount` blocks. */
export function buildGpt(
  partitions: readonly PlannedPartition[],
  blockSize: number,
  blockCount: number,
): PartitionTable {
  const entryBlocks = (ENTRY_COUNT * ENTRY_SIZE) / blockSize;
  const lastLba = blockCount - 1;
  const entries = Buffer.alloc(ENTRY_COUNT * ENTRY_SIZE);
  const partUuids = new Map<number, string>();
  partitions.forEach((p, i) => {
    const at = i * ENTRY_SIZE;
    const uuid = randomUUID();
    guidBytes(GPT_TYPES[p.role]).copy(entries, at);
    guidBytes(uuid).copy(entries, at + 16);
    entries.writeBigUInt64LE(BigInt(p.start / blockSize), at + 32);
    entries.writeBigUInt64LE(BigInt((p.start + p.size) / blockSize - 1), at + 40);
    entries.write(GPT_NAMES[p.role], at + 56, 72, 'utf16le');
    partUuids.set(p.number, uuid);
  });
  const diskGuid = randomUUID();
  const header = (myLba: number, alternateLba: number, entriesLba: number): Buffer => {
    const h = Buffer.alloc(blockSize);
    h.write('EFI PART', 0, 'latin1');
    h.writeUInt32LE(0x00010000, 8);
    h.writeUInt32LE(92, 12);
    h.writeBigUInt64LE(BigInt(myLba), 24);
    h.writeBigUInt64LE(BigInt(alternateLba), 32);
    h.writeBigUInt64LE(BigInt(2 + entryBlocks), 40);
    h.writeBigUInt64LE(BigInt(lastLba - 1 - entryBlocks), 48);
    guidBytes(diskGuid).copy(h, 56);
    h.writeBigUInt64LE(BigInt(entriesLba), 72);
    h.writeUInt32LE(ENTRY_COUNT, 80);
    h.writeUInt32LE(ENTRY_SIZE, 84);
    h.writeUInt32LE(crc32(entries), 88);
    h.writeUInt32LE(crc32(h.subarray(0, 92)), 16);
    return h;
  };
  const protective = Buffer.alloc(blockSize);
  mbrEntry(protective, 0, 0xee, 1, Math.min(lastLba, 0xffffffff), false);
  protective[510] = 0x55;
  protective[511] = 0xaa;
  const start = Buffer.concat([protective, header(1, lastLba, 2), entries]);
  const backupEntriesLba = lastLba - entryBlocks;
  const end = Buffer.concat([entries, header(lastLba, 1, backupEntriesLba)]);
  if (end.length !== gptTailBytes(blockSize)) throw new Error('GPT tail size mismatch');
  return {
    writes: [
      { offset: 0, data: start },
      { offset: backupEntriesLba * blockSize, data: end },
    ],
    diskId: diskGuid,
    partUuids,
  };
}
