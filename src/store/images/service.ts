import { readFileSync } from 'node:fs';
import type { Readable } from 'node:stream';
import type { IloConfig } from '../../config/index.js';
import { isGlanceImage, parseConfig } from '../../config/index.js';
import type { Clock, InstanceInfo, Logger, OperationOptions } from '../../contracts/index.js';
import { ImageRefValidationFailed, InvalidParameterValue } from '../../errors/index.js';
import { noopLogger, redactingLogger, redactUrl, systemClock } from '../../util/index.js';
import { createTransport, type Transport, type TransportOptions } from '../http.js';
import type { ImageStore } from '../image-store.js';
import type { TempUrlDigest } from '../swift/temp-url.js';
import { type ImageChecksum, parseChecksum } from './checksum.js';
import { downloadTo } from './download.js';
import { openFile, openHttp, showFile, showHttp } from './fetch.js';
import { GlanceClient, type GlanceImage, glanceEndpoint, glanceTempUrl } from './glance.js';
import { type ImageRef, parseImageRef } from './refs.js';

/** Options of {@link ImageService}. */
export interface ImageServiceOptions extends TransportOptions {
  /**
   * The configuration whose `[glance]` section says where Glance is (`glance_api_servers` or
   * `glance_protocol`/`glance_host`/`glance_port`), how often to retry it, its TLS settings and
   * how to sign Swift temp URLs for its images. Default: ironic.conf's defaults.
   */
  config?: IloConfig;
  /** Token sent to Glance as `X-Auth-Token` (a function is called for each request, so it may renew). */
  glanceToken?: string | (() => string | Promise<string>);
  /** The store `swift:<object>` references point into (normally the {@link SwiftStore} of the images). */
  swiftStore?: ImageStore;
  /**
   * Directories `file://` references must be inside (after resolving symbolic links). Set it
   * whenever references come from tenants, or a reference like `file:///etc/ironic/ironic.conf`
   * would be read. Default: any local file.
   */
  fileRoots?: readonly string[];
  /** HMAC digest of Glance temp URLs (default `sha256`). */
  tempUrlDigest?: TempUrlDigest;
  /** Logger (URLs are logged with their signatures removed). */
  logger?: Logger;
  /** Time source. */
  clock?: Clock;
}

/** What {@link ImageService.show} learns about a reference without downloading it. */
export interface ImageInfo {
  /** The reference's kind. */
  kind: ImageRef['kind'];
  /** Size in bytes, when known. */
  size?: number;
  /** Last modification, when known. */
  lastModified?: Date;
  /** Checksum published with the image (Glance), when known. */
  checksum?: ImageChecksum;
  /** The Glance image, for Glance references. */
  glance?: GlanceImage;
}

/** The image properties the iLO drivers read (Glance `kernel_id`, `ramdisk_id`, `boot_iso`). */
export interface ImageProperties {
  /** `kernel_id`. */
  kernelId?: string;
  /** `ramdisk_id`. */
  ramdiskId?: string;
  /** `boot_iso`. */
  bootIso?: string;
}

/** Options of {@link ImageService.urlFor}. */
export interface ImageUrlOptions extends OperationOptions {
  /** Lifetime of a signed URL (`swift:` references), seconds. */
  ttlSeconds?: number;
}

/** An image opened for reading. */
export interface OpenedImage {
  /** The content. Consume it or destroy it. */
  stream: Readable;
  /** Size in bytes, when announced. */
  size?: number;
}

/** Options of {@link ImageService.download}. */
export interface DownloadOptions extends OperationOptions {
  /** Expected checksum (`sha256:…`, md5 hex…); Glance images default to their published one. */
  checksum?: string | ImageChecksum;
  /** Mode of the written file (default 0o644). */
  fileMode?: number;
}

/** What {@link ImageService.download} wrote. */
export interface DownloadedImage {
  /** The destination path. */
  path: string;
  /** Bytes written. */
  size: number;
  /** The checksum computed (of the expected algorithm, sha256 when none was expected). */
  checksum: ImageChecksum;
  /** Whether it was checked against an expected checksum. */
  verified: boolean;
}

