import { randomBytes } from 'node:crypto';
import { createWriteStream, type Dirent } from 'node:fs';
import { chmod, readdir, rename, stat, unlink } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Clock, Logger, OperationOptions } from '../../contracts/index.js';
import { type FieldIssue, ImageUploadFailed, InvalidParameterValue } from '../../errors/index.js';
import { noopLogger, systemClock } from '../../util/index.js';
import { HolderRegistry, RESERVED_PREFIX } from '../holders.js';
import type {
  ImageSource,
  ImageStore,
  PublishedImage,
  PublishOptions,
  StoredImage,
  UrlOptions,
} from '../image-store.js';
import {
  imageNameProblem,
  joinUrl,
  loggableName,
  secretImageName,
  validateImageName,
  validatePublish,
} from '../names.js';
import { ByteMeter, prepareSource } from '../source.js';
import { isInside, nameOf, parentIsSafe, pathOf, prepareParent, removeCreated } from './paths.js';
import { isFile, WebState } from './state.js';

/** Options of {@link WebServerStore}. */
export interface WebServerStoreOptions {
  /** The directory the web server serves (`[deploy] http_root`). */
  httpRoot: string;
  /** The URL under which the web server serves it (`[deploy] http_url`). A path without a trailing `/` is kept whole. */
  httpUrl: string;
  /** Mode of published files (`[ilo] file_permission`, default `0o644`). */
  fileMode?: number;
  /**
   * Where expiries and holder markers are kept (default `<httpRoot>/.ironic-ilo`, created with
   * mode 0700 so the web server cannot serve it; configure the server to deny dot-paths too).
   */
  stateDir?: string;
  /** A deletion intent of a shared object older than this is considered abandoned (default 60 000 ms). */
  holderStaleAfterMs?: number;
  /** How often an acquirer re-checks a deletion in progress (default 100 ms). */
  holderPollMs?: number;
  /** Temporary files of interrupted publishes older than this are removed by {@link WebServerStore.sweep} (default 1 h). */
  staleTempMs?: number;
  /** Logger. */
  logger?: Logger;
  /** Time source (default the system clock). */
  clock?: Clock;
}

/** What {@link WebServerStore.sweep} removed. */
export interface SweepResult {
  /** Expired images removed. */
  expired: string[];
  /** Leftover temporary files of interrupted publishes removed (paths relative to http_root). */
  temporary: string[];
}

const TMP_PREFIX = '.tmp-';

/**
 * An {@link ImageStore} on a web server's document root, as Ironic's
 * `use_web_server_for_images`: files under `http_root`, URLs under `http_url`. Publishing is
 * atomic (a temporary file renamed into place) with a chosen file mode; secret images get an
 * unguessable name; names cannot escape `http_root`, not even through a symbolic link; URLs keep
 * every path segment of `http_url`. A web server has no `X-Delete-After`: expired images are
 * removed by {@link WebServerStore.sweep} (run it periodically) and whenever they are looked at.
 *
 * @example
 * ```ts
 * const store = new WebServerStore({ httpRoot: '/httpboot', httpUrl: 'http://10.0.0.1:8080/' });
 * const floppy = await store.publish(`image-${node.uuid}`, bytes, { ttlSeconds: 900, secret: true });
 * setInterval(() => void store.sweep(), 60_000).unref();
 * ```
 */
export class WebServerStore implements ImageStore {
  /** `'web-server'`. */
  readonly kind = 'web-server';
  /** Absolute `http_root`. */
  readonly httpRoot: string;
  /** `http_url`. */
  readonly httpUrl: string;
  /** Mode of published files. */
  readonly fileMode: number;
  readonly #state: WebState;
  readonly #holders: HolderRegistry;
  readonly #logger: Logger;
  readonly #clock: Clock;
  readonly #staleTempMs: number;

