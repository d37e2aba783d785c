import { createHmac } from 'node:crypto';
import type { FieldIssue } from '../../errors/index.js';
import { InvalidParameterValue } from '../../errors/index.js';

/**
 * HMAC digests Swift's `tempurl` middleware accepts.
 *
 * @example
 * ```ts
 * const digest: TempUrlDigest = 'sha256';
 * ```
 */
export type TempUrlDigest = 'sha1' | 'sha256' | 'sha512';

/** Inputs of {@link swiftTempUrl}. */
export interface SwiftTempUrlInput {
  /** HTTP method the URL allows (`GET` for images; `HEAD` is allowed by any GET URL). */
  method: string;
  /**
   * The object path, not percent-encoded: `/v1/<account>/<container>/<object>` (or, with
   * `prefix`, `/v1/<account>/<container>/<object prefix>`).
   */
  path: string;
  /** The account's or container's `Temp-URL-Key`. Never logged. */
  key: string;
  /** Expiry, Unix seconds. */
  expires: number;
  /** HMAC digest (default `sha256`, as current Swift and python-swiftclient; Ironic used `sha1`). */
  digest?: TempUrlDigest;
  /** Sign for every object whose name starts with the path's object part. */
  prefix?: boolean;
  /** Restrict to client addresses in this IP or CIDR range. */
  ipRange?: string;
  /** Ask Swift to offer the download under this file name (`filename=` parameter, not signed). */
  filename?: string;
  /** Ask Swift to serve the object inline (`inline` parameter, not signed). */
  inline?: boolean;
}

/**
 * Signs a Swift temporary URL, exactly as python-swiftclient's `generate_temp_url(path, expires,
 * key, method, absolute=True, digest=…)` does: HMAC over `"[ip=<range>\n]<METHOD>\n<expires>\n
 * [prefix:]<path>"`, hex for SHA-1 and SHA-256, `sha512:` + unpadded base64url for SHA-512.
 * Returns the path with the `temp_url_sig` and `temp_url_expires` query (then
 * `temp_url_ip_range`, `temp_url_prefix`, `filename`, `inline` when asked). Like swiftclient, it
 * returns `path` as given: percent-encode the object name when you build the full URL (as
 * {@link SwiftStore} does).
 *
 * @example
 * ```ts
 * swiftTempUrl({ method: 'GET', path: '/v1/AUTH_test/ironic_ilo_container/boot-1.iso', key, expires: 1767225600 });
 * // '/v1/AUTH_test/ironic_ilo_container/boot-1.iso?temp_url_sig=9c3…&temp_url_expires=1767225600'
 * ```
 */
export function swiftTempUrl(input: SwiftTempUrlInput): string {
  const { method, path, key, expires, digest = 'sha256', prefix = false } = input;
  const issues: FieldIssue[] = [];
  // Python's path.split('/', 4): the fifth part is the rest of the path (the object name).
  const split = typeof path === 'string' ? path.split('/') : [];
  const parts = [...split.slice(0, 4), split.slice(4).join('/')];
  const required = parts.slice(1, prefix ? 4 : 5);
  if (split.length < 5 || parts[0] !== '' || required.some((p) => p === '')) {
    issues.push({
      field: 'path',
      problem: prefix ? 'must at least contain /v1/a/c/' : 'must be the full path of an object, /v1/a/c/o',
    });
  }
  if (typeof key !== 'string' || key === '') issues.push({ field: 'key', problem: 'required' });
  if (!Number.isInteger(expires) || expires < 0)
    issues.push({ field: 'expires', problem: 'must be Unix seconds' });
  if (!['sha1', 'sha256', 'sha512'].includes(digest))
    issues.push({ field: 'digest', problem: 'must be sha1, sha256 or sha512' });
  if (typeof method !== 'string' || !/^[A-Za-z]+$/.test(method))
    issues.push({ field: 'method', problem: 'must be an HTTP method' });
  if (issues.length > 0) {
    throw new InvalidParameterValue(
      `Cannot sign a temp URL: ${issues.map((i) => `${i.field} ${i.problem}`).join('; ')}.`,
      { fields: issues },
    );
  }

  return signTempUrl(input, parts[4] ?? '');
}

/**
 * The signing of {@link swiftTempUrl} without its path check, for radosgw, whose paths have no
 * account segment (`/v1/<container>/<object>`).
 */
export function signTempUrl(input: SwiftTempUrlInput, prefixPart = ''): string {
  const { method, path, key, expires, digest = 'sha256', prefix = false } = input;
  const lines = [method.toUpperCase(), String(expires), (prefix ? 'prefix:' : '') + path];
  if (input.ipRange) lines.unshift(`ip=${input.ipRange}`);
  const mac = createHmac(digest, Buffer.from(key, 'utf8')).update(lines.join('\n'), 'utf8');
  const sig = digest === 'sha512' ? `sha512:${mac.digest('base64url')}` : mac.digest('hex');

  let url = `${path}?temp_url_sig=${sig}&temp_url_expires=${expires}`;
  if (input.ipRange) url += `&temp_url_ip_range=${input.ipRange}`;
  if (prefix) url += `&temp_url_prefix=${prefixPart}`;
  if (input.filename !== undefined) url += `&filename=${encodeURIComponent(input.filename)}`;
  if (input.inline === true) url += '&inline';
  return url;
}
