import type { LogFields, Logger } from '../contracts/index.js';
import { redact } from './redact.js';

/**
 * A logger that discards everything; the default wherever no logger is given.
 *
 * @example
 * ```ts
 * new IloClient({ ...opts, logger: noopLogger });
 * ```
 */
export const noopLogger: Logger = Object.freeze({
  debug() {},
  info() {},
  warn() {},
  error() {},
});

/** Log levels, lowest first. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

/**
 * A logger writing one line per message to stderr (`level message {json fields}`), from `level` up.
 *
 * @example
 * ```ts
 * const logger = consoleLogger('info');
 * ```
 */
export function consoleLogger(level: LogLevel = 'info'): Logger {
  const min = LEVELS.indexOf(level);
  const write = (lvl: LogLevel) => (message: string, fields?: LogFields) => {
    if (LEVELS.indexOf(lvl) < min) return;
    const extra = fields && Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : '';
    process.stderr.write(`${lvl.toUpperCase()} ${message}${extra}\n`);
  };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

/**
 * Wraps a logger so that the given secrets (and URL signatures) are removed from every message
 * and every string field before they reach it. The library wraps the user's logger with this
 * wherever it holds a password, key or token.
 *
 * @example
 * ```ts
 * const safe = redactingLogger(userLogger, () => [password]);
 * ```
 */
export function redactingLogger(
  logger: Logger,
  secrets: () => ReadonlyArray<string | undefined | null>,
): Logger {
  const clean = (value: unknown): unknown => {
    if (typeof value === 'string') return redact(value, secrets());
    if (Array.isArray(value)) return value.map(clean);
    if (value instanceof Error) return redact(value.message, secrets());
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, clean(v)]));
    }
    return value;
  };
  const wrap =
    (fn: Logger['info']) =>
    (message: string, fields?: LogFields): void =>
      fn(redact(message, secrets()), fields === undefined ? undefined : (clean(fields) as LogFields));
  return {
    debug: wrap(logger.debug.bind(logger)),
    info: wrap(logger.info.bind(logger)),
    warn: wrap(logger.warn.bind(logger)),
    error: wrap(logger.error.bind(logger)),
  };
}