  constructor(options: WebServerStoreOptions) {
    const issues: FieldIssue[] = [];
    if (typeof options?.httpRoot !== 'string' || options.httpRoot === '')
      issues.push({ field: 'httpRoot', problem: 'required' });
    if (typeof options?.httpUrl !== 'string' || options.httpUrl === '')
      issues.push({ field: 'httpUrl', problem: 'required' });
    else if (!URL.canParse(options.httpUrl) || !/^https?:$/.test(new URL(options.httpUrl).protocol))
      issues.push({ field: 'httpUrl', problem: 'must be an http(s) URL' });
    const mode = options?.fileMode ?? 0o644;
    if (!Number.isInteger(mode) || mode < 0 || mode > 0o777)
      issues.push({ field: 'fileMode', problem: 'must be a permission mode from 0 to 0o777' });
    if (issues.length > 0) {
      throw new InvalidParameterValue(
        `Invalid WebServerStore options: ${issues.map((i) => `${i.field} ${i.problem}`).join('; ')}.`,
        { fields: issues },
      );
    }
    this.httpRoot = resolve(options.httpRoot);
    this.httpUrl = options.httpUrl;
    this.fileMode = mode;
    this.#logger = options.logger ?? noopLogger;
    this.#clock = options.clock ?? systemClock;
    this.#staleTempMs = options.staleTempMs ?? 3_600_000;
    this.#state = new WebState(resolve(options.stateDir ?? join(this.httpRoot, RESERVED_PREFIX)));
    const markers = this.#state.markers(
      (name) => isFile(pathOf(this.httpRoot, name)),
      async (name) => {
        await this.#delete(name);
      },
    );
    this.#holders = new HolderRegistry(markers, {
      clock: this.#clock,
      staleAfterMs: options.holderStaleAfterMs ?? 60_000,
      pollMs: options.holderPollMs ?? 100,
    });
  }

  async publish(name: string, source: ImageSource, options: PublishOptions = {}): Promise<PublishedImage> {
    validatePublish(name, options);
    const stored = options.secret === true ? secretImageName(name) : name;
    const target = pathOf(this.httpRoot, stored);
    const prepared = await prepareSource(source, options.contentLength);
    const tmp = join(dirname(target), `${TMP_PREFIX}${randomBytes(8).toString('hex')}`);
    const meter = new ByteMeter(['md5'], prepared.length);
    const expiresAt =
      options.ttlSeconds === undefined ? undefined : this.#clock.now() + options.ttlSeconds * 1000;
    let createdDir: string | undefined;
    try {
      createdDir = await prepareParent(this.httpRoot, target, stored);
      await pipeline(
        prepared.open(),
        meter,
        createWriteStream(tmp, { flags: 'wx', mode: this.fileMode }),
        ...(options.signal === undefined ? [] : [{ signal: options.signal }]),
      );
      if (prepared.length !== undefined && meter.bytes !== prepared.length) {
        throw new Error(`the source yielded ${meter.bytes} bytes, ${prepared.length} were announced`);
      }
      // The mode given to open() is filtered by the umask; Ironic chmod-ed after copying too.
      await chmod(tmp, this.fileMode);
      // Record the expiry before the file becomes visible, so that a crash cannot leave a
      // secret image that never expires.
      if (expiresAt !== undefined) await this.#state.setExpiry(stored, expiresAt);
      await rename(tmp, target);
      if (expiresAt === undefined) await this.#state.clearExpiry(stored);
    } catch (e) {
      await unlink(tmp).catch(() => undefined);
      await removeCreated(dirname(target), createdDir);
      if (options.signal?.aborted) throw options.signal.reason;
      if (e instanceof InvalidParameterValue) throw e;
      throw new ImageUploadFailed({
        imageName: loggableName(stored),
        webServer: this.httpUrl,
        reason: (e as Error).message,
        cause: e,
      });
    }
    this.#logger.info(`Published ${loggableName(stored)} on the web server`, {
      size: meter.bytes,
      ttlSeconds: options.ttlSeconds ?? null,
    });
    const out: PublishedImage = {
      name: stored,
      url: joinUrl(this.httpUrl, stored),
      size: meter.bytes,
      md5: meter.digest('md5'),
    };
    if (expiresAt !== undefined) out.expiresAt = new Date(expiresAt);
    return out;
  }

  /** The file's URL (`ttlSeconds`, `filename` and `inline` have no meaning for a plain web server). */
  async urlFor(name: string, options: UrlOptions = {}): Promise<string> {
    options.signal?.throwIfAborted();
    validateImageName(name);
    return joinUrl(this.httpUrl, name);
  }

  async remove(name: string, options: OperationOptions = {}): Promise<boolean> {
    options.signal?.throwIfAborted();
    const removed = await this.#delete(name);
    if (!removed) this.#logger.info(`Image ${loggableName(name)} was already removed from the web server`);
    return removed;
  }

  async head(name: string, options: OperationOptions = {}): Promise<StoredImage | undefined> {
    options.signal?.throwIfAborted();
    const path = pathOf(this.httpRoot, name);
    if (!(await parentIsSafe(this.httpRoot, path, name))) return undefined;
    return this.#describe(name, path);
  }

  async list(prefix = '', options: OperationOptions = {}): Promise<StoredImage[]> {
    const out: StoredImage[] = [];
    for (const path of await this.#walk(this.httpRoot, false, options.signal)) {
      const name = nameOf(this.httpRoot, path);
      if (!name.startsWith(prefix) || imageNameProblem(name) !== undefined) continue;
      const item = await this.#describe(name, path);
      if (item !== undefined) out.push(item);
    }
    return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
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
   * Removes every expired image and every temporary file an interrupted publish left behind
   * (older than `staleTempMs`). Run it periodically; it is safe to run concurrently.
   *
   * @example
   * ```ts
   * const { expired } = await store.sweep();
   * ```
   */
  async sweep(options: OperationOptions = {}): Promise<SweepResult> {
    const now = this.#clock.now();
    const expired: string[] = [];
    for (const e of await this.#state.expiries()) {
      options.signal?.throwIfAborted();
      if (e.expiresAt > now) continue;
      await this.#delete(e.name);
      expired.push(e.name);
    }
    const temporary: string[] = [];
    for (const path of await this.#walk(this.httpRoot, true, options.signal)) {
      const st = await stat(path).catch(() => undefined);
      if (st === undefined || now - st.mtimeMs < this.#staleTempMs) continue;
      await unlink(path).catch(() => undefined);
      temporary.push(nameOf(this.httpRoot, path));
    }
    if (expired.length + temporary.length > 0)
      this.#logger.info('Swept the web server directory', {
        expired: expired.length,
        temporary: temporary.length,
      });
    return { expired: expired.sort(), temporary: temporary.sort() };
  }

  /** Describes a file, removing it first if it has expired. */
  async #describe(name: string, path: string): Promise<StoredImage | undefined> {
    const st = await stat(path).catch(() => undefined);
    if (st === undefined || !st.isFile()) return undefined;
    const expiresAt = await this.#state.expiryOf(name);
    if (expiresAt !== undefined && expiresAt <= this.#clock.now()) {
      await this.#delete(name);
      return undefined;
    }
    const out: StoredImage = { name, size: st.size, lastModified: st.mtime, metadata: {} };
    if (expiresAt !== undefined) out.expiresAt = new Date(expiresAt);
    return out;
  }

  async #delete(name: string): Promise<boolean> {
    const path = pathOf(this.httpRoot, name);
    let removed = false;
    if (await parentIsSafe(this.httpRoot, path, name)) {
      try {
        await unlink(path);
        removed = true;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      }
    }
    await this.#state.clearExpiry(name);
    return removed;
  }

  /** Regular files under `dir` (images, or with `temporary` the leftover temporary files); skips dot-directories. */
  async #walk(dir: string, temporary: boolean, signal: AbortSignal | undefined): Promise<string[]> {
    signal?.throwIfAborted();
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return [];
    }
    const out: string[] = [];
    for (const e of entries) {
      const path = join(dir, e.name);
      if (e.isDirectory()) {
        if (!e.name.startsWith('.') && isInside(this.httpRoot, path))
          out.push(...(await this.#walk(path, temporary, signal)));
      } else if (e.isFile()) {
        const isTemp = e.name.startsWith(TMP_PREFIX);
        if (temporary ? isTemp : !e.name.startsWith('.')) out.push(path);
      }
    }
    return out;
  }
}