/**
 * Resolves the image references a node carries (`ilo_deploy_iso`, `deploy_kernel`,
 * `deploy_ramdisk`, `image_source`, `kernel`, `ramdisk`, `ilo_boot_iso`): `http(s)://` (HEAD
 * for size and existence, streamed GET), `file://`, `swift:<object>` (a temp URL from the
 * injected store) and Glance images (v2 image show; Swift temp URLs from the `[glance]`
 * options). Downloads are streamed to disk, atomically, and verified against md5, sha256 or
 * sha512 checksums. The deploy drivers take one as an injected dependency; replace it to
 * resolve references any other way.
 *
 * @example
 * ```ts
 * const images = new ImageService({ config, swiftStore: store, glanceToken: () => keystone.token() });
 * const deployIsoUrl = await images.urlFor(node.driverInfo.ilo_deploy_iso!);
 * await images.download(node.instanceInfo.kernel!, '/var/lib/ironic/master/kernel', { checksum: 'sha256:…' });
 * ```
 */
export class ImageService {
  readonly #config: IloConfig;
  readonly #http: Transport;
  readonly #glanceTransport: Transport;
  readonly #glanceToken: (() => string | Promise<string>) | undefined;
  readonly #swift: ImageStore | undefined;
  readonly #fileRoots: readonly string[] | undefined;
  readonly #digest: TempUrlDigest;
  readonly #logger: Logger;
  readonly #clock: Clock;
  readonly #tempUrls = new Map<string, { url: string; expires: number }>();
  #glance: GlanceClient | undefined;

