/** What the simulator shows of its sessions and counters. */
import type { NegotiatedParameters } from './negotiation.js';
import type { SessionRecord } from './portal.js';

/**
 * A session the simulated target holds (full feature phase), as a snapshot.
 *
 * @example
 * ```ts
 * const [session] = sim.sessions;
 * expect(session).toMatchObject({ type: 'normal', authMethod: 'CHAP', targetName: iqn });
 * ```
 */
export interface IscsiTargetSessionInfo {
  /** Target session identifying handle. */
  tsih: number;
  /** `'normal'`, or `'discovery'` for SendTargets sessions. */
  type: 'normal' | 'discovery';
  /** The initiator's IQN. */
  initiatorName: string;
  /** The initiator's session id, hex. */
  isid: string;
  /** The target logged in to (undefined for discovery). */
  targetName: string | undefined;
  /** How the initiator authenticated. */
  authMethod: 'None' | 'CHAP';
  /** Whether the target proved itself too (mutual CHAP). */
  mutualChap: boolean;
  /** The initiator's `host:port`. */
  remoteAddress: string;
  /** The operational parameters negotiated. */
  parameters: NegotiatedParameters;
  /** SCSI commands received in this session. */
  commands: number;
}

/**
 * What the simulator has seen since it started.
 *
 * @example
 * ```ts
 * expect(sim.stats.commands['WRITE(16)']).toBeGreaterThan(0);
 * expect(sim.stats.failedLogins).toBe(0);
 * ```
 */
export interface IscsiTargetStats {
  /** Logins that reached full feature phase. */
  logins: number;
  /** Logins refused (wrong target, CHAP failure, injected refusal, protocol error). */
  failedLogins: number;
  /** SCSI commands received, by name (`'WRITE(16)'`, `'INQUIRY'`, …). */
  commands: Readonly<Record<string, number>>;
  /** Bytes written to all LUNs. */
  bytesWritten: number;
  /** Bytes read from all LUNs. */
  bytesRead: number;
  /** Most SCSI commands one session had outstanding at once (the initiator's queue depth, bounded by the CmdSN window). */
  maxCommandsInFlight: number;
}

/** A snapshot of a session record. */
export function sessionInfo(r: SessionRecord): IscsiTargetSessionInfo {
  return {
    tsih: r.tsih,
    type: r.type,
    initiatorName: r.initiatorName,
    isid: r.isid.toString('hex'),
    targetName: r.target?.iqn,
    authMethod: r.authMethod,
    mutualChap: r.mutualChap,
    remoteAddress: r.remoteAddress,
    parameters: { ...r.parameters },
    commands: r.commands,
  };
}
