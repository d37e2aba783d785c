import { IloConnectionError, IloTimeout } from '../../errors/index.js';
import { redact } from '../../util/index.js';

/** What went wrong with one HTTP attempt, and whether trying again is safe. */
export interface AttemptFailure {
  /** The typed error to throw if no retry follows. */
  error: IloConnectionError | IloTimeout;
  /** Nothing reached the iLO (connection refused, connect timeout, busy): safe to retry even a write. */
  beforeSend: boolean;
  /** Worth retrying at all (a bad certificate is not). */
  transient: boolean;
}

/** System errors raised while connecting: the request never left. */
const CONNECT_CODES = new Set([
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_CONNECT_TIMEOUT',
]);
/** Errors after the request may have been sent: only reads may be repeated. */
const MIDWAY_CODES = new Set([
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

function codeOf(error: unknown): string | undefined {
  let e: unknown = error;
  for (let depth = 0; depth < 4 && typeof e === 'object' && e !== null; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UND_ERR') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * A cause safe to attach to our errors: the name, code and redacted message of the original,
 * and nothing else (library errors can hold headers, sockets or request options).
 */
export function safeCause(error: unknown, secrets: readonly string[]): Error {
  const original = error instanceof Error ? error : new Error(String(error));
  const copy = new Error(redact(original.message, secrets));
  copy.name = original.name;
  const code = codeOf(original);
  if (code !== undefined) Object.defineProperty(copy, 'code', { value: code, enumerable: true });
  copy.stack = `${copy.name}: ${copy.message}`;
  return copy;
}

/** Classifies a failed HTTP attempt to `where` (for example `10.0.0.5:443`). */
export function classifyFailure(error: unknown, where: string, secrets: readonly string[]): AttemptFailure {
  const code = codeOf(error);
  const cause = safeCause(error, secrets);
  const detail = redact(error instanceof Error ? error.message : String(error), secrets);
  if (code === 'UND_ERR_CONNECT_TIMEOUT') {
    return {
      error: new IloTimeout(`Timed out connecting to iLO ${where}`, 'connect', { cause }),
      beforeSend: true,
      transient: true,
    };
  }
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
    return {
      error: new IloTimeout(`iLO ${where} did not answer in time`, 'request', { cause }),
      beforeSend: false,
      transient: true,
    };
  }
  const message = `Unable to connect to iLO ${where}: ${detail}${code && !detail.includes(code) ? ` (${code})` : ''}`;
  return {
    error: new IloConnectionError(message, { cause }),
    beforeSend: code !== undefined && CONNECT_CODES.has(code),
    transient: code !== undefined && (CONNECT_CODES.has(code) || MIDWAY_CODES.has(code)),
  };
}
