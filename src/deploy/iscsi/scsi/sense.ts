/**
 * SCSI status and sense data (SPC-4 § 4.5): fixed and descriptor formats decoded, and turned
 * into a {@link ScsiCommandFailed} that says what happened in words.
 */
import { ScsiCommandFailed } from '../../../errors/index.js';

/** SCSI status codes (SAM-5). */
export const ScsiStatus = {
  Good: 0x00,
  CheckCondition: 0x02,
  Busy: 0x08,
  ReservationConflict: 0x18,
  TaskSetFull: 0x28,
  TaskAborted: 0x40,
} as const;

/** Sense keys. */
export const SenseKey = {
  NoSense: 0x0,
  NotReady: 0x2,
  IllegalRequest: 0x5,
  UnitAttention: 0x6,
  DataProtect: 0x7,
} as const;

/** Decoded sense data. */
export interface Sense {
  /** Sense key. */
  key: number;
  /** Additional sense code. */
  asc: number;
  /** Additional sense code qualifier. */
  ascq: number;
}

const STATUS_NAMES: Record<number, string> = {
  0: 'GOOD',
  2: 'CHECK CONDITION',
  4: 'CONDITION MET',
  8: 'BUSY',
  24: 'RESERVATION CONFLICT',
  40: 'TASK SET FULL',
  48: 'ACA ACTIVE',
  64: 'TASK ABORTED',
};

const KEY_NAMES = [
  'NO SENSE',
  'RECOVERED ERROR',
  'NOT READY',
  'MEDIUM ERROR',
  'HARDWARE ERROR',
  'ILLEGAL REQUEST',
  'UNIT ATTENTION',
  'DATA PROTECT',
  'BLANK CHECK',
  'VENDOR SPECIFIC',
  'COPY ABORTED',
  'ABORTED COMMAND',
  'RESERVED',
  'VOLUME OVERFLOW',
  'MISCOMPARE',
  'COMPLETED',
];

/** The additional sense codes a disk writer meets, keyed `asc << 8 | ascq`. */
const ASC_NAMES: Record<number, string> = {
  1024: 'logical unit not ready, cause not reportable',
  1025: 'logical unit is in process of becoming ready',
  1026: 'logical unit not ready, initializing command required',
  3072: 'write error',
  4352: 'unrecovered read error',
  6656: 'parameter list length error',
  8192: 'invalid command operation code',
  8448: 'logical block address out of range',
  9216: 'invalid field in CDB',
  9472: 'logical unit not supported',
  9728: 'invalid field in parameter list',
  9984: 'write protected',
  10240: 'not ready to ready change, medium may have changed',
  10496: 'power on, reset, or bus device reset occurred',
  10497: 'power on occurred',
  10753: 'mode parameters changed',
  10761: 'capacity data has changed',
  14848: 'medium not present',
  16142: 'reported LUNs data has changed',
  17408: 'internal target failure',
  19200: 'data phase error',
  21763: 'insufficient resources',
};

/** Decodes fixed (0x70/0x71) or descriptor (0x72/0x73) sense data; undefined when unusable. */
export function decodeSense(data: Buffer | undefined): Sense | undefined {
  if (data === undefined || data.length < 2) return undefined;
  const code = data[0]! & 0x7f;
  if ((code === 0x70 || code === 0x71) && data.length >= 3) {
    return { key: data[2]! & 0x0f, asc: data[12] ?? 0, ascq: data[13] ?? 0 };
  }
  if ((code === 0x72 || code === 0x73) && data.length >= 4) {
    return { key: data[1]! & 0x0f, asc: data[2]!, ascq: data[3]! };
  }
  return undefined;
}

/** Words for a status and its sense, for example `CHECK CONDITION, ILLEGAL REQUEST: invalid field in CDB (0x24/0x00)`. */
export function describeStatus(status: number, sense: Sense | undefined): string {
  const name = STATUS_NAMES[status] ?? `status 0x${status.toString(16).padStart(2, '0')}`;
  if (sense === undefined) return name;
  const asc = `0x${hex(sense.asc)}/0x${hex(sense.ascq)}`;
  const meaning = ASC_NAMES[(sense.asc << 8) | sense.ascq] ?? ASC_NAMES[sense.asc << 8];
  return `${name}, ${KEY_NAMES[sense.key] ?? 'sense key ?'}: ${meaning === undefined ? asc : `${meaning} (${asc})`}`;
}

/** The typed error for a command that completed with a status other than GOOD. */
export function commandFailed(
  command: string,
  status: number,
  senseData: Buffer | undefined,
): ScsiCommandFailed {
  const sense = decodeSense(senseData);
  return new ScsiCommandFailed({
    command,
    status,
    description: describeStatus(status, sense),
    ...(sense === undefined ? {} : { senseKey: sense.key, asc: sense.asc, ascq: sense.ascq }),
  });
}

function hex(n: number): string {
  return n.toString(16).padStart(2, '0');
}
