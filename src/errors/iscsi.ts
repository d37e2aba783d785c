import { type ErrorOptions, IronicIloError } from './base.js';

/**
 * Base of every error about talking to an iSCSI target (the deploy ramdisk's disk).
 *
 * @example
 * ```ts
 * if (e instanceof IscsiError) await task.processEvent('fail');
 * ```
 */
export class IscsiError extends IronicIloError {
  static override readonly code: string = 'ISCSI_ERROR';
  /** @internal */
  static readonly errorName: string = 'IscsiError';
}

/**
 * The target could not be reached, or the connection broke (refused, reset, closed by the
 * target in the middle of a command).
 *
 * @example
 * ```ts
 * if (e instanceof IscsiConnectionError) console.error(`lost ${e.portal}`);
 * ```
 */
export class IscsiConnectionError extends IscsiError {
  static override readonly code: string = 'ISCSI_CONNECTION_ERROR';
  /** @internal */
  static override readonly errorName: string = 'IscsiConnectionError';
  /** `host:port` of the target. */
  readonly portal: string;

  constructor(details: { portal: string; reason: string } & ErrorOptions) {
    super(`iSCSI connection to ${details.portal} failed: ${details.reason}`, details);
    this.portal = details.portal;
  }
}

/**
 * Which iSCSI timeout fired.
 *
 * @example
 * ```ts
 * const kind: IscsiTimeoutKind = 'command'; // a SCSI command outlived commandTimeoutMs
 * ```
 */
export type IscsiTimeoutKind = 'connect' | 'login' | 'command' | 'logout';

/**
 * An iSCSI step exceeded its timeout. The session is closed when this is thrown.
 *
 * @example
 * ```ts
 * if (e instanceof IscsiTimeout && e.kind === 'connect') console.error('ramdisk not listening');
 * ```
 */
export class IscsiTimeout extends IscsiError {
  static override readonly code: string = 'ISCSI_TIMEOUT';
  /** @internal */
  static override readonly errorName: string = 'IscsiTimeout';
  /** Which timeout fired. */
  readonly kind: IscsiTimeoutKind;
  /** The timeout, in milliseconds. */
  readonly timeoutMs: number;

  constructor(details: { kind: IscsiTimeoutKind; timeoutMs: number; what: string } & ErrorOptions) {
    super(`iSCSI ${details.what} timed out after ${details.timeoutMs} ms`, details);
    this.kind = details.kind;
    this.timeoutMs = details.timeoutMs;
  }
}

/**
 * Why a login was refused, from the Login Response's status class and detail (RFC 7143
 * § 11.13.5).
 *
 * @example
 * ```ts
 * const reason: IscsiLoginFailureReason = 'target-not-found';
 * ```
 */
export type IscsiLoginFailureReason =
  | 'redirected'
  | 'authentication-failed'
  | 'authorization-failed'
  | 'target-not-found'
  | 'target-removed'
  | 'initiator-error'
  | 'target-error'
  | 'negotiation-failed';

/**
 * Details of an {@link IscsiLoginFailed}.
 *
 * @example
 * ```ts
 * throw new IscsiLoginFailed({ portal: '10.0.0.5:3260', targetName: iqn, reason: 'authentication-failed', statusClass: 2, statusDetail: 1 });
 * ```
 */
export interface IscsiLoginFailedDetails extends ErrorOptions {
  /** `host:port` of the target. */
  portal: string;
  /** The target name that was asked for. */
  targetName: string;
  /** Why, in words a user can act on. */
  reason: IscsiLoginFailureReason;
  /** Status-Class of the Login Response (absent when the initiator gave up on its own). */
  statusClass?: number;
  /** Status-Detail of the Login Response. */
  statusDetail?: number;
  /** More context (never a secret). */
  detail?: string;
}

