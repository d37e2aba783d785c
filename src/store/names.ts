import { randomBytes } from 'node:crypto';
import type { FieldIssue } from '../errors/index.js';
import { InvalidParameterValue } from '../errors/index.js';

const SEGMENT = /^[A-Za-z0-9_~+:@-][A-Za-z0-9._~+:@-]*$/;
const HOLDER = /^[A-Za-z0-9_:@-][A-Za-z0-9._:@-]*$/;
/** Room left for the secret suffix and the Swift marker prefix within Swift's 1024-byte limit. */
const MAX_NAME = 512;
/** Most file systems allow 255 bytes per path segment. */
const MAX_SEGMENT = 200;
const MAX_HOLDER = 128;

/** Why `name` is not a valid image name, or undefined. */
export function imageNameProblem(name: unknown): string | undefined {
  if (typeof name !== 'string' || name === '') return 'must be a non-empty string';
  if (name.length > MAX_NAME) return `must be at most ${MAX_NAME} characters`;
  for (const segment of name.split('/')) {
    if (segment === '') return 'must not start or end with "/" nor contain "//"';
    if (segment === '.' || segment === '..') return 'must not contain "." or ".." segments';
    if (segment.startsWith('.')) return 'must not have a segment starting with "." (reserved)';
    if (segment.length > MAX_SEGMENT) return `segments must be at most ${MAX_SEGMENT} characters`;
    if (!SEGMENT.test(segment))
      return 'may contain only letters, digits and . _ ~ + : @ - (and / between segments)';
  }
  return undefined;
}

/**
 * Checks an image name for every {@link ImageStore}: a relative path of safe segments that
 * cannot escape the store's root (no `..`, no absolute path, no backslash, no segment starting
 * with a dot — those are reserved for the stores' own bookkeeping). Throws
 * {@link InvalidParameterValue} naming the field otherwise. Custom stores should call it too.
 *
 * @example
 * ```ts
 * validateImageName('boot-5e1f.iso'); // ok
 * validateImageName('../etc/passwd'); // throws InvalidParameterValue (field "name")
 * ```
 */
export function validateImageName(name: string, field = 'name'): void {
  const problem = imageNameProblem(name);
  if (problem !== undefined) {
    throw new InvalidParameterValue(`Invalid image name ${JSON.stringify(String(name))}: ${problem}.`, {
      fields: [{ field, problem }],
    });
  }
}

/**
 * Checks a holder id for {@link ImageStore.acquire} / {@link ImageStore.release}: 1–128
 * characters among letters, digits and `. _ : @ -` (node UUIDs fit), not starting with a dot.
 *
 * @example
 * ```ts
 * validateHolderId(node.uuid);
 * ```
 */
export function validateHolderId(holderId: string): void {
  const issues: FieldIssue[] = [];
  if (typeof holderId !== 'string' || holderId.length === 0 || holderId.length > MAX_HOLDER) {
    issues.push({ field: 'holderId', problem: `must be 1 to ${MAX_HOLDER} characters` });
  } else if (!HOLDER.test(holderId)) {
    issues.push({ field: 'holderId', problem: 'may contain only letters, digits and . _ : @ -' });
  }
  if (issues.length > 0) {
    throw new InvalidParameterValue(`Invalid holder id: ${issues[0]?.problem}.`, { fields: issues });
  }
}

/**
 * The name a secret-bearing image is stored under: `name` plus `-` and 128 random bits
 * (22 base64url characters), so that a URL that needs no signature still cannot be guessed.
 * Ironic named the floppy `image-<node uuid>`, which anyone who knows the node can fetch.
 *
 * @example
 * ```ts
 * secretImageName('image-1be26c0b'); // 'image-1be26c0b-3q2cF0yC3vH2b7pDqzH1nA'
 * ```
 */
export function secretImageName(name: string): string {
  validateImageName(name);
  return `${name}-${randomBytes(16).toString('base64url')}`;
}

const SECRET_SUFFIX = /-[A-Za-z0-9_-]{22}$/;

/**
 * A name safe to log or put in an error: the random suffix of a secret image's name is what keeps
 * its URL from being guessed, so it is masked (`image-1be26c0b-***`).
 */
export function loggableName(name: string): string {
  return name.replace(SECRET_SUFFIX, '-***');
}

/**
 * Joins a base URL and an image name without ever dropping a path segment of the base (Python's
 * `urljoin('http://h/images', 'x')` gives `http://h/x`; this gives `http://h/images/x`). Each
 * segment of the name is percent-encoded.
 *
 * @example
 * ```ts
 * joinUrl('http://10.0.0.1:8080/images', 'boot-1.iso'); // 'http://10.0.0.1:8080/images/boot-1.iso'
 * ```
 */
export function joinUrl(base: string, name: string): string {
  const url = new URL(base);
  const path = url.pathname.endsWith('/') ? url.pathname : `${url.pathname}/`;
  url.pathname = path + name.split('/').map(encodeURIComponent).join('/');
  return url.toString();
}

/** Checks a TTL: a positive integer number of seconds. */
export function ttlProblem(ttl: unknown): string | undefined {
  if (ttl === undefined) return undefined;
  return typeof ttl === 'number' && Number.isInteger(ttl) && ttl > 0
    ? undefined
    : 'must be a positive integer number of seconds';
}

const META_KEY = /^[A-Za-z0-9_-]{1,128}$/;
const META_VALUE = /^[\x20-\x7e]{0,256}$/;

/**
 * Checks a publish request — the name, `ttlSeconds`, `contentLength` and `metadata` — and
 * reports every problem in one {@link InvalidParameterValue}. Custom {@link ImageStore}s should
 * call it first, as the built-in ones do.
 *
 * @example
 * ```ts
 * validatePublish('boot-1.iso', { ttlSeconds: 0 }); // throws: ttlSeconds must be a positive integer…
 * ```
 */
export function validatePublish(
  name: string,
  options: {
    ttlSeconds?: number | undefined;
    contentLength?: number | undefined;
    metadata?: Readonly<Record<string, string>> | undefined;
  },
): void {
  const issues: FieldIssue[] = [];
  const nameProblem = imageNameProblem(name);
  if (nameProblem !== undefined) issues.push({ field: 'name', problem: nameProblem });
  const ttl = ttlProblem(options.ttlSeconds);
  if (ttl !== undefined) issues.push({ field: 'ttlSeconds', problem: ttl });
  const length = options.contentLength;
  if (length !== undefined && !(Number.isSafeInteger(length) && length >= 0))
    issues.push({ field: 'contentLength', problem: 'must be a non-negative integer' });
  for (const [key, value] of Object.entries(options.metadata ?? {})) {
    if (!META_KEY.test(key))
      issues.push({ field: `metadata.${key}`, problem: 'key may contain only letters, digits, - and _' });
    else if (typeof value !== 'string' || !META_VALUE.test(value))
      issues.push({
        field: `metadata.${key}`,
        problem: 'value must be printable ASCII, at most 256 characters',
      });
  }
  if (issues.length > 0) {
    throw new InvalidParameterValue(
      `Cannot publish ${JSON.stringify(String(name))}: ${issues.map((i) => `${i.field} ${i.problem}`).join('; ')}.`,
      { fields: issues },
    );
  }
}
