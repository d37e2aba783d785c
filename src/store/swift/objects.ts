import type { Clock, Logger } from '../../contracts/index.js';
import { raceAbort } from '../../util/index.js';
import { discard, readText } from '../http.js';
import type { ImageSource, PublishOptions, StoredImage } from '../image-store.js';
import { ByteMeter, prepareSource } from '../source.js';
import type { SwiftConnection } from './connection.js';

/** What a successful PUT stored. */
export interface PutResult {
  size: number;
  md5: string;
  /** When the upload started (Unix ms): the base of `X-Delete-After`. */
  startedAt: number;
}

const LISTING_LIMIT = 10_000;

function unquote(etag: string | undefined): string | undefined {
  return etag?.replace(/^"(.*)"$/, '$1');
}

/** Object-level requests on one container. Names are not validated here. */
export class SwiftObjects {
  readonly #conn: SwiftConnection;
  readonly #container: string;
  readonly #clock: Clock;
  readonly #logger: Logger;
  #created: Promise<void> | undefined;

  constructor(conn: SwiftConnection, container: string, clock: Clock, logger: Logger) {
    this.#conn = conn;
    this.#container = container;
    this.#clock = clock;
    this.#logger = logger;
  }

  /** `/<container>`, percent-encoded. */
  get containerPath(): string {
    return `/${encodeURIComponent(this.#container)}`;
  }

  /** `/<container>/<object>`, each segment percent-encoded. */
  objectPath(name: string): string {
    return `${this.containerPath}/${name.split('/').map(encodeURIComponent).join('/')}`;
  }

  /** Creates the container once per store (PUT is idempotent in Swift). */
  async ensureContainer(signal: AbortSignal | undefined): Promise<void> {
    if (this.#created === undefined) {
      // Shared by concurrent publishes, so no one caller's signal cancels it.
      const creating = (async () => {
        const res = await this.#conn.request({
          operation: 'put container',
          method: 'PUT',
          path: this.containerPath,
        });
        await discard(res.body);
        if (res.status !== 201 && res.status !== 202 && res.status !== 204) {
          throw this.#conn.error('put container', `HTTP ${res.status}`);
        }
        this.#logger.debug(`Swift container ${this.#container} is ready`);
      })();
      this.#created = creating;
      creating.catch(() => {
        if (this.#created === creating) this.#created = undefined;
      });
    }
    await raceAbort(this.#created, signal);
  }

