/** Volume descriptors (ECMA-119 § 8; Joliet; El Torito boot record). */
import { BLOCK, both16, both32, latin1, padded, ucs2Padded, volumeDate } from './encoding.js';

/** Where a directory tree's root and path tables are. */
export interface TreeLocation {
  /** The root directory's 34-byte record. */
  readonly rootRecord: Uint8Array;
  readonly pathTableSize: number;
  readonly lPathTable: number;
  readonly mPathTable: number;
}

/** Fields shared by the primary and the Joliet descriptor. */
export interface VolumeFields {
  readonly volumeLabel: string;
  readonly volumeBlocks: number;
  readonly publisher: string;
  readonly applicationId: string;
  readonly timestamp: Date;
}

/** A primary (`joliet: false`) or Joliet supplementary volume descriptor. */
export function volumeDescriptor(fields: VolumeFields, tree: TreeLocation, joliet: boolean): Uint8Array {
  const d = new Uint8Array(BLOCK);
  const v = new DataView(d.buffer);
  const text = joliet ? ucs2Padded : padded;
  d[0] = joliet ? 2 : 1;
  d.set(latin1('CD001'), 1);
  d[6] = 1;
  d.set(text('', 32), 8);
  d.set(text(fields.volumeLabel, 32), 40);
  both32(v, 80, fields.volumeBlocks);
  // UCS-2 level 3 escape sequence.
  if (joliet) d.set([0x25, 0x2f, 0x45], 88);
  both16(v, 120, 1);
  both16(v, 124, 1);
  both16(v, 128, BLOCK);
  both32(v, 132, tree.pathTableSize);
  v.setUint32(140, tree.lPathTable, true);
  v.setUint32(148, tree.mPathTable, false);
  d.set(tree.rootRecord, 156);
  d.set(text('', 128), 190);
  d.set(text(fields.publisher, 128), 318);
  d.set(text('', 128), 446);
  d.set(text(fields.applicationId, 128), 574);
  for (const at of [702, 739, 776]) d.set(text('', joliet ? 36 : 37), at);
  d.set(volumeDate(fields.timestamp), 813);
  d.set(volumeDate(fields.timestamp), 830);
  d.set(volumeDate(undefined), 847);
  d.set(volumeDate(fields.timestamp), 864);
  d[881] = 1;
  return d;
}

/** The El Torito boot record volume descriptor, pointing at the boot catalog. */
export function bootRecord(catalogBlock: number): Uint8Array {
  const d = new Uint8Array(BLOCK);
  d[0] = 0;
  d.set(latin1('CD001'), 1);
  d[6] = 1;
  d.set(latin1('EL TORITO SPECIFICATION'), 7);
  new DataView(d.buffer).setUint32(71, catalogBlock, true);
  return d;
}

/** The volume descriptor set terminator. */
export function terminator(): Uint8Array {
  const d = new Uint8Array(BLOCK);
  d[0] = 255;
  d.set(latin1('CD001'), 1);
  d[6] = 1;
  return d;
}
