/**
 * Command descriptor blocks (SPC-4, SBC-3) for the commands the writer sends. Logical block
 * addresses are 64-bit, so disks larger than 2 TiB are addressed without READ/WRITE(10) limits.
 */

/**
 * A CDB and the name errors use for it.
 *
 * @example
 * ```ts
 * const inquiry: Cdb = { bytes: Buffer.from([0x12, 0, 0, 0, 96, 0]), name: 'INQUIRY' };
 * ```
 */
export interface Cdb {
  /** The bytes. */
  bytes: Buffer;
  /** For example `'WRITE(16)'`. */
  name: string;
}

function lba16(opcode: number, lba: number, blocks: number): Buffer {
  const b = Buffer.alloc(16);
  b[0] = opcode;
  b.writeBigUInt64BE(BigInt(lba), 2);
  b.writeUInt32BE(blocks, 10);
  return b;
}

/** TEST UNIT READY. */
export function testUnitReady(): Cdb {
  return { bytes: Buffer.alloc(6), name: 'TEST UNIT READY' };
}

/** INQUIRY: standard data, or a vital product data page. */
export function inquiry(allocationLength: number, vpdPage?: number): Cdb {
  const b = Buffer.alloc(6);
  b[0] = 0x12;
  if (vpdPage !== undefined) {
    b[1] = 0x01;
    b[2] = vpdPage;
  }
  b.writeUInt16BE(allocationLength, 3);
  return { bytes: b, name: vpdPage === undefined ? 'INQUIRY' : `INQUIRY VPD 0x${vpdPage.toString(16)}` };
}

/** READ CAPACITY(16) (SERVICE ACTION IN(16), service action 0x10). */
export function readCapacity16(): Cdb {
  const b = Buffer.alloc(16);
  b[0] = 0x9e;
  b[1] = 0x10;
  b.writeUInt32BE(32, 10);
  return { bytes: b, name: 'READ CAPACITY(16)' };
}

/** READ(16). */
export function read16(lba: number, blocks: number): Cdb {
  return { bytes: lba16(0x88, lba, blocks), name: 'READ(16)' };
}

/** WRITE(16). */
export function write16(lba: number, blocks: number): Cdb {
  return { bytes: lba16(0x8a, lba, blocks), name: 'WRITE(16)' };
}

/**
 * WRITE SAME(16): one block of data written to `blocks` blocks; with `unmap`, the target may
 * deallocate them instead (only meaningful for zeros on a LUN whose unmapped blocks read zero).
 */
export function writeSame16(lba: number, blocks: number, unmap = false): Cdb {
  const bytes = lba16(0x93, lba, blocks);
  if (unmap) bytes[1] = 0x08;
  return { bytes, name: 'WRITE SAME(16)' };
}

/** SYNCHRONIZE CACHE(16) of the whole medium. */
export function synchronizeCache16(): Cdb {
  return { bytes: lba16(0x91, 0, 0), name: 'SYNCHRONIZE CACHE(16)' };
}
