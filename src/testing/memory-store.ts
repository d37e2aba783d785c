import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type {
  Clock,
  ImageSource,
  ImageStore,
  Logger,
  OperationOptions,
  PublishedImage,
  PublishOptions,
  StoredImage,
  UrlOptions,
} from '../index.js';
import {
  ImageNotFound,
  InvalidParameterValue,
  joinUrl,
  noopLogger,
  secretImageName,
  systemClock,
  validateHolderId,
  validateImageName,
  validatePublish,
} from '../index.js';
import { MemoryHttpServer, type MemoryStoreRequest } from './memory-http.js';

export type { MemoryStoreRequest } from './memory-http.js';

/** Options of {@link MemoryStore}. */
export interface MemoryStoreOptions {
  /** Base of the URLs handed out before {@link MemoryStore.listen} (default `http://memory-store.invalid/`). */
  baseUrl?: string;
  /** Time source for TTLs (inject a fake clock to expire objects without waiting). */
  clock?: Clock;
  /** Logger. */
  logger?: Logger;
}

/** One object, as {@link MemoryStore.objects} shows it. */
export interface MemoryObject {
  /** Stored name. */
  name: string;
  /** Size in bytes. */
  size: number;
  /** MD5 hex of the content. */
  md5: string;
  /** The TTL it was published with. */
  ttlSeconds?: number;
  /** When it expires. */
  expiresAt?: Date;
  /** User metadata. */
  metadata: Record<string, string>;
  /** `Content-Type` it is served with. */
  contentType: string;
  /** Holders registered with `acquire`. */
  holders: string[];
  /** Whether it was published with `secret: true`. */
  secret: boolean;
}

/**
 * Operations whose next call {@link MemoryStore.failNext} can make fail.
 *
 * @example
 * ```ts
 * const op: MemoryStoreOperation = 'publish';
 * ```
 */
export type MemoryStoreOperation = 'publish' | 'urlFor' | 'remove' | 'head' | 'list' | 'acquire' | 'release';

interface Entry {
  data: Buffer;
  md5: string;
  ttlSeconds?: number;
  expiresAt?: number;
  metadata: Record<string, string>;
  contentType: string;
  modified: number;
  secret: boolean;
}

