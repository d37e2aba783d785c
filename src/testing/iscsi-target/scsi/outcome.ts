/**
 * How a SCSI command ends (SAM-5 status, SPC-4 fixed-format sense data), and the conditions this
 * target reports, each as the sense key and additional sense code an initiator expects.
 */

/** SCSI status GOOD. */
export const GOOD = 0x00;
/** SCSI status CHECK CONDITION. */
export const CHECK_CONDITION = 0x02;

/**
 * A sense condition: key, additional sense code and qualifier.
 *
 * @example
 * ```ts
 * const medium: SenseCondition = { senseKey: 0x3, asc: 0x0c, ascq: 0x00 }; // MEDIUM ERROR, write error
 * ```
 */
export interface SenseCondition {
  /** Sense key (0x2 NOT READY, 0x3 MEDIUM ERROR, 0x5 ILLEGAL REQUEST, 0x6 UNIT ATTENTION, 0x7 DATA PROTECT…). */
  senseKey: number;
  /** Additional sense code. */
  asc: number;
  /** Additional sense code qualifier. */
  ascq: number;
}

/** What a command produced: status, data for the initiator, sense data with CHECK CONDITION. */
export interface ScsiOutcome {
  status: number;
  data?: Buffer | undefined;
  sense?: Buffer | undefined;
}

const condition = (senseKey: number, asc: number, ascq = 0): SenseCondition => ({ senseKey, asc, ascq });

/** The conditions this target reports. */
export const Sense = {
  invalidOpcode: condition(0x5, 0x20),
  lbaOutOfRange: condition(0x5, 0x21),
  invalidFieldInCdb: condition(0x5, 0x24),
  lunNotSupported: condition(0x5, 0x25),
  invalidFieldInParameterList: condition(0x5, 0x26),
  parameterListLength: condition(0x5, 0x1a),
  savingNotSupported: condition(0x5, 0x39),
  writeProtected: condition(0x7, 0x27),
  writeError: condition(0x3, 0x0c),
  readError: condition(0x3, 0x11),
  miscompare: condition(0xe, 0x1d),
} as const;

/** Fixed-format sense data (response code 0x70, 18 bytes), with the INFORMATION field when given. */
export function senseData(c: SenseCondition, information?: number): Buffer {
  const sense = Buffer.alloc(18);
  sense[0] = information === undefined ? 0x70 : 0xf0; // VALID: INFORMATION holds a value
  if (information !== undefined) sense.writeUInt32BE(information >>> 0, 3);
  sense[2] = c.senseKey & 0x0f;
  sense[7] = 10; // additional sense length
  sense[12] = c.asc;
  sense[13] = c.ascq;
  return sense;
}

/** CHECK CONDITION with the condition's sense data. */
export function checkCondition(c: SenseCondition, information?: number): ScsiOutcome {
  return { status: CHECK_CONDITION, sense: senseData(c, information) };
}

/** GOOD, with data for the initiator when the command returns some. */
export function good(data?: Buffer): ScsiOutcome {
  return { status: GOOD, data };
}
