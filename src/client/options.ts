import { readFileSync } from 'node:fs';
import { isIPv6 } from 'node:net';
import type { Dispatcher } from 'undici';
import type { Clock, Logger } from '../contracts/index.js';
import type { FieldIssue } from '../errors/index.js';
import { InvalidParameterValue, MissingParameterValue } from '../errors/index.js';
import { noopLogger, systemClock } from '../util/index.js';

/**
 * Bounded retries with exponential backoff. Only reads are retried after a request reached the
 * iLO; writes are retried only when the connection could not be made (nothing was sent) or the
 * iLO answered busy.
 *
 * @example
 * ```ts
 * new IloClient({ ...conn, retry: { attempts: 5, minDelayMs: 500 } });
 * ```
 */
export interface IloRetryOptions {
  /** Attempts in all, including the first (default 3; 1 disables retries). */
  attempts?: number;
  /** Delay before the first retry (default 250 ms), doubled each time. */
  minDelayMs?: number;
  /** Largest delay between attempts (default 2 000 ms). */
  maxDelayMs?: number;
}

/**
 * How to reach one iLO. TLS verification is on unless `insecure: true` (logged once as a warning).
 *
 * @example
 * ```ts
 * const client = new IloClient({
 *   address: '10.0.0.5',
 *   username: 'Administrator',
 *   password: process.env.ILO_PASSWORD!,
 *   caFile: '/etc/ironic/ilo-ca.pem',
 * });
 * ```
 */
export interface IloClientOptions {
  /** Host name or IP address of the iLO (no scheme, no port). */
  address: string;
  /** HTTPS port (default 443). */
  port?: number;
  /** iLO user. */
  username: string;
  /** Password; never logged, never in an error. */
  password: string;
  /** Budget of one operation, queueing and retries included (default 60 000 ms, Ironic's `client_timeout`). */
  timeoutMs?: number;
  /** TCP and TLS connection timeout (default 10 000 ms, at most `timeoutMs`). */
  connectTimeoutMs?: number;
  /** Timeout of one HTTP request from sending to the last byte (default `timeoutMs`). */
  requestTimeoutMs?: number;
  /** Path of a PEM CA bundle that signed the iLO's certificate. */
  caFile?: string;
  /** PEM CA certificate(s) that signed the iLO's certificate. */
  ca?: string | readonly string[];
  /** Do not verify the iLO's certificate (logged as a warning). */
  insecure?: boolean;
  /**
   * An undici Dispatcher for every request (a MockAgent, a ProxyAgent…). The connection options
   * above (`ca`, `insecure`, `connectTimeoutMs`) are then the dispatcher's business.
   */
  dispatcher?: Dispatcher;
  /** Requests in flight to this iLO at once (default 2: iLOs serve few sessions); the rest queue. */
  maxConcurrentRequests?: number;
  /** Largest response accepted (default 16 MiB). */
  maxResponseBytes?: number;
  /** Retries of failed requests. */
  retry?: IloRetryOptions;
  /** Where to log (secrets are removed first). */
  logger?: Logger;
  /** Time source for waits (tests inject a fake one). */
  clock?: Clock;
}

/** Options after validation, with defaults applied. */
export interface ResolvedClientOptions {
  address: string;
  port: number;
  origin: string;
  username: string;
  password: string;
  timeoutMs: number;
  connectTimeoutMs: number;
  requestTimeoutMs: number;
  ca: string[] | undefined;
  insecure: boolean;
  dispatcher: Dispatcher | undefined;
  maxConcurrentRequests: number;
  maxResponseBytes: number;
  retry: Required<IloRetryOptions>;
  logger: Logger;
  clock: Clock;
}

function positiveInt(value: unknown, field: string, issues: FieldIssue[], fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    issues.push({ field, problem: 'must be a positive integer' });
    return fallback;
  }
  return value;
}

function resolveAddress(value: unknown, issues: FieldIssue[]): string {
  if (typeof value !== 'string' || value.trim() === '') {
    issues.push({ field: 'address', problem: 'required' });
    return '';
  }
  const address = value.trim().replace(/^\[(.*)\]$/, '$1');
  if (/[\s/@?#]/.test(address) || (address.includes(':') && !isIPv6(address))) {
    issues.push({
      field: 'address',
      problem: 'must be a host name or an IP address, without scheme or port',
    });
  }
  return address;
}

function resolveCa(options: IloClientOptions, issues: FieldIssue[]): string[] | undefined {
  const out: string[] = [];
  if (options.ca !== undefined) out.push(...(typeof options.ca === 'string' ? [options.ca] : options.ca));
  if (options.caFile !== undefined) {
    try {
      out.push(readFileSync(options.caFile, 'utf8'));
    } catch {
      issues.push({ field: 'caFile', problem: 'cannot be read' });
    }
  }
  if (out.length > 0 && options.insecure === true) {
    issues.push({ field: 'insecure', problem: 'cannot be combined with ca or caFile' });
  }
  return out.length > 0 ? out : undefined;
}

/** Validates client options, naming every bad field at once. */
export function resolveClientOptions(options: IloClientOptions): ResolvedClientOptions {
  const issues: FieldIssue[] = [];
  const address = resolveAddress(options.address, issues);
  const port = options.port ?? 443;
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    issues.push({ field: 'port', problem: 'must be an integer from 1 to 65535' });
  for (const field of ['username', 'password'] as const) {
    if (typeof options[field] !== 'string' || options[field] === '')
      issues.push({ field, problem: 'required' });
  }
  const timeoutMs = positiveInt(options.timeoutMs, 'timeoutMs', issues, 60_000);
  const connectTimeoutMs = positiveInt(
    options.connectTimeoutMs,
    'connectTimeoutMs',
    issues,
    Math.min(10_000, timeoutMs),
  );
  const requestTimeoutMs = positiveInt(options.requestTimeoutMs, 'requestTimeoutMs', issues, timeoutMs);
  const maxConcurrentRequests = positiveInt(
    options.maxConcurrentRequests,
    'maxConcurrentRequests',
    issues,
    2,
  );
  const maxResponseBytes = positiveInt(
    options.maxResponseBytes,
    'maxResponseBytes',
    issues,
    16 * 1024 * 1024,
  );
  const retry = {
    attempts: positiveInt(options.retry?.attempts, 'retry.attempts', issues, 3),
    minDelayMs: positiveInt(options.retry?.minDelayMs, 'retry.minDelayMs', issues, 250),
    maxDelayMs: positiveInt(options.retry?.maxDelayMs, 'retry.maxDelayMs', issues, 2_000),
  };
  const ca = resolveCa(options, issues);
  if (issues.length > 0) {
    const missing = issues.filter((i) => i.problem === 'required');
    const text = issues.map((i) => `${i.field} ${i.problem}`).join('; ');
    const ErrorClass = missing.length > 0 ? MissingParameterValue : InvalidParameterValue;
    throw new ErrorClass(`Invalid iLO client options: ${text}`, { fields: issues });
  }
  return {
    address,
    port,
    origin: `https://${isIPv6(address) ? `[${address}]` : address}:${port}`,
    username: options.username,
    password: options.password,
    timeoutMs,
    connectTimeoutMs,
    requestTimeoutMs,
    ca,
    insecure: options.insecure === true,
    dispatcher: options.dispatcher,
    maxConcurrentRequests,
    maxResponseBytes,
    retry,
    logger: options.logger ?? noopLogger,
    clock: options.clock ?? systemClock,
  };
}
