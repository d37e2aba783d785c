/** The PDUs a target sends (RFC 7143 § 11), read into typed views. */
import { BHS_LENGTH, type RawPdu } from './pdu.js';

/** A Login Response (RFC 7143 § 11.13). */
export interface LoginResponse {
  /** The target agrees to move to `nsg`. */
  transit: boolean;
  /** More text follows in another response. */
  continue: boolean;
  /** Current stage. */
  csg: number;
  /** Next stage. */
  nsg: number;
  /** Version-active. */
  versionActive: number;
  /** Session handle assigned by the target. */
  tsih: number;
  /** Initiator task tag echoed. */
  itt: number;
  /** StatSN. */
  statSN: number;
  /** ExpCmdSN. */
  expCmdSN: number;
  /** MaxCmdSN. */
  maxCmdSN: number;
  /** Status-Class. */
  statusClass: number;
  /** Status-Detail. */
  statusDetail: number;
}

/** Reads a Login Response BHS. */
export function parseLoginResponse(bhs: Buffer): LoginResponse {
  return {
    transit: (bhs[1]! & 0x80) !== 0,
    continue: (bhs[1]! & 0x40) !== 0,
    csg: (bhs[1]! >> 2) & 0x03,
    nsg: bhs[1]! & 0x03,
    versionActive: bhs[3]!,
    tsih: bhs.readUInt16BE(14),
    itt: bhs.readUInt32BE(16),
    statSN: bhs.readUInt32BE(24),
    expCmdSN: bhs.readUInt32BE(28),
    maxCmdSN: bhs.readUInt32BE(32),
    statusClass: bhs[36]!,
    statusDetail: bhs[37]!,
  };
}

/** Sequence numbers every target PDU carries at the same offsets (StatSN, ExpCmdSN, MaxCmdSN). */
export interface SequenceNumbers {
  /** StatSN. */
  statSN: number;
  /** ExpCmdSN. */
  expCmdSN: number;
  /** MaxCmdSN. */
  maxCmdSN: number;
}

/** Reads StatSN, ExpCmdSN and MaxCmdSN (bytes 24–35 of every target PDU that carries them). */
export function sequenceNumbers(bhs: Buffer): SequenceNumbers {
  return { statSN: bhs.readUInt32BE(24), expCmdSN: bhs.readUInt32BE(28), maxCmdSN: bhs.readUInt32BE(32) };
}

/** The initiator task tag of any PDU. */
export function ittOf(bhs: Buffer): number {
  return bhs.readUInt32BE(16);
}

/** A SCSI Response (RFC 7143 § 11.4). */
export interface ScsiResponse {
  /** 0 = command completed at target; anything else is a target failure. */
  response: number;
  /** SCSI status. */
  status: number;
  /** Residual underflow: fewer bytes moved than expected. */
  underflow: boolean;
  /** Residual overflow. */
  overflow: boolean;
  /** Residual count. */
  residual: number;
  /** Sense data (SenseLength prefix removed), when present. */
  sense: Buffer | undefined;
}

/** Reads a SCSI Response PDU. */
export function parseScsiResponse(pdu: RawPdu): ScsiResponse {
  const { bhs, data } = pdu;
  let sense: Buffer | undefined;
  if (data.length >= 2) {
    const senseLength = data.readUInt16BE(0);
    if (senseLength > 0) sense = data.subarray(2, 2 + senseLength);
  }
  return {
    response: bhs[2]!,
    status: bhs[3]!,
    underflow: (bhs[1]! & 0x02) !== 0,
    overflow: (bhs[1]! & 0x04) !== 0,
    residual: bhs.readUInt32BE(44),
    sense,
  };
}

/** A SCSI Data-In (RFC 7143 § 11.7). */
export interface DataIn {
  /** Last PDU of the sequence. */
  final: boolean;
  /** The status is in this PDU (phase collapse). */
  hasStatus: boolean;
  /** SCSI status when `hasStatus`. */
  status: number;
  /** Residual underflow (with status). */
  underflow: boolean;
  /** Residual count (with status). */
  residual: number;
  /** Offset of the data in the command's buffer. */
  bufferOffset: number;
}

/** Reads a Data-In BHS. */
export function parseDataIn(bhs: Buffer): DataIn {
  return {
    final: (bhs[1]! & 0x80) !== 0,
    hasStatus: (bhs[1]! & 0x01) !== 0,
    status: bhs[3]!,
    underflow: (bhs[1]! & 0x02) !== 0,
    residual: bhs.readUInt32BE(44),
    bufferOffset: bhs.readUInt32BE(40),
  };
}

/** An R2T (RFC 7143 § 11.8). */
export interface ReadyToTransfer {
  /** Target transfer tag to echo in the Data-Outs. */
  ttt: number;
  /** R2TSN. */
  r2tSN: number;
  /** Where the requested data starts in the command's buffer. */
  bufferOffset: number;
  /** How many bytes the target wants. */
  desiredLength: number;
}

/** Reads an R2T BHS. */
export function parseR2T(bhs: Buffer): ReadyToTransfer {
  return {
    ttt: bhs.readUInt32BE(20),
    r2tSN: bhs.readUInt32BE(36),
    bufferOffset: bhs.readUInt32BE(40),
    desiredLength: bhs.readUInt32BE(44),
  };
}

/** The target transfer tag of a NOP-In. */
export function tttOf(bhs: Buffer): number {
  return bhs.readUInt32BE(20);
}

/** An Asynchronous Message (RFC 7143 § 11.9). */
export interface AsyncMessage {
  /** AsyncEvent: 1 logout requested, 2 connection dropped, 3 session dropped, 4 renegotiate. */
  event: number;
  /** Parameter1 (event 1: seconds to log out in; 2 and 3: connection id). */
  parameter1: number;
  /** Parameter2 (Time2Wait). */
  parameter2: number;
  /** Parameter3 (Time2Retain). */
  parameter3: number;
}

/** Reads an Asynchronous Message BHS. */
export function parseAsyncMessage(bhs: Buffer): AsyncMessage {
  return {
    event: bhs[36]!,
    parameter1: bhs.readUInt16BE(38),
    parameter2: bhs.readUInt16BE(40),
    parameter3: bhs.readUInt16BE(42),
  };
}

/** Reasons of a Reject PDU (RFC 7143 § 11.17.1). */
const REJECT_REASONS: Record<number, string> = {
  2: 'data digest error',
  3: 'SNACK reject',
  4: 'protocol error',
  5: 'command not supported',
  6: 'immediate command rejected',
  7: 'task in progress',
  8: 'invalid data ack',
  9: 'invalid PDU field',
  10: 'long operation reject',
  12: 'waiting for logout',
};

/** A Reject: why, and the ITT of the rejected PDU (from the header echoed in the data). */
export function parseReject(pdu: RawPdu): { reason: string; rejectedItt: number | undefined } {
  const code = pdu.bhs[2]!;
  return {
    reason: REJECT_REASONS[code] ?? `reason 0x${code.toString(16)}`,
    rejectedItt: pdu.data.length >= BHS_LENGTH ? pdu.data.readUInt32BE(16) : undefined,
  };
}

/** The Response field of a Logout Response: 0 closed, 1 CID not found, 2 recovery unsupported, 3 failed. */
export function logoutResponseCode(bhs: Buffer): number {
  return bhs[2]!;
}
