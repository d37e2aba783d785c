import type { IloConfig } from '../../config/index.js';
import type { Clock, JsonValue, Logger } from '../../contracts/index.js';
import type { FieldIssue } from '../../errors/index.js';
import {
  ImageNotFound,
  ImageRefValidationFailed,
  InvalidParameterValue,
  MissingParameterValue,
} from '../../errors/index.js';
import {
  describeError,
  discard,
  type HttpResponse,
  isTransientError,
  isTransientStatus,
  pause,
  readText,
  send,
  type Transport,
} from '../http.js';
import { signTempUrl, swiftTempUrl, type TempUrlDigest } from '../swift/temp-url.js';

/**
 * The `[glance]` options, camel-cased (see `IloConfig`).
 *
 * @example
 * ```ts
 * const section: GlanceSection = parseConfig({ glance: { swiftContainer: 'images' } }).glance;
 * ```
 */
export type GlanceSection = IloConfig['glance'];

/**
 * A Glance v2 image as `GET /v2/images/{id}` shows it. v2 puts custom properties at the top
 * level: the ones the iLO drivers read are `kernel_id`, `ramdisk_id` and `boot_iso`.
 *
 * @example
 * ```ts
 * const image: GlanceImage = await images.showGlanceImage('0e8a5b8c-3f6d-4a9c-9e8c-6f2f0b1a2c3d');
 * if (image.kernelId === undefined && image.ramdiskId === undefined) console.log('whole-disk image');
 * ```
 */
export interface GlanceImage {
  /** Image id. */
  id: string;
  /** Name. */
  name?: string;
  /** `queued`, `saving`, `active`, `killed`, `deleted`, … */
  status?: string;
  /** Size in bytes. */
  size?: number;
  /** MD5 of the data (legacy `checksum`). */
  checksum?: string;
  /** Multihash algorithm (`os_hash_algo`, usually `sha512`). */
  osHashAlgo?: string;
  /** Multihash value (`os_hash_value`). */
  osHashValue?: string;
  /** `disk_format`. */
  diskFormat?: string;
  /** `container_format`. */
  containerFormat?: string;
  /** Property `kernel_id`: the kernel of a partition image. */
  kernelId?: string;
  /** Property `ramdisk_id`: the ramdisk of a partition image. */
  ramdiskId?: string;
  /** Property `boot_iso`: a ready-made boot ISO for this image. */
  bootIso?: string;
  /** Everything Glance returned. */
  raw: Record<string, JsonValue>;
}

