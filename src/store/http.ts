import type { Readable } from 'node:stream';
import { Agent, type Dispatcher, interceptors, request } from 'undici';
import type { Clock, Logger } from '../contracts/index.js';

/** Timeouts of HTTP requests, in milliseconds. */
export interface HttpTimeouts {
  /** TCP + TLS connection establishment (default 10 000). Ignored with a user `dispatcher`. */
  connectMs?: number;
  /** From sending the request to receiving the response headers (default 60 000). */
  headersMs?: number;
  /** Longest silence while receiving a body (default 60 000). */
  bodyMs?: number;
}

/** TLS settings for HTTPS endpoints. Verification is on unless `insecure` is set. */
export interface TlsOptions {
  /** CA certificates (PEM) to trust instead of Node's bundle. */
  ca?: string | Buffer | ReadonlyArray<string | Buffer>;
  /** Skip certificate verification. Logged as a warning when used. */
  insecure?: boolean;
}

/** Transport options shared by the Swift, Glance and HTTP image clients. */
export interface TransportOptions {
  /** An undici dispatcher (Agent, ProxyAgent, MockAgent…) to send requests through; it then owns TLS and connection pooling. */
  dispatcher?: Dispatcher;
  /** TLS settings when no `dispatcher` is given. */
  tls?: TlsOptions;
  /** Timeouts. */
  timeouts?: HttpTimeouts;
}

/** Resolved transport: a dispatcher and whether we must close it. */
export interface Transport {
  dispatcher: Dispatcher;
  owned: boolean;
  headersMs: number;
  bodyMs: number;
}

/** Builds the dispatcher of a client, following redirects, warning when TLS is not verified. */
export function createTransport(options: TransportOptions, logger: Logger, what: string): Transport {
  const t = options.timeouts ?? {};
  const headersMs = t.headersMs ?? 60_000;
  const bodyMs = t.bodyMs ?? 60_000;
  if (options.dispatcher !== undefined) {
    return { dispatcher: options.dispatcher, owned: false, headersMs, bodyMs };
  }
  const insecure = options.tls?.insecure === true;
  if (insecure) logger.warn(`TLS certificate verification is disabled for ${what}`);
  const ca = options.tls?.ca;
  const connect: Record<string, unknown> = { timeout: t.connectMs ?? 10_000, rejectUnauthorized: !insecure };
  if (ca !== undefined) connect.ca = ca;
  const agent = new Agent({ connect, keepAliveTimeout: 4_000 });
  return {
    dispatcher: agent.compose(interceptors.redirect({ maxRedirections: 5 })),
    owned: true,
    headersMs,
    bodyMs,
  };
}

/** One HTTP request. */
export interface HttpRequest {
  method: 'GET' | 'HEAD' | 'PUT' | 'POST' | 'DELETE';
  url: string;
  headers?: Record<string, string>;
  body?: string | Buffer | Readable;
  signal?: AbortSignal | undefined;
}

/** A response whose body the caller must consume or dump. */
export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: Dispatcher.ResponseData['body'];
}

/** Sends a request; header values are flattened to strings, names lower-cased. */
export async function send(transport: Transport, req: HttpRequest): Promise<HttpResponse> {
  const res = await request(req.url, {
    dispatcher: transport.dispatcher,
    method: req.method,
    headers: req.headers ?? {},
    body: req.body ?? null,
    signal: req.signal ?? null,
    headersTimeout: transport.headersMs,
    bodyTimeout: transport.bodyMs,
  });
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(res.headers)) {
    if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  }
  return { status: res.statusCode, headers, body: res.body };
}

/** Reads a small body as text (error messages, JSON documents), capped at `limit` bytes. */
export async function readText(body: HttpResponse['body'], limit = 1024 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      body.destroy();
      throw new Error(`response body larger than ${limit} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Discards a body without reading it into memory. */
export async function discard(body: HttpResponse['body']): Promise<void> {
  try {
    await body.dump();
  } catch {
    // The connection may already be gone; nothing to release then.
  }
}

const TRANSIENT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
]);

/** Whether a transport error is worth retrying (the request may not have reached the server). */
export function isTransientError(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && TRANSIENT_CODES.has(code);
}

/** Whether an HTTP status is worth retrying. */
export function isTransientStatus(status: number): boolean {
  return (
    status === 408 || status === 429 || status === 500 || status === 502 || status === 503 || status === 504
  );
}

/** A short description of a transport error, without URLs (they may carry signatures). */
export function describeError(e: unknown): string {
  const err = e as { code?: unknown; message?: unknown } | null;
  const code = typeof err?.code === 'string' ? err.code : undefined;
  const message = typeof err?.message === 'string' ? err.message : String(e);
  return code !== undefined && !message.includes(code) ? `${code}: ${message}` : message;
}

/** Retry policy of idempotent requests. */
export interface RetryPolicy {
  /** Retries after the first attempt (`[swift] swift_max_retries`, `[glance] glance_num_retries`). */
  retries: number;
  /** First back-off; doubles each time (python-swiftclient starts at 1 s). */
  backoffMs: number;
  /** Time source for the back-off. */
  clock: Clock;
}

/**
 * Sleeps on the injected clock; an abort rejects with the signal's reason (Node's timers reject
 * with a generic AbortError instead).
 */
export async function pause(clock: Clock, ms: number, signal: AbortSignal | undefined): Promise<void> {
  try {
    await clock.sleep(ms, signal);
  } catch (e) {
    if (signal?.aborted) throw signal.reason;
    throw e;
  }
}