async function collect(source: ImageSource, signal: AbortSignal | undefined): Promise<Buffer> {
  if (typeof source === 'string') {
    try {
      return await readFile(source, signal === undefined ? {} : { signal });
    } catch (e) {
      if (signal?.aborted) throw signal.reason;
      throw new InvalidParameterValue(`The image source ${source} cannot be read: ${(e as Error).message}`, {
        fields: [{ field: 'source', problem: 'must be a readable regular file' }],
        cause: e,
      });
    }
  }
  if (source instanceof Uint8Array) return Buffer.from(source);
  const chunks: Buffer[] = [];
  for await (const chunk of source) {
    signal?.throwIfAborted();
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}

/**
 * An {@link ImageStore} in memory, for tests: the same contract as `SwiftStore` and
 * `WebServerStore` (validation, secret names, TTLs, reference counting), an optional HTTP server
 * on 127.0.0.1 that serves the URLs it hands out (HEAD, GET, single `Range` requests, 404 once
 * expired) so that a simulated iLO can fetch them, and inspection and fault injection for
 * assertions.
 *
 * @example
 * ```ts
 * const store = new MemoryStore();
 * await store.listen(); // URLs now point at http://127.0.0.1:<port>/
 * const driver = createAgentIloDriver({ store, ... });
 * // … deploy …
 * expect(store.objects().map((o) => o.name)).toEqual([]); // everything cleaned up
 * expect(store.requests.some((r) => r.range !== undefined)).toBe(true); // fetched by range
 * await store.close();
 * ```
 */
export class MemoryStore implements ImageStore {
  /** `'memory'`. */
  readonly kind = 'memory';
  readonly #entries = new Map<string, Entry>();
  readonly #holders = new Map<string, Set<string>>();
  readonly #failures = new Map<MemoryStoreOperation, Error>();
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #server: MemoryHttpServer;
  #baseUrl: string;

  constructor(options: MemoryStoreOptions = {}) {
    this.#clock = options.clock ?? systemClock;
    this.#logger = options.logger ?? noopLogger;
    this.#baseUrl = options.baseUrl ?? 'http://memory-store.invalid/';
    this.#server = new MemoryHttpServer((name) => {
      const e = this.#live(name);
      return e === undefined
        ? undefined
        : { data: e.data, md5: e.md5, contentType: e.contentType, modified: e.modified };
    });
  }

  /** Every HTTP request the embedded server answered, oldest first. */
  get requests(): readonly MemoryStoreRequest[] {
    return this.#server.requests;
  }

  /** The base of the URLs handed out. */
  get baseUrl(): string {
    return this.#baseUrl;
  }

  /**
   * Starts the embedded HTTP server on `127.0.0.1` (an ephemeral port unless given) and returns
   * its base URL; URLs handed out from then on point at it.
   */
  async listen(port = 0): Promise<string> {
    this.#baseUrl = await this.#server.listen(port);
    return this.#baseUrl;
  }

  /** Stops the embedded HTTP server, if it runs. */
  async close(): Promise<void> {
    await this.#server.close();
  }

  /** Same as {@link MemoryStore.close}, for `await using`. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /** Makes the next call of `operation` throw `error` (once). */
  failNext(operation: MemoryStoreOperation, error: Error): void {
    this.#failures.set(operation, error);
  }

  /** The content of an object (a copy), or undefined. */
  read(name: string): Buffer | undefined {
    const e = this.#live(name);
    return e === undefined ? undefined : Buffer.from(e.data);
  }

  /** Every live object, sorted by name. */
  objects(): MemoryObject[] {
    return [...this.#entries.keys()].sort().flatMap((name) => {
      const e = this.#live(name);
      if (e === undefined) return [];
      const o: MemoryObject = {
        name,
        size: e.data.length,
        md5: e.md5,
        metadata: { ...e.metadata },
        contentType: e.contentType,
        holders: [...(this.#holders.get(name) ?? [])].sort(),
        secret: e.secret,
      };
      if (e.ttlSeconds !== undefined) o.ttlSeconds = e.ttlSeconds;
      if (e.expiresAt !== undefined) o.expiresAt = new Date(e.expiresAt);
      return [o];
    });
  }

  /** Removes every object, holder and recorded request. */
  clear(): void {
    this.#entries.clear();
    this.#holders.clear();
    this.#server.requests.length = 0;
  }

  async publish(name: string, source: ImageSource, options: PublishOptions = {}): Promise<PublishedImage> {
    this.#fail('publish', options);
    validatePublish(name, options);
    const data = await collect(source, options.signal);
    if (options.contentLength !== undefined && options.contentLength !== data.length) {
      throw new InvalidParameterValue(
        `contentLength is ${options.contentLength} but the source holds ${data.length} bytes.`,
        {
          fields: [{ field: 'contentLength', problem: `does not match the source size (${data.length})` }],
        },
      );
    }
    options.signal?.throwIfAborted();
    const stored = options.secret === true ? secretImageName(name) : name;
    const now = this.#clock.now();
    const entry: Entry = {
      data,
      md5: createHash('md5').update(data).digest('hex'),
      metadata: Object.fromEntries(
        Object.entries(options.metadata ?? {}).map(([k, v]) => [k.toLowerCase(), v]),
      ),
      contentType: options.contentType ?? 'application/octet-stream',
      modified: now,
      secret: options.secret === true,
    };
    if (options.ttlSeconds !== undefined) {
      entry.ttlSeconds = options.ttlSeconds;
      entry.expiresAt = now + options.ttlSeconds * 1000;
    }
    this.#entries.set(stored, entry);
    this.#logger.info(`Published ${options.secret === true ? `${name}-***` : stored} in memory`, {
      size: data.length,
    });
    const out: PublishedImage = {
      name: stored,
      url: joinUrl(this.#baseUrl, stored),
      size: data.length,
      md5: entry.md5,
    };
    if (entry.expiresAt !== undefined) out.expiresAt = new Date(entry.expiresAt);
    return out;
  }

  async urlFor(name: string, options: UrlOptions = {}): Promise<string> {
    this.#fail('urlFor', options);
    validateImageName(name);
    return joinUrl(this.#baseUrl, name);
  }

  async remove(name: string, options: OperationOptions = {}): Promise<boolean> {
    this.#fail('remove', options);
    validateImageName(name);
    const existed = this.#live(name) !== undefined;
    this.#entries.delete(name);
    if (!existed) this.#logger.info(`Image ${name} was already removed from the memory store`);
    return existed;
  }

  async head(name: string, options: OperationOptions = {}): Promise<StoredImage | undefined> {
    this.#fail('head', options);
    validateImageName(name);
    const e = this.#live(name);
    return e === undefined ? undefined : this.#describe(name, e);
  }

  async list(prefix = '', options: OperationOptions = {}): Promise<StoredImage[]> {
    this.#fail('list', options);
    return [...this.#entries.keys()]
      .filter((n) => n.startsWith(prefix))
      .sort()
      .flatMap((n) => {
        const e = this.#live(n);
        return e === undefined ? [] : [this.#describe(n, e)];
      });
  }

  async acquire(name: string, holderId: string, options: OperationOptions = {}): Promise<number> {
    this.#fail('acquire', options);
    validateImageName(name);
    validateHolderId(holderId);
    if (this.#live(name) === undefined) throw new ImageNotFound({ imageId: name });
    const set = this.#holders.get(name) ?? new Set<string>();
    set.add(holderId);
    this.#holders.set(name, set);
    return set.size;
  }

  async release(name: string, holderId: string, options: OperationOptions = {}): Promise<number> {
    this.#fail('release', options);
    validateImageName(name);
    validateHolderId(holderId);
    const set = this.#holders.get(name);
    set?.delete(holderId);
    const remaining = set?.size ?? 0;
    if (remaining === 0) {
      this.#holders.delete(name);
      this.#entries.delete(name);
    }
    return remaining;
  }

  async holders(name: string, _options: OperationOptions = {}): Promise<string[]> {
    validateImageName(name);
    return [...(this.#holders.get(name) ?? [])].sort();
  }

  #fail(operation: MemoryStoreOperation, options: OperationOptions): void {
    options.signal?.throwIfAborted();
    const error = this.#failures.get(operation);
    if (error !== undefined) {
      this.#failures.delete(operation);
      throw error;
    }
  }

  /** The entry if it exists and has not expired (an expired one is dropped, as Swift's expirer would). */
  #live(name: string): Entry | undefined {
    const e = this.#entries.get(name);
    if (e?.expiresAt !== undefined && e.expiresAt <= this.#clock.now()) {
      this.#entries.delete(name);
      return undefined;
    }
    return e;
  }

  #describe(name: string, e: Entry): StoredImage {
    const out: StoredImage = {
      name,
      size: e.data.length,
      md5: e.md5,
      lastModified: new Date(e.modified),
      metadata: { ...e.metadata },
    };
    if (e.expiresAt !== undefined) out.expiresAt = new Date(e.expiresAt);
    return out;
  }
}
