import type { Clock, Logger, OperationOptions } from '../../contracts/index.js';
import { type FieldIssue, InvalidParameterValue } from '../../errors/index.js';
import { noopLogger, redactingLogger, systemClock } from '../../util/index.js';
import { HolderRegistry } from '../holders.js';
import { createTransport, discard, type Transport, type TransportOptions } from '../http.js';
import type {
  ImageSource,
  ImageStore,
  PublishedImage,
  PublishOptions,
  StoredImage,
  UrlOptions,
} from '../image-store.js';
import { loggableName, secretImageName, ttlProblem, validateImageName, validatePublish } from '../names.js';
import { type SwiftAuth, swiftAuthIssues } from './auth.js';
import { SwiftConnection } from './connection.js';
import { SwiftMarkers } from './markers.js';
import { SwiftObjects } from './objects.js';
import { swiftTempUrl, type TempUrlDigest } from './temp-url.js';

/** Options of {@link SwiftStore}. */
export interface SwiftStoreOptions extends TransportOptions {
  /** How to authenticate: tempauth (v1), Keystone v2 or v3. */
  auth: SwiftAuth;
  /** Container of the images (`[ilo] swift_ilo_container`, default `ironic_ilo_container`); created on first use. */
  container?: string;
  /**
   * The temp-URL key. Default: read from the account's `X-Account-Meta-Temp-URL-Key` (or the
   * container's `X-Container-Meta-Temp-URL-Key`), re-read every minute. Never logged.
   */
  tempUrlKey?: string;
  /** HMAC digest of temp URLs: `sha256` (default, as current Swift), `sha1` (what Ironic used) or `sha512`. */
  tempUrlDigest?: TempUrlDigest;
  /** Lifetime of temp URLs of objects without a TTL, seconds (`[ilo] swift_object_expiry_timeout`, 900). */
  urlTtlSeconds?: number;
  /** Retries of idempotent requests (`[swift] swift_max_retries`, default 2). */
  maxRetries?: number;
  /** First retry back-off in ms, doubled each retry (default 1000, as python-swiftclient). */
  retryBackoffMs?: number;
  /** A deletion intent of a shared object older than this is considered abandoned (default 60 000 ms). */
  holderStaleAfterMs?: number;
  /** How often an acquirer re-checks a deletion in progress (default 200 ms). */
  holderPollMs?: number;
  /** Logger (secrets are removed before it sees anything). */
  logger?: Logger;
  /** Time source (default the system clock). */
  clock?: Clock;
}

/** Options of {@link SwiftStore.setTempUrlKey}. */
export interface SetTempUrlKeyOptions extends OperationOptions {
  /** Set it on the account (default) or only on the store's container. */
  scope?: 'account' | 'container';
}

const KEY_CACHE_MS = 60_000;

/**
 * An {@link ImageStore} in OpenStack Swift, as Ironic's iLO drivers used it: objects in one
 * container, created on first use; streaming uploads verified against Swift's ETag;
 * `X-Delete-After` for objects published with a TTL; temp URLs for the iLO to fetch. Tempauth,
 * Keystone v2 and v3; the token is cached and renewed once on 401; idempotent requests are
 * retried. Passwords, keys, tokens and signatures never reach a log line or an error.
 *
 * @example
 * ```ts
 * const store = new SwiftStore({
 *   auth: { version: 3, url: 'https://keystone:5000/v3', username: 'ironic', password,
 *           projectName: 'service', userDomainName: 'Default', projectDomainName: 'Default' },
 *   container: config.ilo.swiftIloContainer,
 * });
 * const { url } = await store.publish('boot-1.iso', '/tmp/boot.iso');
 * await store.close();
 * ```
 */
export class SwiftStore implements ImageStore {
  /** `'swift'`. */
  readonly kind = 'swift';
  /** The container holding the images. */
  readonly container: string;
  readonly #conn: SwiftConnection;
  readonly #objects: SwiftObjects;
  readonly #holders: HolderRegistry;
  readonly #transport: Transport;
  readonly #logger: Logger;
  readonly #clock: Clock;
  readonly #digest: TempUrlDigest;
  readonly #urlTtl: number;
  readonly #fixedKey: string | undefined;
  #key: { value: string; at: number } | undefined;

