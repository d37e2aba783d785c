/** Directory records (ECMA-119 § 9.1) and path tables (§ 9.4) of one directory tree. */

import { concatBytes } from '../source.js';
import { BLOCK, both16, both32, recordDate } from './encoding.js';
import { CE_LENGTH, ce } from './rock-ridge.js';

export const FLAG_DIRECTORY = 0x02;
/** Set on every record of a multi-extent file but its last (§ 9.1.6, level 3). */
export const FLAG_NOT_FINAL = 0x80;
const MAX_RECORD = 255;

/** A directory record whose target location is resolved when it is encoded. */
export interface RecordSpec {
  readonly id: Uint8Array;
  readonly flags: number;
  /** Block and byte length of the extent, read once the layout is done. */
  readonly extent: () => { block: number; size: number };
  /** System use entries kept in the record. */
  readonly inline: Uint8Array;
  /** System use entries that did not fit, written to a continuation area. */
  readonly continued: Uint8Array | undefined;
  /** Where the continuation area went, set by the layout. */
  continuation: { block: number; offset: number } | undefined;
}

function baseLength(id: Uint8Array): number {
  return 33 + id.length + (id.length % 2 === 0 ? 1 : 0);
}

/** A record spec, moving system use entries to a continuation area when the record would overflow. */
export function recordSpec(
  id: Uint8Array,
  flags: number,
  extent: RecordSpec['extent'],
  susp: readonly Uint8Array[],
): RecordSpec {
  const base = baseLength(id);
  const total = susp.reduce((n, e) => n + e.length, 0);
  if (base + total <= MAX_RECORD)
    return { id, flags, extent, inline: concatBytes(susp), continued: undefined, continuation: undefined };
  let kept = 0;
  let room = MAX_RECORD - base - CE_LENGTH;
  while (kept < susp.length && susp[kept]!.length <= room) room -= susp[kept++]!.length;
  return {
    id,
    flags,
    extent,
    inline: concatBytes(susp.slice(0, kept)),
    continued: concatBytes(susp.slice(kept)),
    continuation: undefined,
  };
}

/** Encoded length of a record (even, § 9.1.13). */
export function recordLength(spec: RecordSpec): number {
  const length = baseLength(spec.id) + spec.inline.length + (spec.continued ? CE_LENGTH : 0);
  return length + (length % 2);
}

/** Byte length of a directory's extent: records never straddle a block. */
export function directorySize(specs: readonly RecordSpec[]): number {
  let at = 0;
  for (const spec of specs) {
    const length = recordLength(spec);
    if ((at % BLOCK) + length > BLOCK) at = Math.ceil(at / BLOCK) * BLOCK;
    at += length;
  }
  return Math.ceil(at / BLOCK) * BLOCK;
}

/** Encodes one record. */
export function encodeRecord(spec: RecordSpec, date: Date): Uint8Array {
  const out = new Uint8Array(recordLength(spec));
  const v = new DataView(out.buffer);
  const { block, size } = spec.extent();
  out[0] = out.length;
  both32(v, 2, block);
  both32(v, 10, size);
  out.set(recordDate(date), 18);
  out[25] = spec.flags;
  both16(v, 28, 1);
  out[32] = spec.id.length;
  out.set(spec.id, 33);
  let at = baseLength(spec.id);
  out.set(spec.inline, at);
  at += spec.inline.length;
  if (spec.continued !== undefined) {
    const where = spec.continuation;
    if (where === undefined) throw new Error('continuation area not placed');
    out.set(ce(where.block, where.offset, spec.continued.length), at);
  }
  return out;
}

/** Encodes a directory's extent. */
export function encodeDirectory(specs: readonly RecordSpec[], date: Date): Uint8Array {
  const out = new Uint8Array(directorySize(specs));
  let at = 0;
  for (const spec of specs) {
    const record = encodeRecord(spec, date);
    if ((at % BLOCK) + record.length > BLOCK) at = Math.ceil(at / BLOCK) * BLOCK;
    out.set(record, at);
    at += record.length;
  }
  return out;
}

/** One directory in path-table order. */
export interface PathTableRow {
  readonly id: Uint8Array;
  /** 1-based number of the parent in path-table order (the root is its own parent). */
  readonly parent: number;
  readonly block: () => number;
}

/** Byte length of a path table. */
export function pathTableSize(rows: readonly PathTableRow[]): number {
  return rows.reduce((n, r) => n + 8 + r.id.length + (r.id.length % 2), 0);
}

/** A path table, little-endian (type L) or big-endian (type M). */
export function encodePathTable(rows: readonly PathTableRow[], littleEndian: boolean): Uint8Array {
  const out = new Uint8Array(pathTableSize(rows));
  const v = new DataView(out.buffer);
  let at = 0;
  for (const row of rows) {
    out[at] = row.id.length;
    v.setUint32(at + 2, row.block(), littleEndian);
    v.setUint16(at + 6, row.parent, littleEndian);
    out.set(row.id, at + 8);
    at += 8 + row.id.length + (row.id.length % 2);
  }
  return out;
}
