/**
 * The iSCSI wire format seen from the target (RFC 7143 § 11): opcodes, the fields of an
 * initiator's 48-byte Basic Header Segment, LUN addressing, and a reader that frames the TCP
 * byte stream into PDUs. Digests are never negotiated, so a PDU is BHS + AHS + data + padding.
 */

/** Length of the Basic Header Segment. */
export const BHS_BYTES = 48;
/** The reserved tag: "no task" (ITT) or "no transfer" (TTT). */
export const NO_TAG = 0xffffffff;
/** What a data segment may hold during login, whatever is negotiated later (RFC 7143 § 6.1). */
export const LOGIN_SEGMENT_BYTES = 8192;

/** Opcodes (RFC 7143 § 11.1.1): initiator PDUs below 0x20, target PDUs from 0x20. */
export const Opcode = {
  NopOut: 0x00,
  ScsiCommand: 0x01,
  TaskManagement: 0x02,
  Login: 0x03,
  Text: 0x04,
  DataOut: 0x05,
  Logout: 0x06,
  Snack: 0x10,
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

/** Reject reasons (RFC 7143 § 11.17.1). */
export const RejectReason = {
  SnackReject: 0x03,
  ProtocolError: 0x04,
  CommandNotSupported: 0x05,
  TaskInProgress: 0x07,
  InvalidPduField: 0x09,
  WaitingForLogout: 0x0c,
} as const;

/** A PDU from the initiator. Its buffers belong to it: they may be kept. */
export interface InboundPdu {
  /** The 48-byte BHS. */
  bhs: Buffer;
  /** Additional header segments (an extended CDB), usually empty. */
  ahs: Buffer;
  /** The data segment, without padding. */
  data: Buffer;
}

/** A PDU the stream cannot carry: the connection is dropped after a Reject naming `reason`. */
export class FramingError extends Error {
  constructor(
    message: string,
    /** The offending header, echoed in the Reject. */
    readonly bhs: Buffer,
  ) {
    super(message);
  }
}

export const opcodeOf = (bhs: Buffer): number => bhs[0]! & 0x3f;
export const isImmediate = (bhs: Buffer): boolean => (bhs[0]! & 0x40) !== 0;
export const isFinal = (bhs: Buffer): boolean => (bhs[1]! & 0x80) !== 0;
export const ittOf = (bhs: Buffer): number => bhs.readUInt32BE(16);
export const dataLengthOf = (bhs: Buffer): number => bhs.readUIntBE(5, 3);
export const padTo4 = (length: number): number => (4 - (length % 4)) % 4;

/**
 * The LUN of a BHS (SAM-5 § 4.7: peripheral or flat single-level addressing); -1 for an
 * addressing method this target does not use (which reaches no logical unit).
 */
export function decodeLun(bhs: Buffer, at = 8): number {
  const method = bhs[at]! >> 6;
  const rest = bhs.readUInt32BE(at + 2) | bhs.readUInt16BE(at + 6);
  if (rest !== 0) return -1;
  if (method === 0) return bhs[at]! === 0 ? bhs[at + 1]! : -1;
  if (method === 1) return ((bhs[at]! & 0x3f) << 8) | bhs[at + 1]!;
  return -1;
}

/** Eight bytes of LUN, the way REPORT LUNS lists it and target PDUs echo it. */
export function encodeLun(lun: number): Buffer {
  const out = Buffer.alloc(8);
  if (lun < 256) out[1] = lun;
  else out.writeUInt16BE(0x4000 | lun, 0);
  return out;
}

/**
 * Frames the byte stream into PDUs. The socket hands over fresh buffers (no `onread` reuse), so
 * PDUs are views of them, copied only when a PDU straddles two reads.
 */
export class PduReader {
  private readonly chunks: Buffer[] = [];
  private queued = 0;
  private header: Buffer | undefined;
  private bodyBytes = 0;

  /** @param maxDataSegment the largest data segment accepted (ours: `MaxRecvDataSegmentLength`). */
  constructor(public maxDataSegment: number) {}

  /** Adds bytes; returns the PDUs they complete. Throws {@link FramingError} on an oversized segment. */
  push(chunk: Buffer): InboundPdu[] {
    this.chunks.push(chunk);
    this.queued += chunk.length;
    const out: InboundPdu[] = [];
    for (;;) {
      if (this.header === undefined) {
        if (this.queued < BHS_BYTES) return out;
        const bhs = this.take(BHS_BYTES);
        const length = dataLengthOf(bhs);
        if (length > this.maxDataSegment)
          throw new FramingError(
            `a ${length}-byte data segment exceeds MaxRecvDataSegmentLength ${this.maxDataSegment}`,
            bhs,
          );
        this.header = bhs;
        this.bodyBytes = bhs[4]! * 4 + length + padTo4(length);
      }
      if (this.queued < this.bodyBytes) return out;
      const bhs = this.header;
      const body = this.bodyBytes === 0 ? Buffer.alloc(0) : this.take(this.bodyBytes);
      this.header = undefined;
      const ahsBytes = bhs[4]! * 4;
      out.push({
        bhs,
        ahs: body.subarray(0, ahsBytes),
        data: body.subarray(ahsBytes, ahsBytes + dataLengthOf(bhs)),
      });
    }
  }

  private take(n: number): Buffer {
    this.queued -= n;
    const first = this.chunks[0]!;
    if (first.length >= n) {
      if (first.length === n) this.chunks.shift();
      else this.chunks[0] = first.subarray(n);
      return first.subarray(0, n);
    }
    const out = Buffer.allocUnsafe(n);
    for (let filled = 0; filled < n; ) {
      const c = this.chunks[0]!;
      const used = Math.min(c.length, n - filled);
      c.copy(out, filled, 0, used);
      filled += used;
      if (used === c.length) this.chunks.shift();
      else this.chunks[0] = c.subarray(used);
    }
    return out;
  }
}
