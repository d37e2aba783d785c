/** The PDUs this initiator sends (RFC 7143 § 11): their 48-byte Basic Header Segments. */
import { BHS_LENGTH, Op, type StageValue } from './pdu.js';

const IMMEDIATE = 0x40;
const FINAL = 0x80;

function header(opcode: number, immediate: boolean, dataLength: number): Buffer {
  const bhs = Buffer.alloc(BHS_LENGTH);
  bhs[0] = opcode | (immediate ? IMMEDIATE : 0);
  bhs[5] = (dataLength >>> 16) & 0xff;
  bhs[6] = (dataLength >>> 8) & 0xff;
  bhs[7] = dataLength & 0xff;
  return bhs;
}

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
