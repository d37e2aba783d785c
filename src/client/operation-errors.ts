import {
  IloCommandNotSupported,
  IloError,
  IloOperationError,
  IloOperationNotSupported,
} from '../errors/index.js';

/** Options of {@link toIloOperationError}. */
export interface ToIloOperationErrorOptions {
  /**
   * Turn `IloCommandNotSupported` into `IloOperationNotSupported` (Ironic's secure-boot
   * functions) rather than `IloOperationError`.
   */
  notSupported?: boolean;
}

/**
 * Ironic's conversion of a client failure into the error its driver interfaces raise: any
 * `IloError` becomes `IloOperationError("<operation> failed, error: …")` (or
 * `IloOperationNotSupported` for a command the hardware lacks, when asked), keeping the iLO's
 * status and the original error as `cause`. Anything else (`NotSupported`, invalid arguments, an
 * abort) is returned unchanged.
 *
 * @example
 * ```ts
 * try {
 *   await ilo.setOneTimeBoot('CDROM');
 * } catch (e) {
 *   throw toIloOperationError(e, 'Setting cdrom as boot device');
 * }
 * ```
 */
export function toIloOperationError(
  error: unknown,
  operation: string,
  options: ToIloOperationErrorOptions = {},
): unknown {
  if (!(error instanceof IloError)) return error;
  if (options.notSupported === true && error instanceof IloCommandNotSupported) {
    return new IloOperationNotSupported({ operation, error: error.message, cause: error });
  }
  const inner = error instanceof IloOperationError ? error : undefined;
  return new IloOperationError({
    operation,
    error: error.message,
    cause: error,
    ...(inner?.status === undefined ? {} : { status: inner.status }),
    ...(inner?.iloMessage === undefined ? {} : { iloMessage: inner.iloMessage }),
  });
}
