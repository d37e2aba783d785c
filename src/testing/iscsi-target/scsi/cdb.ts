/**
 * Reading the CDBs of the block commands (SBC-3): the logical block address, the number of
 * blocks, and the flag bits each command form carries.
 */

/** Opcodes this target knows (SPC-4, SBC-3). */
export const ScsiOp = {
  TestUnitReady: 0x00,
  RequestSense: 0x03,
  Read6: 0x08,
  Write6: 0x0a,
  Inquiry: 0x12,
  ModeSense6: 0x1a,
  StartStopUnit: 0x1b,
  ReadCapacity10: 0x25,
  Read10: 0x28,
  Write10: 0x2a,
  Verify10: 0x2f,
  SynchronizeCache10: 0x35,
  WriteSame10: 0x41,
  Unmap: 0x42,
  ModeSense10: 0x5a,
  Read16: 0x88,
  Write16: 0x8a,
  Verify16: 0x8f,
  SynchronizeCache16: 0x91,
  WriteSame16: 0x93,
  ServiceActionIn16: 0x9e,
  ReportLuns: 0xa0,
  Read12: 0xa8,
  Write12: 0xaa,
} as const;

/** SERVICE ACTION IN(16) service action of READ CAPACITY(16). */
export const READ_CAPACITY_16 = 0x10;

const NAMES: Record<number, string> = {
  0: 'TEST UNIT READY',
  3: 'REQUEST SENSE',
  8: 'READ(6)',
  10: 'WRITE(6)',
  18: 'INQUIRY',
  26: 'MODE SENSE(6)',
  27: 'START STOP UNIT',
  37: 'READ CAPACITY(10)',
  40: 'READ(10)',
  42: 'WRITE(10)',
  47: 'VERIFY(10)',
  53: 'SYNCHRONIZE CACHE(10)',
  65: 'WRITE SAME(10)',
  66: 'UNMAP',
  90: 'MODE SENSE(10)',
  136: 'READ(16)',
  138: 'WRITE(16)',
  143: 'VERIFY(16)',
  145: 'SYNCHRONIZE CACHE(16)',
  147: 'WRITE SAME(16)',
  160: 'REPORT LUNS',
  168: 'READ(12)',
  170: 'WRITE(12)',
};

/** The command's name as initiators' errors spell it, for example `'WRITE(16)'`. */
export function commandName(cdb: Buffer): string {
  const op = cdb[0]!;
  if (op === ScsiOp.ServiceActionIn16)
    return (cdb[1]! & 0x1f) === READ_CAPACITY_16 ? 'READ CAPACITY(16)' : 'SERVICE ACTION IN(16)';
  return NAMES[op] ?? `OPCODE 0x${op.toString(16).padStart(2, '0')}`;
}

/** The addressing of a block command. */
export interface BlockRange {
  /** First logical block (may exceed 2^53 when the CDB is nonsense; it is then out of range anyway). */
  lba: number;
  /** Number of blocks. */
  blocks: number;
  /** RDPROTECT / WRPROTECT / VRPROTECT (bits 7–5 of byte 1). */
  protect: number;
}

/** LBA and length of READ/WRITE/VERIFY/WRITE SAME/SYNCHRONIZE CACHE in any CDB size. */
export function blockRange(cdb: Buffer): BlockRange {
  const protect = cdb[1]! >> 5;
  switch (cdbSize(cdb[0]!)) {
    case 6: {
      const blocks = cdb[4]!;
      // READ(6)/WRITE(6): a length of 0 means 256 blocks.
      return { lba: cdb.readUIntBE(1, 3) & 0x1fffff, blocks: blocks === 0 ? 256 : blocks, protect: 0 };
    }
    case 10:
      return { lba: cdb.readUInt32BE(2), blocks: cdb.readUInt16BE(7), protect };
    case 12:
      return { lba: cdb.readUInt32BE(2), blocks: cdb.readUInt32BE(6), protect };
    default:
      return { lba: Number(cdb.readBigUInt64BE(2)), blocks: cdb.readUInt32BE(10), protect };
  }
}

/** CDB length by group code (SPC-4 § 4.2.5.1). */
export function cdbSize(opcode: number): number {
  const group = opcode >> 5;
  if (group === 0) return 6;
  if (group === 1 || group === 2) return 10;
  if (group === 4) return 16;
  if (group === 5) return 12;
  return 16;
}