/** The Glance API endpoint from `[glance]`: the first of `glance_api_servers`, or protocol://host:port. */
export function glanceEndpoint(section: GlanceSection): string | undefined {
  const first = section.glanceApiServers?.[0];
  if (first !== undefined)
    return (/^https?:\/\//.test(first) ? first : `${section.glanceProtocol}://${first}`).replace(/\/+$/, '');
  if (section.glanceHost === undefined) return undefined;
  return `${section.glanceProtocol}://${section.glanceHost}:${section.glancePort}`;
}

function str(v: JsonValue | undefined): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** Reads a Glance v2 image document. */
export function toGlanceImage(raw: Record<string, JsonValue>): GlanceImage {
  const out: GlanceImage = { id: String(raw.id ?? ''), raw };
  const fields: Array<[keyof GlanceImage, string]> = [
    ['name', 'name'],
    ['status', 'status'],
    ['checksum', 'checksum'],
    ['osHashAlgo', 'os_hash_algo'],
    ['osHashValue', 'os_hash_value'],
    ['diskFormat', 'disk_format'],
    ['containerFormat', 'container_format'],
    ['kernelId', 'kernel_id'],
    ['ramdiskId', 'ramdisk_id'],
    ['bootIso', 'boot_iso'],
  ];
  for (const [key, src] of fields) {
    const v = str(raw[src]);
    if (v !== undefined) (out as unknown as Record<string, string>)[key] = v;
  }
  if (typeof raw.size === 'number') out.size = raw.size;
  return out;
}

/** Connection settings of {@link GlanceClient}. */
export interface GlanceClientOptions {
  endpoint: string;
  token: (() => string | Promise<string>) | undefined;
  transport: Transport;
  retries: number;
  clock: Clock;
  logger: Logger;
}

/** The two Glance v2 calls the drivers need: image show and image data. */
export class GlanceClient {
  readonly #o: GlanceClientOptions;

  constructor(options: GlanceClientOptions) {
    this.#o = options;
  }

  /** `GET /v2/images/{id}`. */
  async show(id: string, signal: AbortSignal | undefined): Promise<GlanceImage> {
    const res = await this.#get(id, `/v2/images/${encodeURIComponent(id)}`, signal);
    let raw: unknown;
    try {
      raw = JSON.parse(await readText(res.body));
    } catch (e) {
      throw new ImageRefValidationFailed({
        imageHref: id,
        reason: 'Glance answered a body that is not JSON',
        cause: e,
      });
    }
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
      throw new ImageRefValidationFailed({
        imageHref: id,
        reason: 'Glance answered something that is not an image',
      });
    return toGlanceImage(raw as Record<string, JsonValue>);
  }

  /** `GET /v2/images/{id}/file`: the image data, streamed. */
  async data(id: string, signal: AbortSignal | undefined): Promise<HttpResponse> {
    return this.#get(id, `/v2/images/${encodeURIComponent(id)}/file`, signal);
  }

  async #get(id: string, path: string, signal: AbortSignal | undefined): Promise<HttpResponse> {
    const headers: Record<string, string> = {
      accept: path.endsWith('/file') ? 'application/octet-stream' : 'application/json',
    };
    const token = this.#o.token === undefined ? undefined : await this.#o.token();
    if (token !== undefined) headers['x-auth-token'] = token;
    for (let attempt = 0; ; attempt++) {
      let res: HttpResponse;
      try {
        res = await send(this.#o.transport, { method: 'GET', url: this.#o.endpoint + path, headers, signal });
      } catch (e) {
        if (signal?.aborted) throw signal.reason;
        if (isTransientError(e) && attempt < this.#o.retries) {
          await pause(this.#o.clock, 1000 * 2 ** attempt, signal);
          continue;
        }
        throw new ImageRefValidationFailed({
          imageHref: id,
          reason: `Glance is unreachable: ${describeError(e)}`,
          cause: e,
        });
      }
      if (res.status === 200) return res;
      await discard(res.body);
      if (isTransientStatus(res.status) && attempt < this.#o.retries) {
        this.#o.logger.warn(`Glance answered HTTP ${res.status}; retrying`, { image: id });
        await pause(this.#o.clock, 1000 * 2 ** attempt, signal);
        continue;
      }
      if (res.status === 404) throw new ImageNotFound({ imageId: id });
      const reason =
        res.status === 401 || res.status === 403
          ? `not authorized to read it from Glance (HTTP ${res.status})`
          : res.status === 204
            ? 'the image has no data'
            : `Glance answered HTTP ${res.status}`;
      throw new ImageRefValidationFailed({ imageHref: id, reason });
    }
  }
}

/**
 * Problems of the `[glance]` options a Swift temp URL for a Glance image needs, as Ironic's
 * `_validate_temp_url_config` checked them (all reported at once).
 */
function tempUrlIssues(section: GlanceSection): { missing: FieldIssue[]; invalid: FieldIssue[] } {
  const missing: FieldIssue[] = [];
  const invalid: FieldIssue[] = [];
  if (!section.swiftTempUrlKey) missing.push({ field: '[glance] swift_temp_url_key', problem: 'required' });
  if (!section.swiftEndpointUrl) missing.push({ field: '[glance] swift_endpoint_url', problem: 'required' });
  if (!section.swiftAccount && section.tempUrlEndpointType === 'swift')
    missing.push({ field: '[glance] swift_account', problem: 'required' });
  if (section.swiftTempUrlDuration < section.swiftTempUrlExpectedDownloadStartDelay)
    invalid.push({
      field: '[glance] swift_temp_url_duration',
      problem: 'must be greater than or equal to [glance] swift_temp_url_expected_download_start_delay',
    });
  return { missing, invalid };
}

/**
 * The container Glance stores an image in: `swift_container`, or with
 * `swift_store_multiple_containers_seed` N > 0, `<swift_container>_<prefix>` where the prefix
 * is the first N characters of the lower-cased id, dashes among them not counted (glance_store's
 * rule, which Ironic copied).
 *
 * @example
 * ```ts
 * glanceSwiftContainer('3A1B2C3D-…', { ...section, swiftStoreMultipleContainersSeed: 3 }); // 'glance_3a1'
 * ```
 */
export function glanceSwiftContainer(imageId: string, section: GlanceSection): string {
  const seed = section.swiftStoreMultipleContainersSeed;
  if (seed <= 0) return section.swiftContainer;
  const id = imageId.toLowerCase();
  const dashes = id.slice(0, seed).split('-').length - 1;
  return `${section.swiftContainer}_${id.slice(0, seed + dashes)}`;
}

/**
 * Signs a Swift temp URL for a Glance image from the `[glance]` options, as Ironic's
 * `GlanceImageService.swift_temp_url`: `/{swift_api_version}/{swift_account}/{container}/{id}`
 * (radosgw: `/{swift_api_version}/{container}/{id}` under an endpoint ending in `/swift`), valid
 * `swift_temp_url_duration` seconds. Missing options throw {@link MissingParameterValue} naming
 * each of them.
 *
 * @example
 * ```ts
 * const url = glanceTempUrl(imageId, config.glance, Date.now());
 * ```
 */
export function glanceTempUrl(
  imageId: string,
  section: GlanceSection,
  nowMs: number,
  digest: TempUrlDigest = 'sha256',
): string {
  const { missing, invalid } = tempUrlIssues(section);
  if (missing.length > 0) {
    throw new MissingParameterValue(
      `Swift temporary URLs for Glance images need ${missing.map((m) => m.field).join(', ')}.`,
      { fields: [...missing, ...invalid] },
    );
  }
  let endpoint = (section.swiftEndpointUrl ?? '').replace(/\/+$/, '');
  const container = glanceSwiftContainer(imageId, section);
  let path: string;
  if (section.tempUrlEndpointType === 'radosgw') {
    const url = new URL(endpoint);
    if (url.pathname === '/' || url.pathname === '') endpoint = `${url.origin}/swift`;
    else if (url.pathname !== '/swift')
      invalid.push({
        field: '[glance] swift_endpoint_url',
        problem: 'for radosgw must have no path or the path /swift',
      });
    path = `/${section.swiftApiVersion}/${container}/${imageId}`;
  } else {
    path = `/${section.swiftApiVersion}/${section.swiftAccount}/${container}/${imageId}`;
  }
  if (invalid.length > 0) {
    throw new InvalidParameterValue(
      `Invalid [glance] options: ${invalid.map((i) => `${i.field} ${i.problem}`).join('; ')}.`,
      { fields: invalid },
    );
  }
  const input = {
    method: 'GET',
    path,
    key: section.swiftTempUrlKey ?? '',
    expires: Math.floor(nowMs / 1000) + section.swiftTempUrlDuration,
    digest,
  };
  const signed = section.tempUrlEndpointType === 'radosgw' ? signTempUrl(input) : swiftTempUrl(input);
  return endpoint + signed;
}
