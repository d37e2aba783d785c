import type { Readable } from 'node:stream';
import type { Clock, Logger } from '../../contracts/index.js';
import { SwiftOperationError } from '../../errors/index.js';
import { raceAbort, redact } from '../../util/index.js';
import {
  describeError,
  discard,
  type HttpRequest,
  type HttpResponse,
  isTransientError,
  isTransientStatus,
  pause,
  type RetryPolicy,
  send,
  type Transport,
} from '../http.js';
import { authenticate, type SwiftAuth, type SwiftSession } from './auth.js';

/** A token this close to its expiry is renewed before use rather than after a 401. */
const RENEW_BEFORE_MS = 30_000;

/** One request to the storage URL. */
export interface SwiftRequest {
  /** The Swift operation, for errors: `'put object'`, `'head account'`… */
  operation: string;
  method: HttpRequest['method'];
  /** Path below the storage URL, already percent-encoded: `''`, `/c`, `/c/o`. */
  path: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  /** Builds the body for each attempt. */
  body?: () => Readable | string;
  /** Whether `body` may be called again (a stream cannot). */
  replayable?: boolean;
  signal?: AbortSignal | undefined;
}

/**
 * Authenticated requests to one Swift account: the token is cached and shared by concurrent
 * requests, renewed shortly before it expires and once more when Swift answers 401; idempotent
 * requests (GET, HEAD, PUT, DELETE with a replayable body) are retried on transport errors and
 * 5xx answers, with exponential back-off, `retries` times. POSTs are never retried.
 */
export class SwiftConnection {
  readonly #auth: SwiftAuth;
  readonly #transport: Transport;
  readonly #retry: RetryPolicy;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #secrets: () => ReadonlyArray<string | undefined>;
  #session: Promise<SwiftSession> | undefined;
  #token: string | undefined;

  constructor(
    auth: SwiftAuth,
    transport: Transport,
    retry: RetryPolicy,
    logger: Logger,
    extraSecrets: () => ReadonlyArray<string | undefined>,
  ) {
    this.#auth = auth;
    this.#transport = transport;
    this.#retry = retry;
    this.#clock = retry.clock;
    this.#logger = logger;
    const own = auth.version === 1 ? auth.key : auth.password;
    this.#secrets = () => [own, this.#token, ...extraSecrets()];
  }

  /** Values that must never reach a log or an error. */
  get secrets(): ReadonlyArray<string | undefined> {
    return this.#secrets();
  }

  /** The current session, authenticating when there is none or it is about to expire. */
  async session(signal?: AbortSignal): Promise<SwiftSession> {
    const current = this.#session;
    if (current !== undefined) {
      const s = await raceAbort(current, signal).catch((e: unknown) => {
        if (signal?.aborted) throw e;
        return undefined;
      });
      if (
        s !== undefined &&
        (s.expiresAt === undefined || s.expiresAt - this.#clock.now() > RENEW_BEFORE_MS)
      ) {
        return s;
      }
      if (this.#session !== current) return this.session(signal);
    }
    // Shared by every request waiting for a token, so no one caller's signal cancels it.
    const fresh = authenticate(this.#auth, this.#transport, this.#retry, undefined).then((s) => {
      this.#token = s.token;
      this.#logger.debug('Authenticated to Swift', { storageUrl: s.storageUrl });
      return s;
    });
    this.#session = fresh;
    fresh.catch(() => {
      if (this.#session === fresh) this.#session = undefined;
    });
    return raceAbort(fresh, signal);
  }

  /** Forgets `token` (if it is still the current one) so that the next request authenticates. */
  #invalidate(token: string): void {
    if (this.#token === token) this.#session = undefined;
  }

  /** Sends the request; the caller consumes or dumps the body. */
  async request(req: SwiftRequest): Promise<HttpResponse> {
    const idempotent = req.method !== 'POST' && (req.body === undefined || req.replayable === true);
    let reauthenticated = false;
    for (let attempt = 0; ; ) {
      const session = await this.session(req.signal);
      const url = this.#url(session.storageUrl, req);
      let res: HttpResponse;
      try {
        res = await send(this.#transport, {
          method: req.method,
          url,
          headers: { ...req.headers, 'x-auth-token': session.token },
          body: req.body?.(),
          signal: req.signal,
        });
      } catch (e) {
        if (req.signal?.aborted) throw req.signal.reason;
        if (idempotent && isTransientError(e) && attempt < this.#retry.retries) {
          await this.#backoff(attempt++, req, describeError(e));
          continue;
        }
        throw this.error(req.operation, describeError(e), e);
      }
      if (res.status === 401 && !reauthenticated) {
        await discard(res.body);
        this.#invalidate(session.token);
        reauthenticated = true;
        if (req.body !== undefined && req.replayable !== true) {
          throw this.error(
            req.operation,
            'the token was rejected (HTTP 401) and a streamed body cannot be sent again',
          );
        }
        this.#logger.info('Swift rejected the token; authenticating again', { operation: req.operation });
        continue;
      }
      if (idempotent && isTransientStatus(res.status) && attempt < this.#retry.retries) {
        await discard(res.body);
        await this.#backoff(attempt++, req, `HTTP ${res.status}`);
        continue;
      }
      return res;
    }
  }

  /** A {@link SwiftOperationError} whose text has every secret removed. */
  error(operation: string, error: string, cause?: unknown): SwiftOperationError {
    return new SwiftOperationError({ operation, error: redact(error, this.#secrets()), cause });
  }

  #url(storageUrl: string, req: SwiftRequest): string {
    const query = req.query === undefined ? '' : `?${new URLSearchParams(req.query).toString()}`;
    return `${storageUrl.replace(/\/+$/, '')}${req.path}${query}`;
  }

  async #backoff(attempt: number, req: SwiftRequest, why: string): Promise<void> {
    const ms = this.#retry.backoffMs * 2 ** attempt;
    this.#logger.warn(`Swift ${req.operation} failed (${why}); retrying in ${ms} ms`, {
      attempt: attempt + 1,
      retries: this.#retry.retries,
    });
    await pause(this.#clock, ms, req.signal);
  }
}
