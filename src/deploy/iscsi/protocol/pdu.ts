/**
 * What every iSCSI PDU shares (RFC 7143 § 11): opcodes, the 48-byte Basic Header Segment's
 * common fields, LUN encoding, padding. Digests are never negotiated, so a PDU is
 * BHS + AHS + data segment padded to four bytes. Initiator PDUs are in `pdu-out.ts`, target PDUs
 * in `pdu-in.ts`.
 */

/** Length of the Basic Header Segment. */
export const BHS_LENGTH = 48;
/** The "no task" tag (RFC 7143 § 11.1: reserved ITT/TTT value). */
export const RESERVED_TAG = 0xffffffff;

/** Opcodes (RFC 7143 § 11.1.1). */
export const Op = {
  NopOut: 0x00,
  ScsiCommand: 0x01,
  LoginRequest: 0x03,
  DataOut: 0x05,
  LogoutRequest: 0x06,
  NopIn: 0x20,
  ScsiResponse: 0x21,
  TaskManagementResponse: 0x22,
  LoginResponse: 0x23,
  TextResponse: 0x24,
  DataIn: 0x25,
  LogoutResponse: 0x26,
  R2T: 0x31,
  AsyncMessage: 0x32,
  Reject: 0x3f,
} as const;

/** A PDU as read from the wire; its buffers are valid only while it is being handled (copy to keep). */
export interface RawPdu {
  /** The 48-byte BHS. */
  bhs: Buffer;
  /** The data segment without its padding. */
  data: Buffer;
}

/** The opcode of a PDU. */
export function opcodeOf(bhs: Buffer): number {
  return bhs[0]! & 0x3f;
}

/** Length of the data segment announced in a BHS. */
export function dataSegmentLength(bhs: Buffer): number {
  return (bhs[5]! << 16) | (bhs[6]! << 8) | bhs[7]!;
}

/** Length of the additional header segments announced in a BHS, in bytes. */
export function ahsLength(bhs: Buffer): number {
  return bhs[4]! * 4;
}

/** Bytes of padding after a data segment of `length` bytes. */
export function padding(length: number): number {
  return (4 - (length % 4)) % 4;
}

/** Encodes a LUN for the BHS (SAM-5 single-level, peripheral or flat addressing). */
export function encodeLun(lun: number): Buffer {
  const out = Buffer.alloc(8);
  if (lun < 256) out[1] = lun;
  else out.writeUInt16BE(0x4000 | lun, 0);
  return out;
}

/** Login stages (CSG/NSG values). */
export const Stage = { Security: 0, Operational: 1, FullFeature: 3 } as const;
/** A login stage. */
export type StageValue = (typeof Stage)[keyof typeof Stage];
