/**
 * HTTP to the deploy agent: one undici dispatcher for every node, JSON in and out, bounded
 * bodies, and Ironic's error mapping (connection problems → `AgentConnectionFailed`, an error
 * status → `AgentAPIError` with the agent's `faultstring`).
 */
import { Agent, type Dispatcher, request } from 'undici';
import type { Clock, Logger } from '../../contracts/index.js';
import { AgentAPIError, AgentConnectionFailed } from '../../errors/index.js';
import type { TlsOptions } from '../../store/index.js';
import { redact } from '../../util/index.js';

/** Resolved transport settings of an `AgentClient`. */
export interface AgentTransport {
  dispatcher: Dispatcher;
  owned: boolean;
  /** Default bound of one request (`[agent] command_timeout`). */
  requestMs: number;
  /** Attempts of a request that could not connect (`[agent] max_command_attempts`). */
  attempts: number;
  /** Largest answer read. */
  maxResponseBytes: number;
  clock: Clock;
}

/** Builds the dispatcher: TLS verified unless `insecure`, which is logged. */
export function createAgentDispatcher(
  tls: TlsOptions | undefined,
  connectMs: number,
  logger: Logger,
): Dispatcher {
  const insecure = tls?.insecure === true;
  if (insecure) logger.warn('TLS certificate verification is disabled for the deploy agent');
  const connect: Record<string, unknown> = { timeout: connectMs, rejectUnauthorized: !insecure };
  if (tls?.ca !== undefined) connect.ca = tls.ca;
  return new Agent({ connect, keepAliveTimeout: 4_000 });
}

/** One request to an agent. */
export interface AgentRequest {
  method: 'GET' | 'POST';
  url: URL;
  body?: string;
  /** Node UUID, for errors. */
  node: string;
  /** The command or resource, for errors and logs. */
  what: string;
  /** Bound of this request in milliseconds. */
  timeoutMs: number;
  /** Secrets that must not appear in errors (the agent token). */
  secrets: readonly string[];
  signal?: AbortSignal | undefined;
  /**
   * A POST whose connection broke may have reached the agent: this looks for it there (Ironic's
   * check of the last command) and returns its answer, or `undefined` to send it again.
   */
  recover?: () => Promise<unknown>;
}

/** Failures that happen before a request reaches the agent: safe to retry, even a POST. */
const NOT_SENT = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);
/** The connection broke (a rebooted ramdisk leaves dead keep-alive sockets): maybe sent, no answer. */
const BROKEN = new Set(['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE', 'UND_ERR_CLOSED']);
const TIMEOUTS = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

function errorCode(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return code;
  const cause = (e as { cause?: unknown } | null)?.cause;
  return cause === undefined ? undefined : errorCode(cause);
}

function describe(e: unknown, timeoutMs: number): string {
  const code = errorCode(e);
  if (code !== undefined && TIMEOUTS.has(code)) return `no answer within ${timeoutMs} ms (${code})`;
  const message = e instanceof Error ? e.message : String(e);
  return code !== undefined && !message.includes(code) ? `${code}: ${message}` : message;
}

/**
 * Sends the request and returns the parsed JSON answer of a 2xx status. Connection failures are
 * retried up to `transport.attempts` times: a GET always; a POST when it cannot have reached the
 * agent, or when its connection broke and `recover` did not find it running there. A POST that
 * timed out is never sent again (the agent may be working on it).
 */
export async function agentRequest(transport: AgentTransport, req: AgentRequest): Promise<unknown> {
  for (let attempt = 1; ; attempt++) {
    req.signal?.throwIfAborted();
    try {
      return await once(transport, req);
    } catch (e) {
      if (req.signal?.aborted) throw req.signal.reason;
      if (e instanceof AgentAPIError) throw e;
      const code = errorCode(e);
      const broken = code !== undefined && BROKEN.has(code);
      if (req.method === 'POST' && broken && req.recover !== undefined) {
        const found = await req.recover().catch(() => undefined);
        if (found !== undefined) return found;
      }
      const retryable =
        req.method === 'GET' ||
        (code !== undefined && NOT_SENT.has(code)) ||
        (broken && req.recover !== undefined);
      const failure = new AgentConnectionFailed({
        reason: redact(
          `Failed to connect to the agent running on node ${req.node} for ${req.what}. Error: ${describe(e, req.timeoutMs)}`,
          req.secrets,
        ),
      });
      if (!retryable || attempt >= transport.attempts) throw failure;
    }
  }
}

async function once(transport: AgentTransport, req: AgentRequest): Promise<unknown> {
  const res = await request(req.url, {
    dispatcher: transport.dispatcher,
    method: req.method,
    headers:
      req.body === undefined
        ? { accept: 'application/json' }
        : { 'content-type': 'application/json', accept: 'application/json' },
    body: req.body ?? null,
    signal: req.signal ?? null,
    headersTimeout: req.timeoutMs,
    bodyTimeout: req.timeoutMs,
  });
  const declared = Number(res.headers['content-length']);
  // An answer of announced size within the limit is read in one go (the usual case, and cheaper).
  const reading =
    Number.isSafeInteger(declared) && declared <= transport.maxResponseBytes
      ? res.body.text()
      : readCapped(res.body, transport.maxResponseBytes);
  const text = await reading.catch((e: unknown) => {
    if (!(e instanceof TooLarge)) throw e;
    throw new AgentAPIError({ node: req.node, status: res.statusCode, command: req.what, error: e.message });
  });
  let json: unknown;
  try {
    json = text === '' ? null : JSON.parse(text);
  } catch {
    throw new AgentAPIError({
      node: req.node,
      status: res.statusCode,
      command: req.what,
      error: redact(`Unable to decode response as JSON: ${text.slice(0, 200)}`, req.secrets),
    });
  }
  if (res.statusCode >= 400) {
    const fault = (json as { faultstring?: unknown } | null)?.faultstring;
    throw new AgentAPIError({
      node: req.node,
      status: res.statusCode,
      command: req.what,
      error: redact(typeof fault === 'string' ? fault : text.slice(0, 200), req.secrets),
    });
  }
  return json;
}

class TooLarge extends Error {}

async function readCapped(body: Dispatcher.ResponseData['body'], limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      body.destroy();
      throw new TooLarge(`the agent's answer is larger than ${limit} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
