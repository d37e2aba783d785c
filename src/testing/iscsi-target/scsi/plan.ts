/** What the session does for one SCSI command, and what the command layer needs to know. */
import type { LunBacking } from '../backing/backing.js';
import type { InquiryLun, LunIdentity } from './inquiry.js';
import type { ModeLun } from './mode-sense.js';
import type { ScsiOutcome } from './outcome.js';

/** A logical unit as the command layer sees it. */
export interface ScsiLun extends InquiryLun, ModeLun {
  backing: LunBacking;
}

/** Everything a command may need besides its CDB. */
export interface ScsiContext {
  /** The target's name (device identification page). */
  targetName: string;
  /** The addressed logical unit, undefined when it does not exist. */
  lun: ScsiLun | undefined;
  /** Every LUN of the target, ascending (REPORT LUNS). */
  lunNumbers: readonly number[];
  /** What INQUIRY says for a LUN that does not exist. */
  fallbackIdentity: LunIdentity;
}

/**
 * How to carry a command out:
 * - `respond`: the outcome is known (or computed without data from the initiator);
 * - `read`: stream `length` bytes of the LUN from `offset` to the initiator;
 * - `write`: place the initiator's `length` bytes on the LUN from `offset` as they arrive;
 * - `collect`: gather `length` bytes of parameter data, then `run` the command on them.
 */
export type ScsiPlan =
  | { kind: 'respond'; outcome: ScsiOutcome | Promise<ScsiOutcome> }
  | { kind: 'read'; offset: number; length: number }
  | { kind: 'write'; offset: number; length: number }
  | { kind: 'collect'; length: number; run: (data: Buffer) => Promise<ScsiOutcome> };
