/**
 * iSCSI PDUs (RFC 7143 § 11): the 48-byte Basic Header Segment of each PDU this initiator sends,
 * and typed views of the ones a target sends. Digests are never negotiated, so a PDU is
 * BHS + AHS + data segment padded to four bytes.
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

const IMMEDIATE = 0x40;
const FINAL = 0x80;

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

function header(opcode: number, immediate: boolean, dataLength: number): Buffer {
  const bhs = Buffer.alloc(BHS_LENGTH);
  bhs[0] = opcode | (immediate ? IMMEDIATE : 0);
  bhs[5] = (dataLength >>> 16) & 0xff;
  bhs[6] = (dataLength >>> 8) & 0xff;
  bhs[7] = dataLength & 0xff;
  return bhs;
}

/** Login stages (CSG/NSG values). */
export const Stage = { Security: 0, Operational: 1, FullFeature: 3 } as const;
/** A login stage. */
export type StageValue = (typeof Stage)[keyof typeof Stage];

/** Fields of a Login Request (RFC 7143 § 11.12). */
export interface LoginRequestFields {
  /** Transit to the next stage. */
  transit: boolean;
  /** Current stage. */
  csg: StageValue;
  /** Next stage (meaningful with `transit`). */
  nsg: StageValue;
  /** Initiator part of the session id. */
  isid: Buffer;
  /** Target-assigned session handle (0 for a new session). */
  tsih: number;
  /** Initiator task tag. */
  itt: number;
  /** Connection id. */
  cid: number;
  /** CmdSN. */
  cmdSN: number;
  /** ExpStatSN. */
  expStatSN: number;
  /** Text data segment length. */
  dataLength: number;
}

/** The BHS of a Login Request. */
export function loginRequest(f: LoginRequestFields): Buffer {
  const bhs = header(Op.LoginRequest, true, f.dataLength);
  bhs[1] = (f.transit ? 0x80 : 0) | (f.csg << 2) | (f.transit ? f.nsg : 0);
  bhs[2] = 0; // Version-max
  bhs[3] = 0; // Version-min
  f.isid.copy(bhs, 8, 0, 6);
  bhs.writeUInt16BE(f.tsih, 14);
  bhs.writeUInt32BE(f.itt, 16);
  bhs.writeUInt16BE(f.cid, 20);
  bhs.writeUInt32BE(f.cmdSN, 24);
  bhs.writeUInt32BE(f.expStatSN, 28);
  return bhs;
}

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

/** Fields of a SCSI Command (RFC 7143 § 11.3). */
export interface ScsiCommandFields {
  /** Encoded LUN. */
  lun: Buffer;
  /** Initiator task tag. */
  itt: number;
  /** CmdSN. */
  cmdSN: number;
  /** ExpStatSN. */
  expStatSN: number;
  /** The CDB (up to 16 bytes). */
  cdb: Uint8Array;
  /** Data the target will read from us (write commands). */
  writeLength: number;
  /** Data the target will send us (read commands). */
  readLength: number;
  /** Bytes of immediate data in this PDU. */
  immediateLength: number;
  /** No unsolicited Data-Out PDUs follow. */
  final: boolean;
}

/** The BHS of a SCSI Command with the SIMPLE task attribute. */
export function scsiCommand(f: ScsiCommandFields): Buffer {
  const bhs = header(Op.ScsiCommand, false, f.immediateLength);
  bhs[1] = (f.final ? FINAL : 0) | (f.readLength > 0 ? 0x40 : 0) | (f.writeLength > 0 ? 0x20 : 0) | 0x01;
  f.lun.copy(bhs, 8);
  bhs.writeUInt32BE(f.itt, 16);
  bhs.writeUInt32BE(f.writeLength > 0 ? f.writeLength : f.readLength, 20);
  bhs.writeUInt32BE(f.cmdSN, 24);
  bhs.writeUInt32BE(f.expStatSN, 28);
  bhs.set(f.cdb.subarray(0, 16), 32);
  return bhs;
}

/** Fields of a SCSI Data-Out (RFC 7143 § 11.7). */
export interface DataOutFields {
  /** Last PDU of the sequence. */
  final: boolean;
  /** Encoded LUN. */
  lun: Buffer;
  /** Initiator task tag. */
  itt: number;
  /** Target transfer tag from the R2T, or {@link RESERVED_TAG} for unsolicited data. */
  ttt: number;
  /** ExpStatSN. */
  expStatSN: number;
  /** DataSN within the sequence. */
  dataSN: number;
  /** Offset of this data in the command's buffer. */
  bufferOffset: number;
  /** Data segment length. */
  dataLength: number;
}

/** Writes the BHS of a Data-Out into `into` at `at` (the caller reuses one slab per R2T). */
export function writeDataOut(into: Buffer, at: number, f: DataOutFields): void {
  into.fill(0, at, at + BHS_LENGTH);
  into[at] = Op.DataOut;
  into[at + 1] = f.final ? FINAL : 0;
  into[at + 5] = (f.dataLength >>> 16) & 0xff;
  into[at + 6] = (f.dataLength >>> 8) & 0xff;
  into[at + 7] = f.dataLength & 0xff;
  f.lun.copy(into, at + 8);
  into.writeUInt32BE(f.itt, at + 16);
  into.writeUInt32BE(f.ttt, at + 20);
  into.writeUInt32BE(f.expStatSN, at + 28);
  into.writeUInt32BE(f.dataSN, at + 36);
  into.writeUInt32BE(f.bufferOffset, at + 40);
}

/** Fields of a NOP-Out (RFC 7143 § 11.18). */
export interface NopOutFields {
  /** Encoded LUN (copied from a NOP-In being answered). */
  lun: Buffer;
  /** Initiator task tag: ours for a ping, {@link RESERVED_TAG} when answering a target's ping. */
  itt: number;
  /** Target transfer tag of the NOP-In being answered, else {@link RESERVED_TAG}. */
  ttt: number;
  /** CmdSN (not advanced: NOP-Outs are immediate). */
  cmdSN: number;
  /** ExpStatSN. */
  expStatSN: number;
  /** Ping data length. */
  dataLength: number;
}

/** The BHS of an immediate NOP-Out. */
export function nopOut(f: NopOutFields): Buffer {
  const bhs = header(Op.NopOut, true, f.dataLength);
  bhs[1] = FINAL;
  f.lun.copy(bhs, 8);
  bhs.writeUInt32BE(f.itt, 16);
  bhs.writeUInt32BE(f.ttt, 20);
  bhs.writeUInt32BE(f.cmdSN, 24);
  bhs.writeUInt32BE(f.expStatSN, 28);
  return bhs;
}

/** The BHS of an immediate Logout Request closing the session (reason code 0). */
export function logoutRequest(f: { itt: number; cid: number; cmdSN: number; expStatSN: number }): Buffer {
  const bhs = header(Op.LogoutRequest, true, 0);
  bhs[1] = FINAL;
  bhs.writeUInt32BE(f.itt, 16);
  bhs.writeUInt16BE(f.cid, 20);
  bhs.writeUInt32BE(f.cmdSN, 24);
  bhs.writeUInt32BE(f.expStatSN, 28);
  return bhs;
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

/** The LUN field of a PDU, as encoded. */
export function lunField(bhs: Buffer): Buffer {
  return Buffer.from(bhs.subarray(8, 16));
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