  constructor(options: SwiftStoreOptions) {
    const issues: FieldIssue[] = swiftAuthIssues(options?.auth);
    const container = options?.container ?? 'ironic_ilo_container';
    if (typeof container !== 'string' || !/^[^/]{1,256}$/.test(container))
      issues.push({ field: 'container', problem: 'must be 1–256 characters without "/"' });
    const digest = options?.tempUrlDigest ?? 'sha256';
    if (!['sha1', 'sha256', 'sha512'].includes(digest))
      issues.push({ field: 'tempUrlDigest', problem: 'must be sha1, sha256 or sha512' });
    const urlTtl = options?.urlTtlSeconds ?? 900;
    if (ttlProblem(urlTtl) !== undefined)
      issues.push({ field: 'urlTtlSeconds', problem: ttlProblem(urlTtl) ?? '' });
    const retries = options?.maxRetries ?? 2;
    if (!Number.isInteger(retries) || retries < 0)
      issues.push({ field: 'maxRetries', problem: 'must be a non-negative integer' });
    if (
      options?.tempUrlKey !== undefined &&
      (typeof options.tempUrlKey !== 'string' || options.tempUrlKey === '')
    )
      issues.push({ field: 'tempUrlKey', problem: 'must be a non-empty string' });
    if (issues.length > 0) {
      throw new InvalidParameterValue(
        `Invalid SwiftStore options: ${issues.map((i) => `${i.field} ${i.problem}`).join('; ')}.`,
        { fields: issues },
      );
    }
    this.container = container;
    this.#fixedKey = options.tempUrlKey;
    this.#digest = digest;
    this.#urlTtl = urlTtl;
    this.#clock = options.clock ?? systemClock;
    let conn: SwiftConnection | undefined;
    this.#logger = redactingLogger(options.logger ?? noopLogger, () => conn?.secrets ?? []);
    this.#transport = createTransport(options, this.#logger, 'Swift');
    conn = new SwiftConnection(
      options.auth,
      this.#transport,
      { retries, backoffMs: options.retryBackoffMs ?? 1000, clock: this.#clock },
      this.#logger,
      () => [this.#fixedKey, this.#key?.value],
    );
    this.#conn = conn;
    this.#objects = new SwiftObjects(conn, container, this.#clock, this.#logger);
    const staleAfterMs = options.holderStaleAfterMs ?? 60_000;
    const pollMs = options.holderPollMs ?? 200;
    const markers = new SwiftMarkers(this.#objects, conn, {
      clock: this.#clock,
      tombstoneTtlSeconds: Math.ceil((staleAfterMs * 2) / 1000),
      visibleTimeoutMs: staleAfterMs / 2,
      pollMs: Math.min(pollMs, 100),
    });
    this.#holders = new HolderRegistry(markers, { clock: this.#clock, staleAfterMs, pollMs });
  }

  async publish(name: string, source: ImageSource, options: PublishOptions = {}): Promise<PublishedImage> {
    validatePublish(name, options);
    const stored = options.secret === true ? secretImageName(name) : name;
    // Fail before uploading if no temp URL can be signed afterwards.
    await this.#tempUrlKey(options.signal);
    const put = await this.#objects.put(stored, source, options);
    const ttl = options.ttlSeconds;
    let url: string;
    try {
      url = await this.urlFor(stored, { ttlSeconds: ttl ?? this.#urlTtl, ...signalOf(options) });
    } catch (e) {
      await this.#objects.delete(stored, undefined).catch(() => false);
      throw e;
    }
    this.#logger.info(`Published ${loggableName(stored)} to Swift container ${this.container}`, {
      size: put.size,
      ttlSeconds: ttl ?? null,
    });
    const out: PublishedImage = { name: stored, url, size: put.size, md5: put.md5 };
    if (ttl !== undefined) out.expiresAt = new Date(put.startedAt + ttl * 1000);
    return out;
  }

  async urlFor(name: string, options: UrlOptions = {}): Promise<string> {
    validateImageName(name);
    const ttl = options.ttlSeconds ?? this.#urlTtl;
    const problem = ttlProblem(ttl);
    if (problem !== undefined) {
      throw new InvalidParameterValue(`ttlSeconds ${problem}.`, {
        fields: [{ field: 'ttlSeconds', problem }],
      });
    }
    const key = await this.#tempUrlKey(options.signal);
    const session = await this.#conn.session(options.signal);
    const base = new URL(session.storageUrl);
    const accountPath = decodeURIComponent(base.pathname.replace(/\/+$/, ''));
    const path = `${accountPath}/${this.container}/${name}`;
    const signed = swiftTempUrl({
      method: 'GET',
      path,
      key,
      // Rounded up, so that the URL is valid for at least ttl seconds.
      expires: Math.ceil(this.#clock.now() / 1000) + ttl,
      digest: this.#digest,
      ...(options.filename === undefined ? {} : { filename: options.filename }),
      ...(options.inline === undefined ? {} : { inline: options.inline }),
    });
    const query = signed.slice(path.length);
    return `${base.origin}${base.pathname.replace(/\/+$/, '')}${this.#objects.objectPath(name)}${query}`;
  }

  async remove(name: string, options: OperationOptions = {}): Promise<boolean> {
    validateImageName(name);
    const removed = await this.#objects.delete(name, options.signal);
    if (!removed) this.#logger.info(`Temporary object ${loggableName(name)} was already deleted from Swift`);
    return removed;
  }

  async head(name: string, options: OperationOptions = {}): Promise<StoredImage | undefined> {
    validateImageName(name);
    return this.#objects.head(name, options.signal);
  }

  async list(prefix = '', options: OperationOptions = {}): Promise<StoredImage[]> {
    const all = await this.#objects.list(prefix, options.signal);
    return all.filter((o) => !o.name.startsWith('.'));
  }

  acquire(name: string, holderId: string, options: OperationOptions = {}): Promise<number> {
    return this.#holders.acquire(name, holderId, options);
  }

  release(name: string, holderId: string, options: OperationOptions = {}): Promise<number> {
    return this.#holders.release(name, holderId, options);
  }

  holders(name: string, options: OperationOptions = {}): Promise<string[]> {
    return this.#holders.holders(name, options);
  }

  /**
   * Sets the temp-URL key on the account (`X-Account-Meta-Temp-URL-Key`, needs an operator
   * role) or on the container, as `swift post -m Temp-URL-Key:…` does.
   *
   * @example
   * ```ts
   * await store.setTempUrlKey(randomBytes(32).toString('hex'));
   * ```
   */
  async setTempUrlKey(key: string, options: SetTempUrlKeyOptions = {}): Promise<void> {
    if (typeof key !== 'string' || key === '') {
      throw new InvalidParameterValue('The temp-URL key must be a non-empty string.', {
        fields: [{ field: 'key', problem: 'must be a non-empty string' }],
      });
    }
    const container = options.scope === 'container';
    if (container) await this.#objects.ensureContainer(options.signal);
    const res = await this.#conn.request({
      operation: container ? 'post container' : 'post account',
      method: 'POST',
      path: container ? this.#objects.containerPath : '',
      headers: { [container ? 'x-container-meta-temp-url-key' : 'x-account-meta-temp-url-key']: key },
      signal: options.signal,
    });
    await discard(res.body);
    if (res.status !== 204 && res.status !== 200) {
      throw this.#conn.error(container ? 'post container' : 'post account', `HTTP ${res.status}`);
    }
    this.#key = { value: key, at: this.#clock.now() };
  }

