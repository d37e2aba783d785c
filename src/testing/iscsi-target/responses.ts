/**
 * The Basic Header Segments a target sends (RFC 7143 § 11). StatSN, ExpCmdSN and MaxCmdSN sit
 * at the same offsets (24, 28, 32) in every one of them and are stamped by the connection when
 * the PDU leaves; the builders fill in everything else.
 */
import { BHS_BYTES, encodeLun, NO_TAG, Opcode } from './wire.js';

const FINAL = 0x80;

function header(opcode: number, flags: number, dataLength: number): Buffer {
  const bhs = Buffer.alloc(BHS_BYTES);
  bhs[0] = opcode;
  bhs[1] = flags;
  bhs.writeUIntBE(dataLength, 5, 3);
  return bhs;
}

/** Residual flags and count (SCSI Response and Data-In share them). */
export interface Residual {
  /** Fewer bytes moved than the initiator expected (U bit). */
  underflow: boolean;
  /** More bytes were wanted than the initiator expected (O bit). */
  overflow: boolean;
  /** The residual count. */
  count: number;
}

/** No residual. */
export const NO_RESIDUAL: Residual = { underflow: false, overflow: false, count: 0 };

/** The residual when the command moves `wanted` bytes and the initiator expected `expected`. */
export function residualOf(expected: number, wanted: number): Residual {
  if (wanted < expected) return { underflow: true, overflow: false, count: expected - wanted };
  if (wanted > expected) return { underflow: false, overflow: true, count: wanted - expected };
  return NO_RESIDUAL;
}

const residualFlags = (r: Residual): number => (r.overflow ? 0x04 : 0) | (r.underflow ? 0x02 : 0);

/** Fields of a Login Response (§ 11.13). */
export interface LoginResponseFields {
  transit: boolean;
  csg: number;
  nsg: number;
  isid: Buffer;
  tsih: number;
  itt: number;
  statusClass: number;
  statusDetail: number;
  dataLength: number;
}

export function loginResponse(f: LoginResponseFields): Buffer {
  const flags = (f.transit ? FINAL : 0) | (f.csg << 2) | (f.transit ? f.nsg : 0);
  const bhs = header(Opcode.LoginResponse, flags, f.dataLength);
  bhs[2] = 0; // Version-max
  bhs[3] = 0; // Version-active
  f.isid.copy(bhs, 8, 0, 6);
  bhs.writeUInt16BE(f.tsih, 14);
  bhs.writeUInt32BE(f.itt, 16);
  bhs[36] = f.statusClass;
  bhs[37] = f.statusDetail;
  return bhs;
}

export function textResponse(f: { final: boolean; itt: number; ttt: number; dataLength: number }): Buffer {
  const bhs = header(Opcode.TextResponse, f.final ? FINAL : 0x40, f.dataLength);
  bhs.writeUInt32BE(f.itt, 16);
  bhs.writeUInt32BE(f.ttt, 20);
  return bhs;
}

export function scsiResponse(f: {
  itt: number;
  status: number;
  residual: Residual;
  expDataSN: number;
  dataLength: number;
}): Buffer {
  const bhs = header(Opcode.ScsiResponse, FINAL | residualFlags(f.residual), f.dataLength);
  bhs[2] = 0; // completed at target
  bhs[3] = f.status;
  bhs.writeUInt32BE(f.itt, 16);
  bhs.writeUInt32BE(f.expDataSN, 36);
  bhs.writeUInt32BE(f.residual.count, 44);
  return bhs;
}

/** Writes a Data-In header into `into` at `at` (one slab holds a whole sequence's headers). */
export function writeDataIn(
  into: Buffer,
  at: number,
  f: {
    final: boolean;
    /** SCSI status carried in this last PDU (phase collapse), or undefined. */
    status: number | undefined;
    residual: Residual;
    itt: number;
    dataSN: number;
    bufferOffset: number;
    dataLength: number;
  },
): void {
  into.fill(0, at, at + BHS_BYTES);
  into[at] = Opcode.DataIn;
  const withStatus = f.status !== undefined;
  into[at + 1] = (f.final ? FINAL : 0) | (withStatus ? 0x01 | residualFlags(f.residual) : 0);
  into[at + 3] = f.status ?? 0;
  into.writeUIntBE(f.dataLength, at + 5, 3);
  into.writeUInt32BE(f.itt, at + 16);
  into.writeUInt32BE(NO_TAG, at + 20);
  into.writeUInt32BE(f.dataSN, at + 36);
  into.writeUInt32BE(f.bufferOffset, at + 40);
  if (withStatus) into.writeUInt32BE(f.residual.count, at + 44);
}

export function r2t(f: {
  lun: number;
  itt: number;
  ttt: number;
  r2tSN: number;
  bufferOffset: number;
  length: number;
}): Buffer {
  const bhs = header(Opcode.R2T, FINAL, 0);
  encodeLun(f.lun).copy(bhs, 8);
  bhs.writeUInt32BE(f.itt, 16);
  bhs.writeUInt32BE(f.ttt, 20);
  bhs.writeUInt32BE(f.r2tSN, 36);
  bhs.writeUInt32BE(f.bufferOffset, 40);
  bhs.writeUInt32BE(f.length, 44);
  return bhs;
}

export function nopIn(f: { itt: number; ttt: number; dataLength: number }): Buffer {
  const bhs = header(Opcode.NopIn, FINAL, f.dataLength);
  bhs.writeUInt32BE(f.itt, 16);
  bhs.writeUInt32BE(f.ttt, 20);
  return bhs;
}

export function logoutResponse(f: {
  itt: number;
  response: number;
  time2Wait: number;
  time2Retain: number;
}): Buffer {
  const bhs = header(Opcode.LogoutResponse, FINAL, 0);
  bhs[2] = f.response;
  bhs.writeUInt32BE(f.itt, 16);
  bhs.writeUInt16BE(f.time2Wait, 40);
  bhs.writeUInt16BE(f.time2Retain, 42);
  return bhs;
}

export function taskManagementResponse(f: { itt: number; response: number }): Buffer {
  const bhs = header(Opcode.TaskManagementResponse, FINAL, 0);
  bhs[2] = f.response;
  bhs.writeUInt32BE(f.itt, 16);
  return bhs;
}

/** A Reject; its data segment is the rejected PDU's header. */
export function reject(reason: number): Buffer {
  const bhs = header(Opcode.Reject, FINAL, BHS_BYTES);
  bhs[2] = reason;
  bhs.writeUInt32BE(NO_TAG, 16);
  return bhs;
}

/** Stamps StatSN, ExpCmdSN and MaxCmdSN. */
export function stamp(bhs: Buffer, statSN: number, expCmdSN: number, maxCmdSN: number): void {
  bhs.writeUInt32BE(statSN >>> 0, 24);
  bhs.writeUInt32BE(expCmdSN >>> 0, 28);
  bhs.writeUInt32BE(maxCmdSN >>> 0, 32);
}
