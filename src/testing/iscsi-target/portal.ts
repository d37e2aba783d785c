/**
 * What a connection needs from the simulator that accepted it: the targets, the fault hooks,
 * the counters and the session registry. Internal: the public face is `IscsiTargetSimulator`.
 */
import type { Logger } from '../../index.js';
import type { ChapAccount } from './chap.js';
import type { IscsiTargetNegotiation, NegotiatedParameters } from './negotiation.js';
import type { SenseCondition } from './scsi/outcome.js';
import type { ScsiLun } from './scsi/plan.js';

/** A target as connections see it. */
export interface TargetModel {
  readonly iqn: string;
  readonly alias: string | undefined;
  readonly chap: ChapAccount | undefined;
  readonly mutualChap: ChapAccount | undefined;
  readonly negotiation: Readonly<Required<IscsiTargetNegotiation>>;
  /** LUN numbers, ascending. */
  lunNumbers(): readonly number[];
  /** A LUN for the command layer (with the capacity it currently reports), or undefined. */
  scsiLun(lun: number): ScsiLun | undefined;
  /** Counts bytes moved to or from a LUN. */
  account(lun: number, direction: 'read' | 'write', bytes: number): void;
}

/** Why a login is refused: Status-Class and Status-Detail (RFC 7143 § 11.13.5). */
export interface LoginRefusal {
  statusClass: number;
  statusDetail: number;
}

/** What the fault injector decides at each hook. */
export interface FaultHooks {
  /** A refusal to answer this login with, if one is armed. */
  loginRefusal(targetName: string | undefined, initiatorName: string): LoginRefusal | undefined;
  /** An injected CHECK CONDITION for this command, if one is armed. */
  commandFailure(targetName: string, lun: number, command: string): SenseCondition | undefined;
  /** Called for every SCSI command received: whether to drop the connection now. */
  dropAfterCommand(): boolean;
  /** Called for every Data-Out byte placed: whether to drop the connection now. */
  dropAfterBytes(bytes: number): boolean;
  /**
   * Called for every Login Request or SCSI command received: when a stall fires here, returns
   * the function that registers how to thaw the connection the caller is about to freeze.
   */
  stallAt(at: 'login' | 'command'): ((thaw: () => void) => void) | undefined;
}

/** The counters connections update. */
export interface Counters {
  logins: number;
  failedLogins: number;
  commands: Map<string, number>;
  bytesWritten: number;
  bytesRead: number;
  /** Most non-immediate commands one session had outstanding at once. */
  peakInFlight: number;
}

/** A session in full feature phase, as the registry keeps it. */
export interface SessionRecord {
  readonly type: 'normal' | 'discovery';
  readonly initiatorName: string;
  readonly isid: Buffer;
  readonly target: TargetModel | undefined;
  readonly authMethod: 'None' | 'CHAP';
  readonly mutualChap: boolean;
  readonly remoteAddress: string;
  readonly parameters: NegotiatedParameters;
  tsih: number;
  commands: number;
  /** Ends the connection at once (session reinstatement, target removal, close). */
  drop(reason: string): void;
}

/** The simulator, as its connections see it. */
export interface PortalContext {
  readonly logger: Logger;
  /** Negotiation settings for discovery sessions (normal sessions use their target's). */
  readonly negotiation: Readonly<Required<IscsiTargetNegotiation>>;
  /** Target-initiated NOP-In interval, or undefined for none. */
  readonly nopInIntervalMs: number | undefined;
  readonly faults: FaultHooks;
  readonly counters: Counters;
  target(name: string): TargetModel | undefined;
  targets(): readonly TargetModel[];
  /** Whether a session with this TSIH exists. */
  hasSession(tsih: number): boolean;
  /** Registers a new session (reinstating any with the same initiator, ISID and target); sets its TSIH. */
  open(session: SessionRecord): void;
  /** Forgets a session. */
  close(session: SessionRecord): void;
}
