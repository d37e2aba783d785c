import { createSecureContext, type SecureContext } from 'node:tls';
import { type Dispatcher, Pool } from 'undici';
import type { Logger } from '../../contracts/index.js';
import { IloConnectionError, IloOperationError, IloTimeout } from '../../errors/index.js';
import type { ResolvedClientOptions } from '../options.js';
import { Deadline } from './deadline.js';
import { type AttemptFailure, classifyFailure } from './failures.js';
import { Limiter } from './limiter.js';

/** One HTTP exchange with the iLO. */
export interface IloRequest {
  /** HTTP method. */
  method: 'GET' | 'POST' | 'PATCH' | 'HEAD';
  /** Path and query, for example `/ribcl`. */
  path: string;
  /** Request body. */
  body?: string;
  /** Extra headers. */
  headers?: Record<string, string>;
  /** Whether repeating the request is harmless (reads). */
  idempotent: boolean;
  /** What is being done, for logs and errors, for example `RIBCL GET_HOST_POWER_STATUS`. */
  operation: string;
  /** Caller's cancellation. */
  signal?: AbortSignal;
}

/** A complete response (bodies are small: they are capped). */
export interface IloResponse {
  /** HTTP status. */
  status: number;
  /** Response headers, lower-case names. */
  headers: Record<string, string>;
  /** Decoded body. */
  body: string;
}

/** `busy` answers (503) are retried like a refused connection. */
class BusyAnswer extends Error {}

/** Our own per-request deadline fired (undici's timers are too coarse below a second). */
class RequestDeadline extends Error {}

/**
 * TLS contexts shared by every client trusting the same CAs: building one per connection (what
 * passing `ca` to each connection does) costs more than the handshake itself.
 */
const contexts = new Map<string, SecureContext>();

function sharedContext(ca: readonly string[] | undefined): SecureContext {
  const key = ca === undefined ? '' : ca.join('\n');
  let context = contexts.get(key);
  if (context === undefined) {
    context = createSecureContext(ca === undefined ? {} : { ca: [...ca] });
    if (contexts.size >= 32) contexts.delete(contexts.keys().next().value as string);
    contexts.set(key, context);
  }
  return context;
}

function headerMap(raw: Dispatcher.ResponseData['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

/**
 * HTTPS to one iLO: a keep-alive pool (or the user's dispatcher), a bound on requests in flight,
 * connect / request / total timeouts, capped bodies, and bounded retries with backoff.
 */
export class IloTransport {
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;
  private readonly limiter: Limiter;
  private readonly where: string;
  private closed = false;

  constructor(
    private readonly options: ResolvedClientOptions,
    private readonly logger: Logger,
    private readonly secrets: () => string[],
  ) {
    this.where = `${options.address}:${options.port}`;
    this.limiter = new Limiter(options.maxConcurrentRequests);
    if (options.dispatcher !== undefined) {
      this.dispatcher = options.dispatcher;
      this.ownsDispatcher = false;
    } else {
      this.dispatcher = new Pool(options.origin, {
        connections: options.maxConcurrentRequests,
        connect: {
          timeout: options.connectTimeoutMs,
          rejectUnauthorized: !options.insecure,
          secureContext: sharedContext(options.ca),
        },
        headersTimeout: options.requestTimeoutMs,
        bodyTimeout: options.requestTimeoutMs,
      });
      this.ownsDispatcher = true;
    }
  }

  /** Sends a request within the operation budget, retrying as the policy allows. */
  async request(req: IloRequest): Promise<IloResponse> {
    if (this.closed) throw new IloConnectionError(`The client of iLO ${this.where} is closed`);
    const budget = new Deadline(this.options.timeoutMs, req.signal);
    const signal = budget.signal;
    const { attempts, minDelayMs, maxDelayMs } = this.options.retry;
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          return await this.attempt(req, signal);
        } catch (error) {
          if (signal.aborted) throw error;
          const failure = this.classify(error);
          if (failure === undefined) throw error;
          const retryable = failure.transient && (req.idempotent || failure.beforeSend);
          if (!retryable || attempt >= attempts) throw failure.error;
          const delay = Math.min(maxDelayMs, minDelayMs * 2 ** (attempt - 1));
          this.logger.warn(`${req.operation} to iLO ${this.where} failed, retrying`, {
            attempt,
            delayMs: delay,
            error: failure.error.message,
          });
          await this.options.clock.sleep(delay, signal);
        }
      }
    } catch (error) {
      if (req.signal?.aborted) throw req.signal.reason;
      if (budget.expired) {
        throw new IloTimeout(
          `${req.operation} on iLO ${this.where} exceeded ${this.options.timeoutMs} ms`,
          'total',
        );
      }
      throw error;
    } finally {
      budget.dispose();
    }
  }

  private classify(error: unknown): AttemptFailure | undefined {
    if (error instanceof BusyAnswer) {
      return { error: new IloConnectionError(error.message), beforeSend: true, transient: true };
    }
    if (error instanceof RequestDeadline) {
      return { error: new IloTimeout(error.message, 'request'), beforeSend: false, transient: true };
    }
    if (error instanceof IloOperationError) return undefined;
    return classifyFailure(error, this.where, this.secrets());
  }

  private async attempt(req: IloRequest, outer: AbortSignal): Promise<IloResponse> {
    const release = await this.limiter.acquire(outer);
    const started = Date.now();
    // The request timeout starts once a slot is free: time spent queued counts against the total only.
    const deadline = new Deadline(this.options.requestTimeoutMs, outer);
    try {
      return await this.exchange(req, deadline.signal, started);
    } catch (error) {
      if (deadline.expired && !outer.aborted) {
        throw new RequestDeadline(
          `iLO ${this.where} did not answer ${req.operation} within ${this.options.requestTimeoutMs} ms`,
        );
      }
      throw error;
    } finally {
      deadline.dispose();
      release();
    }
  }

  private async exchange(req: IloRequest, signal: AbortSignal, started: number): Promise<IloResponse> {
    const res = await this.dispatcher.request({
      origin: this.options.origin,
      path: req.path,
      method: req.method,
      headers: { ...(req.body === undefined ? {} : { 'content-type': 'text/xml' }), ...req.headers },
      ...(req.body === undefined ? {} : { body: req.body }),
      signal,
      headersTimeout: this.options.requestTimeoutMs,
      bodyTimeout: this.options.requestTimeoutMs,
    });
    const body = await this.readCapped(res, req.operation);
    this.logger.debug(`${req.operation}: HTTP ${res.statusCode}`, {
      ilo: this.where,
      ms: Date.now() - started,
      bytes: body.length,
    });
    if (res.statusCode === 503) throw new BusyAnswer(`iLO ${this.where} is busy (HTTP 503)`);
    return { status: res.statusCode, headers: headerMap(res.headers), body };
  }

  private async readCapped(res: Dispatcher.ResponseData, operation: string): Promise<string> {
    const declared = Number(res.headers['content-length']);
    const cap = this.options.maxResponseBytes;
    const tooLarge = (): IloOperationError =>
      new IloOperationError({ operation, error: `the iLO's response is larger than ${cap} bytes` });
    if (Number.isFinite(declared) && declared > cap) {
      res.body.destroy();
      throw tooLarge();
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body) {
      size += (chunk as Buffer).length;
      if (size > cap) {
        res.body.destroy();
        throw tooLarge();
      }
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks, size).toString('utf8');
  }

  /** Closes the pool (a user's dispatcher is left alone). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.ownsDispatcher) await this.dispatcher.close();
  }
}