  constructor(options: ImageServiceOptions = {}) {
    this.#config = options.config ?? parseConfig({});
    const token = options.glanceToken;
    this.#glanceToken = typeof token === 'string' ? () => token : token;
    this.#logger = redactingLogger(options.logger ?? noopLogger, () => [
      this.#config.glance.swiftTempUrlKey,
      typeof token === 'string' ? token : undefined,
    ]);
    this.#clock = options.clock ?? systemClock;
    this.#swift = options.swiftStore;
    this.#fileRoots = options.fileRoots;
    this.#digest = options.tempUrlDigest ?? 'sha256';
    this.#http = createTransport(options, this.#logger, 'image downloads');
    const g = this.#config.glance;
    let glanceCa: Buffer | undefined;
    if (g.glanceCafile !== undefined) {
      try {
        glanceCa = readFileSync(g.glanceCafile);
      } catch (e) {
        throw new InvalidParameterValue(`[glance] glance_cafile ${g.glanceCafile} cannot be read.`, {
          fields: [{ field: '[glance] glance_cafile', problem: 'must be a readable CA bundle' }],
          cause: e,
        });
      }
    }
    this.#glanceTransport =
      options.dispatcher !== undefined
        ? this.#http
        : createTransport(
            {
              ...options,
              tls: {
                insecure: g.glanceApiInsecure,
                ...(glanceCa === undefined ? {} : { ca: glanceCa }),
              },
            },
            this.#logger,
            'Glance',
          );
  }

  /** Classifies a reference; see {@link parseImageRef}. */
  parse(ref: string): ImageRef {
    return parseImageRef(ref);
  }

  /**
   * What is known about the image without downloading it: HEAD for http(s), stat for files,
   * the store's HEAD for `swift:`, image show for Glance. Throws
   * {@link ImageRefValidationFailed} when it is unreachable or missing (an http(s) HEAD must
   * answer 200, as Ironic required), {@link ImageNotFound} for an unknown Glance id.
   */
  async show(ref: string, options: OperationOptions = {}): Promise<ImageInfo> {
    const parsed = parseImageRef(ref);
    switch (parsed.kind) {
      case 'http':
        return { kind: 'http', ...(await showHttp(this.#http, parsed, options.signal)) };
      case 'file':
        return { kind: 'file', ...(await showFile(parsed, this.#fileRoots)) };
      case 'swift': {
        const head = await this.#store(parsed).head(parsed.target, options);
        if (head === undefined) throw this.#invalid(parsed, 'the object does not exist in the image store');
        const out: ImageInfo = { kind: 'swift', size: head.size };
        if (head.lastModified !== undefined) out.lastModified = head.lastModified;
        if (head.md5 !== undefined) out.checksum = { algorithm: 'md5', value: head.md5 };
        return out;
      }
      case 'glance': {
        const image = await this.showGlanceImage(parsed.target, options);
        const out: ImageInfo = { kind: 'glance', glance: image };
        if (image.size !== undefined) out.size = image.size;
        const checksum = glanceChecksum(image);
        if (checksum !== undefined) out.checksum = checksum;
        return out;
      }
    }
  }

  /** Ironic's `validate_href`: {@link ImageService.show}, and a Glance image must be `active`. */
  async validateHref(ref: string, options: OperationOptions = {}): Promise<ImageInfo> {
    const info = await this.show(ref, options);
    if (info.glance !== undefined) this.#requireActive(parseImageRef(ref), info.glance);
    return info;
  }

  /** Glance v2 image show. */
  async showGlanceImage(id: string, options: OperationOptions = {}): Promise<GlanceImage> {
    return this.#glanceClient(id).show(id, options.signal);
  }

  /**
   * The Glance properties `kernel_id`, `ramdisk_id` and `boot_iso` of an image (Ironic's
   * `get_image_properties`); empty for references that are not Glance images.
   */
  async getImageProperties(ref: string, options: OperationOptions = {}): Promise<ImageProperties> {
    const parsed = parseImageRef(ref);
    if (parsed.kind !== 'glance') return {};
    const image = await this.showGlanceImage(parsed.target, options);
    const out: ImageProperties = {};
    if (image.kernelId !== undefined) out.kernelId = image.kernelId;
    if (image.ramdiskId !== undefined) out.ramdiskId = image.ramdiskId;
    if (image.bootIso !== undefined) out.bootIso = image.bootIso;
    return out;
  }

  /**
   * A URL the iLO can fetch for the reference: http(s) as given, `swift:<object>` as a temp URL
   * of the store, a Glance image as a Swift temp URL from the `[glance]` options (cached when
   * `swift_temp_url_cache_enabled`). A `file://` reference cannot be fetched by the iLO: publish
   * it to an {@link ImageStore} first.
   */
  async urlFor(ref: string, options: ImageUrlOptions = {}): Promise<string> {
    const parsed = parseImageRef(ref);
    switch (parsed.kind) {
      case 'http':
        return parsed.target;
      case 'file':
        throw this.#invalid(
          parsed,
          'the iLO cannot fetch a file:// image; publish it to an image store first',
        );
      case 'swift':
        return this.#store(parsed).urlFor(parsed.target, options);
      case 'glance':
        return this.#glanceUrl(parsed, options);
    }
  }

  /** Opens the image for streaming. */
  async open(ref: string, options: OperationOptions = {}): Promise<OpenedImage> {
    return this.#open(parseImageRef(ref), options);
  }

  async #open(parsed: ImageRef, options: OperationOptions, known?: GlanceImage): Promise<OpenedImage> {
    switch (parsed.kind) {
      case 'http':
        return openHttp(this.#http, parsed, parsed.target, options.signal);
      case 'file':
        return openFile(parsed, this.#fileRoots);
      case 'swift': {
        const url = await this.#store(parsed).urlFor(parsed.target, options);
        return openHttp(this.#http, parsed, url, options.signal);
      }
      case 'glance': {
        const image = known ?? (await this.showGlanceImage(parsed.target, options));
        this.#requireActive(parsed, image);
        const res = await this.#glanceClient(parsed.target).data(parsed.target, options.signal);
        const size = Number(res.headers['content-length']);
        return { stream: res.body, ...(Number.isSafeInteger(size) ? { size } : {}) };
      }
    }
  }

  /**
   * Streams the image to `destination` (through a temporary file renamed into place, so nothing
   * partial is ever left there), verifying its checksum on the way. A mismatch throws
   * {@link ImageRefValidationFailed} with Ironic's message and leaves no file.
   */
  async download(ref: string, destination: string, options: DownloadOptions = {}): Promise<DownloadedImage> {
    const parsed = parseImageRef(ref);
    let expected = options.checksum === undefined ? undefined : parseChecksum(options.checksum);
    const image = parsed.kind === 'glance' ? await this.showGlanceImage(parsed.target, options) : undefined;
    if (expected === undefined && image !== undefined) expected = glanceChecksum(image);
    const opened = await this.#open(parsed, options, image);
    this.#logger.debug(`Downloading ${redactUrl(ref)} to ${destination}`);
    return downloadTo(opened, destination, {
      href: redactUrl(ref),
      expected,
      fileMode: options.fileMode ?? 0o644,
      signal: options.signal,
    });
  }

  /**
   * Ironic's `is_whole_disk_image`: for a Glance `image_source`, neither `kernel_id` nor
   * `ramdisk_id` is set on the image; otherwise neither `kernel` nor `ramdisk` is in
   * `instance_info`. `undefined` when there is no `image_source`.
   */
  async isWholeDiskImage(
    instanceInfo: InstanceInfo,
    options: OperationOptions = {},
  ): Promise<boolean | undefined> {
    const source = instanceInfo.image_source;
    if (typeof source !== 'string' || source === '') return undefined;
    if (isGlanceImage(source)) {
      const props = await this.getImageProperties(source, options);
      return !props.kernelId && !props.ramdiskId;
    }
    return !instanceInfo.kernel && !instanceInfo.ramdisk;
  }

  /** Closes the connection pools the service created. */
  async close(): Promise<void> {
    if (this.#http.owned) await this.#http.dispatcher.close();
    if (this.#glanceTransport.owned && this.#glanceTransport !== this.#http)
      await this.#glanceTransport.dispatcher.close();
  }

  #store(parsed: ImageRef): ImageStore {
    if (this.#swift === undefined)
      throw this.#invalid(parsed, 'swift: references need the swiftStore option of the ImageService');
    return this.#swift;
  }

  #glanceClient(id: string): GlanceClient {
    if (this.#glance !== undefined) return this.#glance;
    const endpoint = glanceEndpoint(this.#config.glance);
    if (endpoint === undefined) {
      throw new ImageRefValidationFailed({
        imageHref: id,
        reason: 'Glance is not configured: set [glance] glance_api_servers or glance_host',
      });
    }
    this.#glance = new GlanceClient({
      endpoint,
      token: this.#glanceToken,
      transport: this.#glanceTransport,
      retries: this.#config.glance.glanceNumRetries,
      clock: this.#clock,
      logger: this.#logger,
    });
    return this.#glance;
  }

  async #glanceUrl(parsed: ImageRef, options: OperationOptions): Promise<string> {
    const g = this.#config.glance;
    const nowS = Math.floor(this.#clock.now() / 1000);
    const cached = g.swiftTempUrlCacheEnabled ? this.#tempUrls.get(parsed.target) : undefined;
    if (cached !== undefined && cached.expires >= nowS + g.swiftTempUrlExpectedDownloadStartDelay)
      return cached.url;
    const image = await this.showGlanceImage(parsed.target, options);
    this.#requireActive(parsed, image);
    const url = glanceTempUrl(parsed.target, g, this.#clock.now(), this.#digest);
    if (g.swiftTempUrlCacheEnabled)
      this.#tempUrls.set(parsed.target, { url, expires: nowS + g.swiftTempUrlDuration });
    return url;
  }

  #requireActive(parsed: ImageRef, image: GlanceImage): void {
    if (image.status !== undefined && image.status !== 'active')
      throw this.#invalid(parsed, `the Glance image is ${image.status}, not active`);
  }

  #invalid(parsed: ImageRef, reason: string): ImageRefValidationFailed {
    return new ImageRefValidationFailed({ imageHref: redactUrl(parsed.ref), reason });
  }
}

/** The checksum Glance publishes: the multihash when its algorithm is one we verify, else the md5. */
function glanceChecksum(image: GlanceImage): ImageChecksum | undefined {
  const algo = image.osHashAlgo;
  if ((algo === 'sha256' || algo === 'sha512' || algo === 'md5') && image.osHashValue !== undefined)
    return { algorithm: algo, value: image.osHashValue.toLowerCase() };
  if (image.checksum !== undefined && /^[0-9a-fA-F]{32}$/.test(image.checksum))
    return { algorithm: 'md5', value: image.checksum.toLowerCase() };
  return undefined;
}
