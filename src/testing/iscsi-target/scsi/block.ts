/**
 * The block commands (SBC-3): READ, WRITE, VERIFY, WRITE SAME, UNMAP and SYNCHRONIZE CACHE,
 * range-checked before any data moves.
 */
import { blockRange, ScsiOp } from './cdb.js';
import {
  MAX_TRANSFER_BYTES,
  MAX_UNMAP_BLOCKS,
  MAX_UNMAP_DESCRIPTORS,
  MAX_WRITE_SAME_BLOCKS,
} from './inquiry.js';
import { checkCondition, good, type ScsiOutcome, Sense } from './outcome.js';
import type { ScsiLun, ScsiPlan } from './plan.js';

const respond = (outcome: ScsiOutcome | Promise<ScsiOutcome>): ScsiPlan => ({ kind: 'respond', outcome });
const fail = (c: (typeof Sense)[keyof typeof Sense]): ScsiPlan => respond(checkCondition(c));

/** Whether blocks [lba, lba + blocks) lie beyond the medium. */
const beyondEnd = (lun: ScsiLun, lba: number, blocks: number): boolean => lba + blocks > lun.blockCount;

/** READ(6/10/12/16) and WRITE(6/10/12/16). */
export function readWrite(cdb: Buffer, lun: ScsiLun, write: boolean): ScsiPlan {
  const { lba, blocks, protect } = blockRange(cdb);
  // No protection information is formatted: any (RD|WR)PROTECT is an invalid field.
  if (protect !== 0) return fail(Sense.invalidFieldInCdb);
  if (beyondEnd(lun, lba, blocks)) return fail(Sense.lbaOutOfRange);
  if (blocks * lun.blockSize > MAX_TRANSFER_BYTES) return fail(Sense.invalidFieldInCdb);
  if (write && lun.readOnly) return fail(Sense.writeProtected);
  const at = { offset: lba * lun.blockSize, length: blocks * lun.blockSize };
  return write ? { kind: 'write', ...at } : { kind: 'read', ...at };
}

/**
 * VERIFY(10/16): BYTCHK 0 checks the range (the medium always reads back); 1 compares the
 * Data-Out with the blocks; 3 compares one block of Data-Out with each block.
 */
export function verify(cdb: Buffer, lun: ScsiLun): ScsiPlan {
  const { lba, blocks, protect } = blockRange(cdb);
  const byteCheck = (cdb[1]! >> 1) & 0x03;
  if (protect !== 0 || byteCheck === 2) return fail(Sense.invalidFieldInCdb);
  if (beyondEnd(lun, lba, blocks)) return fail(Sense.lbaOutOfRange);
  if (byteCheck === 0 || blocks === 0) return respond(good());
  if (blocks * lun.blockSize > MAX_TRANSFER_BYTES) return fail(Sense.invalidFieldInCdb);
  const offset = lba * lun.blockSize;
  const length = blocks * lun.blockSize;
  return {
    kind: 'collect',
    length: byteCheck === 1 ? length : lun.blockSize,
    run: async (data) => {
      const medium = await lun.backing.read(offset, length);
      for (let at = 0; at < length; at += lun.blockSize) {
        const expected = byteCheck === 1 ? data.subarray(at, at + lun.blockSize) : data;
        const block = medium.subarray(at, at + lun.blockSize);
        if (!block.equals(expected)) {
          let first = 0;
          while (block[first] === expected[first]) first++;
          return checkCondition(Sense.miscompare, at + first);
        }
      }
      return good();
    },
  };
}

/** SYNCHRONIZE CACHE(10/16): the backing is flushed whatever the range. */
export function synchronizeCache(cdb: Buffer, lun: ScsiLun): ScsiPlan {
  const { lba, blocks } = blockRange(cdb);
  if (beyondEnd(lun, lba, blocks)) return fail(Sense.lbaOutOfRange);
  return respond(
    lun.backing.flush().then(
      () => good(),
      () => checkCondition(Sense.writeError),
    ),
  );
}

/** WRITE SAME(10/16): one block repeated, or (UNMAP on a thin LUN, zero data) deallocation. */
export function writeSame(cdb: Buffer, lun: ScsiLun): ScsiPlan {
  const { lba, blocks, protect } = blockRange(cdb);
  const unmap = (cdb[1]! & 0x08) !== 0;
  const anchor = (cdb[1]! & 0x10) !== 0;
  const noDataOut = cdb[0] === ScsiOp.WriteSame16 && (cdb[1]! & 0x01) !== 0;
  if (protect !== 0 || anchor || (unmap && !lun.thin)) return fail(Sense.invalidFieldInCdb);
  if (blocks === 0 || blocks > MAX_WRITE_SAME_BLOCKS) return fail(Sense.invalidFieldInCdb);
  if (beyondEnd(lun, lba, blocks)) return fail(Sense.lbaOutOfRange);
  if (lun.readOnly) return fail(Sense.writeProtected);
  const offset = lba * lun.blockSize;
  const length = blocks * lun.blockSize;
  const run = (block: Buffer): Promise<ScsiOutcome> =>
    fill(lun, offset, length, block, unmap).then(
      () => good(),
      () => checkCondition(Sense.writeError),
    );
  if (noDataOut) return respond(run(Buffer.alloc(lun.blockSize)));
  return { kind: 'collect', length: lun.blockSize, run };
}

async function fill(
  lun: ScsiLun,
  offset: number,
  length: number,
  block: Buffer,
  unmap: boolean,
): Promise<void> {
  if (block.every((b) => b === 0)) return lun.backing.zero(offset, length, unmap);
  const repeats = Math.max(1, Math.floor((1 << 20) / block.length));
  const pattern = Buffer.alloc(Math.min(length, repeats * block.length));
  for (let at = 0; at < pattern.length; at += block.length) block.copy(pattern, at);
  for (let at = 0; at < length; at += pattern.length)
    await lun.backing.write(offset + at, pattern.subarray(0, Math.min(pattern.length, length - at)));
}

/** UNMAP (thin LUNs only): every block descriptor checked before anything is deallocated. */
export function unmap(cdb: Buffer, lun: ScsiLun): ScsiPlan {
  if (!lun.thin) return fail(Sense.invalidOpcode);
  if ((cdb[1]! & 0x01) !== 0) return fail(Sense.invalidFieldInCdb); // ANCHOR
  const length = cdb.readUInt16BE(7);
  if (length === 0) return respond(good());
  if (length < 8) return fail(Sense.parameterListLength);
  if (lun.readOnly) return fail(Sense.writeProtected);
  return {
    kind: 'collect',
    length,
    run: async (data) => {
      const described = Math.min(data.readUInt16BE(2), data.length - 8);
      const count = Math.floor(described / 16);
      if (count > MAX_UNMAP_DESCRIPTORS) return checkCondition(Sense.invalidFieldInParameterList);
      const ranges: Array<[number, number]> = [];
      let total = 0;
      for (let i = 0; i < count; i++) {
        const lba = Number(data.readBigUInt64BE(8 + 16 * i));
        const blocks = data.readUInt32BE(16 + 16 * i);
        if (beyondEnd(lun, lba, blocks)) return checkCondition(Sense.lbaOutOfRange);
        total += blocks;
        ranges.push([lba, blocks]);
      }
      if (total > MAX_UNMAP_BLOCKS) return checkCondition(Sense.invalidFieldInParameterList);
      try {
        for (const [lba, blocks] of ranges)
          await lun.backing.zero(lba * lun.blockSize, blocks * lun.blockSize, true);
        return good();
      } catch {
        return checkCondition(Sense.writeError);
      }
    },
  };
}
