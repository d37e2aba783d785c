/**
 * Brand shared by every copy of this package loaded in one process (`Symbol.for` is global),
 * so that `instanceof` and {@link isIronicIloError} work across two installed copies.
 * The brand holds the codes of the error's class and of all its ancestors.
 */
const BRAND: unique symbol = Symbol.for('ironic-ilo.error.codes') as never;

/** Options every error constructor accepts. */
export interface ErrorOptions {
  /** The underlying error. Never a value that holds a secret. */
  cause?: unknown;
}

type ErrorClass = { code: string };

/** The JSON form of an error (no cause chain: causes may come from other libraries). */
export interface IronicIloErrorJSON {
  /** Class name, for example `'IloOperationError'`. */
  name: string;
  /** Stable code, for example `'ILO_OPERATION_ERROR'`. */
  code: string;
  /** The message. */
  message: string;
  /** Every bad field, for parameter errors. */
  fields?: readonly FieldIssue[];
}

/** One bad or missing input field and what is wrong with it. */
export interface FieldIssue {
  /** The field's name as the caller wrote it (for example `client_port` or `ilo.powerRetry`). */
  field: string;
  /** What is wrong, without the value when the value may be a secret. */
  problem: string;
}

/**
 * Root of every error this library throws. Each subclass has a stable string `code` (on the
 * class and on instances) that callers can switch on; messages follow Ironic's wording where
 * Ironic had one.
 *
 * @example
 * ```ts
 * try {
 *   await power.setPowerState(task, PowerState.ON);
 * } catch (e) {
 *   if (e instanceof IronicIloError) console.error(e.code, e.message);
 * }
 * ```
 */
export class IronicIloError extends Error {
  /** Stable code of this class. */
  static readonly code: string = 'IRONIC_ILO_ERROR';
  /** Stable code of the error, for example `'INVALID_PARAMETER_VALUE'`. */
  readonly code: string;
  /** @internal */
  readonly [BRAND]: readonly string[];

  constructor(message: string, options?: ErrorOptions) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    const ctor = new.target as unknown as ErrorClass;
    this.code = ctor.code;
    this[BRAND] = codesOf(new.target);
    Object.defineProperty(this, 'name', {
      value: errorName(new.target),
      enumerable: false,
      configurable: true,
    });
  }

  /** Matches errors from any copy of this package by code, not by prototype identity. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    const codes = brandOf(value);
    // biome-ignore lint/complexity/noThisInStatic: `this` is the subclass on the right of `instanceof`.
    return codes?.includes(this.code) === true;
  }

  /** A JSON form without the cause chain (causes may come from other libraries). */
  toJSON(): IronicIloErrorJSON {
    return { name: this.name, code: this.code, message: this.message };
  }
}

function codesOf(ctor: unknown): string[] {
  const codes: string[] = [];
  let c = ctor as (ErrorClass & object) | null;
  while (c !== null && typeof c.code === 'string') {
    if (Object.hasOwn(c, 'code')) codes.push(c.code);
    c = Object.getPrototypeOf(c) as (ErrorClass & object) | null;
  }
  return codes;
}

function errorName(ctor: unknown): string {
  const own = (ctor as { errorName?: string }).errorName;
  return typeof own === 'string' ? own : 'IronicIloError';
}

function brandOf(value: unknown): readonly string[] | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const codes = (value as { [BRAND]?: unknown })[BRAND];
  return Array.isArray(codes) ? (codes as string[]) : undefined;
}

/**
 * Whether `value` is an error of this library (from any loaded copy), optionally of a given
 * code or of a subclass of that code's class.
 *
 * @example
 * ```ts
 * if (isIronicIloError(e, 'INVALID_PARAMETER_VALUE')) showForm(e.message); // also matches MissingParameterValue
 * ```
 */
export function isIronicIloError(value: unknown, code?: string): value is IronicIloError {
  const codes = brandOf(value);
  if (codes === undefined) return false;
  return code === undefined || codes.includes(code);
}
