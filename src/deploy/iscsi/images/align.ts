/**
 * Re-cuts extents on block boundaries: a disk is written in whole blocks, while a qcow2 image
 * with 512-byte clusters on a 4096-byte-block disk, or a raw image whose size is not a multiple
 * of the block size, has extents that start or end inside a block. Partial blocks are merged
 * with their neighbours (zeros included) and the last block is padded with zeros.
 */
import type { Extent } from './extent.js';

/** Yields block-aligned extents with the same content. */
export async function* alignExtents(
  extents: AsyncIterable<Extent>,
  blockSize: number,
): AsyncGenerator<Extent> {
  // A partial block being assembled: it starts at `carryStart` (aligned) and holds `carryFill` bytes.
  let carry: Buffer | undefined;
  let carryStart = 0;
  let carryFill = 0;
  for await (const e of extents) {
    let offset = e.offset;
    let data = 'data' in e ? e.data : undefined;
    const release = 'data' in e ? e.release : undefined;
    let zeros = 'data' in e ? 0 : e.zeroLength;
    if (carry === undefined && offset % blockSize !== 0) {
      // Only a first extent can start inside a block; what precedes it in that block is zeros.
      carryStart = offset - (offset % blockSize);
      carry = Buffer.alloc(blockSize);
      carryFill = offset - carryStart;
    }
    if (carry !== undefined) {
      const n = Math.min(blockSize - carryFill, data ? data.length : zeros);
      if (data) {
        data.copy(carry, carryFill, 0, n);
        data = data.subarray(n);
      } else zeros -= n;
      carryFill += n;
      offset += n;
      if (carryFill < blockSize) {
        release?.();
        continue;
      }
      yield { offset: carryStart, data: carry };
      carry = undefined;
    }
    const length = data ? data.length : zeros;
    const whole = length - (length % blockSize);
    if (whole < length) {
      carry = Buffer.alloc(blockSize);
      carryStart = offset + whole;
      carryFill = length - whole;
      if (data) data.copy(carry, 0, whole);
    }
    // The reader's buffer goes back once its last use is written, or at once if it was all copied.
    if (whole > 0)
      yield data ? { offset, data: data.subarray(0, whole), release } : { offset, zeroLength: whole };
    else release?.();
  }
  if (carry !== undefined) yield { offset: carryStart, data: carry };
}
