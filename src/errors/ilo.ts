import { type ErrorOptions, IronicIloError } from './base.js';

/**
 * Base of every error about talking to an iLO (proliantutils' `IloError`).
 *
 * @example
 * ```ts
 * if (e instanceof IloError) retryLater();
 * ```
 */
export class IloError extends IronicIloError {
  static override readonly code: string = 'ILO_ERROR';
  /** @internal */
  static readonly errorName: string = 'IloError';
}

/** Details of an {@link IloOperationError}. */
export interface IloOperationErrorDetails extends ErrorOptions {
  /** What was attempted, for example `'iLO set_power_state'`. */
  operation: string;
  /** Why it failed. */
  error: string;
  /** The iLO's STATUS code when it answered one, for example `'0x0001'`. */
  status?: string;
  /** The iLO's own message, when it answered one. */
  iloMessage?: string;
}

/**
 * An iLO operation failed: `"<operation> failed, error: <error>"` (Ironic's wording).
 *
 * @example
 * ```ts
 * throw new IloOperationError({ operation: 'Get boot device', error: 'iLO returned 0x0001' });
 * ```
 */
export class IloOperationError extends IloError {
  static override readonly code: string = 'ILO_OPERATION_ERROR';
  /** @internal */
  static override readonly errorName: string = 'IloOperationError';
  /** What was attempted. */
  readonly operation: string;
  /** The iLO's STATUS code, when it answered one. */
  readonly status: string | undefined;
  /** The iLO's message, when it answered one. */
  readonly iloMessage: string | undefined;

  constructor(details: IloOperationErrorDetails) {
    super(`${details.operation} failed, error: ${details.error}`, details);
    this.operation = details.operation;
    this.status = details.status;
    this.iloMessage = details.iloMessage;
  }
}

/**
 * The operation is not supported by this server or firmware:
 * `"<operation> not supported. error: <error>"`.
 *
 * @example
 * ```ts
 * throw new IloOperationNotSupported({ operation: 'Get secure boot mode for node X.', error: 'Gen8' });
 * ```
 */
export class IloOperationNotSupported extends IloError {
  static override readonly code: string = 'ILO_OPERATION_NOT_SUPPORTED';
  /** @internal */
  static override readonly errorName: string = 'IloOperationNotSupported';
  /** What was attempted. */
  readonly operation: string;

  constructor(details: { operation: string; error: string } & ErrorOptions) {
    super(`${details.operation} not supported. error: ${details.error}`, details);
    this.operation = details.operation;
  }
}

/**
 * The iLO command has no meaning on this hardware (RIBCL status `0x003C`, a syntax error on a
 * command the firmware does not know, a Gen9-only feature on Gen8).
 *
 * @example
 * ```ts
 * try { await client.getPendingBootMode(); } catch (e) { if (e instanceof IloCommandNotSupported) mode = 'LEGACY'; }
 * ```
 */
export class IloCommandNotSupported extends IloError {
  static override readonly code: string = 'ILO_COMMAND_NOT_SUPPORTED';
  /** @internal */
  static override readonly errorName: string = 'IloCommandNotSupported';
}

/**
 * The iLO rejected the credentials.
 *
 * @example
 * ```ts
 * if (e instanceof IloLoginFailed) alertOperator('check driver_info.ilo_password');
 * ```
 */
export class IloLoginFailed extends IloError {
  static override readonly code: string = 'ILO_LOGIN_FAILED';
  /** @internal */
  static override readonly errorName: string = 'IloLoginFailed';
}

/**
 * The iLO could not be reached (DNS, TCP, TLS, connection reset).
 *
 * @example
 * ```ts
 * if (e instanceof IloConnectionError) markUnreachable(node);
 * ```
 */
export class IloConnectionError extends IloError {
  static override readonly code: string = 'ILO_CONNECTION_ERROR';
  /** @internal */
  static override readonly errorName: string = 'IloConnectionError';
}

/** Which timeout fired. */
export type IloTimeoutKind = 'connect' | 'request' | 'total';

/**
 * An iLO operation exceeded its connect, request or total timeout.
 *
 * @example
 * ```ts
 * if (e instanceof IloTimeout && e.kind === 'connect') markUnreachable(node);
 * ```
 */
export class IloTimeout extends IloError {
  static override readonly code: string = 'ILO_TIMEOUT';
  /** @internal */
  static override readonly errorName: string = 'IloTimeout';
  /** Which timeout fired. */
  readonly kind: IloTimeoutKind;

  constructor(message: string, kind: IloTimeoutKind, options?: ErrorOptions) {
    super(message, options);
    this.kind = kind;
  }
}