  /** Streams `source` into the object, checks Swift's ETag against the MD5 of what was sent. */
  async put(name: string, source: ImageSource, options: PublishOptions): Promise<PutResult> {
    const prepared = await prepareSource(source, options.contentLength);
    const headers: Record<string, string> = {
      'content-type': options.contentType ?? 'application/octet-stream',
    };
    if (prepared.length !== undefined) headers['content-length'] = String(prepared.length);
    if (options.ttlSeconds !== undefined) headers['x-delete-after'] = String(options.ttlSeconds);
    for (const [k, v] of Object.entries(options.metadata ?? {}))
      headers[`x-object-meta-${k.toLowerCase()}`] = v;
    let meter = new ByteMeter(['md5']);
    const body = () => {
      const src = prepared.open();
      meter = new ByteMeter(['md5'], prepared.length);
      src.once('error', (e) => meter.destroy(e));
      return src.pipe(meter);
    };
    const startedAt = this.#clock.now();
    const send = () =>
      this.#conn.request({
        operation: 'put object',
        method: 'PUT',
        path: this.objectPath(name),
        headers,
        body,
        replayable: prepared.replayable,
        signal: options.signal,
      });
    await this.ensureContainer(options.signal);
    let res = await send();
    for (
      let again = 0;
      prepared.replayable && again < 2 && (res.status === 404 || res.status === 202);
      again++
    ) {
      await discard(res.body);
      if (res.status === 404) {
        // The container was deleted behind our back: create it again.
        this.#created = undefined;
        await this.ensureContainer(options.signal);
      }
      // 202: a write with a newer timestamp (a concurrent DELETE or PUT of the same name) won
      // over ours, so nothing of ours was stored; send it again with a fresh timestamp.
      res = await send();
    }
    const text = await readText(res.body, 64 * 1024).catch(() => '');
    if (res.status !== 201) {
      const hint =
        res.status === 413
          ? ' (larger than the cluster allows; segmented uploads are not supported)'
          : res.status === 202
            ? ' (a newer write of the same object superseded this upload)'
            : '';
      throw this.#conn.error(
        'put object',
        `HTTP ${res.status}${hint}${text ? `: ${text.slice(0, 200)}` : ''}`,
      );
    }
    const md5 = meter.digest('md5');
    const etag = unquote(res.headers.etag);
    if (etag !== md5) {
      await this.delete(name, undefined).catch(() => false);
      throw this.#conn.error(
        'put object',
        `ETag mismatch: Swift stored ${etag}, the client sent ${md5}; the object was deleted`,
      );
    }
    return { size: meter.bytes, md5, startedAt };
  }

  /** The object's description, or undefined on 404. */
  async head(name: string, signal: AbortSignal | undefined): Promise<StoredImage | undefined> {
    const res = await this.#conn.request({
      operation: 'head object',
      method: 'HEAD',
      path: this.objectPath(name),
      signal,
    });
    await discard(res.body);
    if (res.status === 404) return undefined;
    if (res.status < 200 || res.status >= 300) throw this.#conn.error('head object', `HTTP ${res.status}`);
    const metadata: Record<string, string> = {};
    for (const [k, v] of Object.entries(res.headers)) {
      if (k.startsWith('x-object-meta-')) metadata[k.slice('x-object-meta-'.length)] = v;
    }
    const out: StoredImage = { name, size: Number(res.headers['content-length'] ?? 0), metadata };
    const etag = unquote(res.headers.etag);
    if (etag !== undefined) out.md5 = etag;
    const modified = Date.parse(res.headers['last-modified'] ?? '');
    if (Number.isFinite(modified)) out.lastModified = new Date(modified);
    const deleteAt = Number(res.headers['x-delete-at']);
    if (Number.isFinite(deleteAt) && deleteAt > 0) out.expiresAt = new Date(deleteAt * 1000);
    return out;
  }

  /** Deletes the object: true when deleted, false when it did not exist. */
  async delete(name: string, signal: AbortSignal | undefined): Promise<boolean> {
    const res = await this.#conn.request({
      operation: 'delete object',
      method: 'DELETE',
      path: this.objectPath(name),
      signal,
    });
    await discard(res.body);
    if (res.status === 404) return false;
    if (res.status < 200 || res.status >= 300) throw this.#conn.error('delete object', `HTTP ${res.status}`);
    return true;
  }

  /** Every object whose name starts with `prefix`, following the listing's pages. */
  async list(prefix: string, signal: AbortSignal | undefined): Promise<StoredImage[]> {
    const out: StoredImage[] = [];
    let marker = '';
    for (;;) {
      const query: Record<string, string> = { format: 'json', limit: String(LISTING_LIMIT), prefix };
      if (marker !== '') query.marker = marker;
      const res = await this.#conn.request({
        operation: 'get container',
        method: 'GET',
        path: this.containerPath,
        query,
        signal,
      });
      // 404: the container does not exist yet; 204: it is empty.
      if (res.status === 404 || res.status === 204) {
        await discard(res.body);
        return out;
      }
      if (res.status !== 200) {
        await discard(res.body);
        throw this.#conn.error('get container', `HTTP ${res.status}`);
      }
      const page = JSON.parse(await readText(res.body, 64 * 1024 * 1024)) as Array<{
        name: string;
        bytes: number;
        hash: string;
        last_modified: string;
      }>;
      for (const o of page) {
        const item: StoredImage = { name: o.name, size: o.bytes, md5: o.hash, metadata: {} };
        const modified = Date.parse(`${o.last_modified}Z`);
        if (Number.isFinite(modified)) item.lastModified = new Date(modified);
        out.push(item);
      }
      if (page.length < LISTING_LIMIT) return out;
      marker = page[page.length - 1]?.name ?? '';
    }
  }
}