/**
 * The target refused the login: wrong IQN, CHAP failure, access denied, or parameters the two
 * sides could not agree on.
 *
 * @example
 * ```ts
 * if (e instanceof IscsiLoginFailed && e.reason === 'authentication-failed') checkChapSecret();
 * ```
 */
export class IscsiLoginFailed extends IscsiError {
  static override readonly code: string = 'ISCSI_LOGIN_FAILED';
  /** @internal */
  static override readonly errorName: string = 'IscsiLoginFailed';
  /** Why the login failed. */
  readonly reason: IscsiLoginFailureReason;
  /** Status-Class of the Login Response, when the target sent one. */
  readonly statusClass: number | undefined;
  /** Status-Detail of the Login Response, when the target sent one. */
  readonly statusDetail: number | undefined;
  /** The target name that was asked for. */
  readonly targetName: string;

  constructor(details: IscsiLoginFailedDetails) {
    const status =
      details.statusClass === undefined
        ? ''
        : ` (status 0x${hex2(details.statusClass)}${hex2(details.statusDetail ?? 0)})`;
    const more = details.detail === undefined ? '' : `: ${details.detail}`;
    super(
      `iSCSI login to ${details.targetName} at ${details.portal} failed, ${details.reason}${status}${more}`,
      details,
    );
    this.reason = details.reason;
    this.statusClass = details.statusClass;
    this.statusDetail = details.statusDetail;
    this.targetName = details.targetName;
  }
}

/**
 * The target broke the protocol (a PDU that cannot be parsed, an unexpected opcode, a Reject),
 * or asked for something this initiator does not do.
 *
 * @example
 * ```ts
 * throw new IscsiProtocolError('R2T for unknown task 0x00000042');
 * ```
 */
export class IscsiProtocolError extends IscsiError {
  static override readonly code: string = 'ISCSI_PROTOCOL_ERROR';
  /** @internal */
  static override readonly errorName: string = 'IscsiProtocolError';
}

/**
 * Details of a {@link ScsiCommandFailed}.
 *
 * @example
 * ```ts
 * throw new ScsiCommandFailed({ command: 'WRITE(16)', status: 2, senseKey: 7, asc: 0x27, ascq: 0, description: 'write protected' });
 * ```
 */
export interface ScsiCommandFailedDetails extends ErrorOptions {
  /** The command, for example `'WRITE(16)'`. */
  command: string;
  /** SCSI status byte (0x02 CHECK CONDITION, 0x08 BUSY, 0x18 RESERVATION CONFLICT…). */
  status: number;
  /** Sense key, when sense data came back. */
  senseKey?: number;
  /** Additional sense code. */
  asc?: number;
  /** Additional sense code qualifier. */
  ascq?: number;
  /** What the status and sense mean, in words. */
  description: string;
}

/**
 * A SCSI command completed with a status other than GOOD: sense data decoded (sense key, ASC,
 * ASCQ) and described.
 *
 * @example
 * ```ts
 * if (e instanceof ScsiCommandFailed && e.senseKey === 0x07) console.error('LUN is write-protected');
 * ```
 */
export class ScsiCommandFailed extends IscsiError {
  static override readonly code: string = 'SCSI_COMMAND_FAILED';
  /** @internal */
  static override readonly errorName: string = 'ScsiCommandFailed';
  /** The command, for example `'WRITE(16)'`. */
  readonly command: string;
  /** SCSI status byte. */
  readonly status: number;
  /** Sense key, when sense data came back. */
  readonly senseKey: number | undefined;
  /** Additional sense code. */
  readonly asc: number | undefined;
  /** Additional sense code qualifier. */
  readonly ascq: number | undefined;

  constructor(details: ScsiCommandFailedDetails) {
    super(`SCSI ${details.command} failed: ${details.description}`, details);
    this.command = details.command;
    this.status = details.status;
    this.senseKey = details.senseKey;
    this.asc = details.asc;
    this.ascq = details.ascq;
  }
}

function hex2(n: number): string {
  return n.toString(16).padStart(2, '0');
}