  /** Closes the connection pool the store created (not a `dispatcher` you passed in). */
  async close(): Promise<void> {
    if (this.#transport.owned) await this.#transport.dispatcher.close();
  }

  async #tempUrlKey(signal: AbortSignal | undefined): Promise<string> {
    if (this.#fixedKey !== undefined) return this.#fixedKey;
    const cached = this.#key;
    if (cached !== undefined && this.#clock.now() - cached.at < KEY_CACHE_MS) return cached.value;
    const account = await this.#conn.request({ operation: 'head account', method: 'HEAD', path: '', signal });
    await discard(account.body);
    if (account.status < 200 || account.status >= 300)
      throw this.#conn.error('head account', `HTTP ${account.status}`);
    let key =
      account.headers['x-account-meta-temp-url-key'] ?? account.headers['x-account-meta-temp-url-key-2'];
    if (key === undefined) {
      const c = await this.#conn.request({
        operation: 'head container',
        method: 'HEAD',
        path: this.#objects.containerPath,
        signal,
      });
      await discard(c.body);
      if (c.status >= 200 && c.status < 300)
        key = c.headers['x-container-meta-temp-url-key'] ?? c.headers['x-container-meta-temp-url-key-2'];
    }
    if (key === undefined || key === '') {
      throw this.#conn.error(
        'get temp url',
        `neither the account nor container ${this.container} has a Temp-URL-Key; set one (swift post -m Temp-URL-Key:<key>, or SwiftStore.setTempUrlKey()) or pass tempUrlKey`,
      );
    }
    this.#key = { value: key, at: this.#clock.now() };
    return key;
  }
}

function signalOf(options: OperationOptions): OperationOptions {
  return options.signal === undefined ? {} : { signal: options.signal };
}
