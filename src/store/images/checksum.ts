import type { FieldIssue } from '../../errors/index.js';
import { InvalidParameterValue, NotSupported } from '../../errors/index.js';

/**
 * Checksum algorithms of images (Ironic: md5; later sha256 and sha512 too; Glance's
 * `os_hash_algo` may also name sha1 or sha384).
 *
 * @example
 * ```ts
 * const algorithm: ChecksumAlgorithm = 'sha256';
 * ```
 */
export type ChecksumAlgorithm = 'md5' | 'sha1' | 'sha256' | 'sha384' | 'sha512';

/**
 * An expected or computed checksum.
 *
 * @example
 * ```ts
 * const sum: ImageChecksum = { algorithm: 'sha256', value: 'e3b0c44298fc1c149afbf4c8996fb924…' };
 * ```
 */
export interface ImageChecksum {
  /** Algorithm. */
  algorithm: ChecksumAlgorithm;
  /** Lower-case hex digest. */
  value: string;
}

const LENGTHS: Record<ChecksumAlgorithm, number> = { md5: 32, sha1: 40, sha256: 64, sha384: 96, sha512: 128 };
const BY_LENGTH: Record<number, ChecksumAlgorithm> = { 32: 'md5', 64: 'sha256', 128: 'sha512' };

/** Why a checksum is unusable, or undefined. */
function problemOf(c: ImageChecksum): string | undefined {
  if (!(c.algorithm in LENGTHS)) return 'algorithm must be md5, sha1, sha256, sha384 or sha512';
  if (!new RegExp(`^[0-9a-f]{${LENGTHS[c.algorithm]}}$`).test(c.value))
    return `must be ${LENGTHS[c.algorithm]} hex digits for ${c.algorithm}`;
  return undefined;
}

/**
 * Reads a checksum: `<algorithm>:<hex>` (`sha256:…`, `sha512:…`, `md5:…`, `sha1:…`, `sha384:…`),
 * a bare hex digest whose length says the algorithm (32 md5 — Ironic's `image_checksum` — 64
 * sha256, 128 sha512), or an {@link ImageChecksum}. Throws {@link InvalidParameterValue} naming
 * `field` otherwise, and {@link NotSupported} for a checksum given as a URL (a checksum file).
 *
 * @example
 * ```ts
 * parseChecksum('sha256:E3B0C442…'); // { algorithm: 'sha256', value: 'e3b0c442…' }
 * parseChecksum('d41d8cd98f00b204e9800998ecf8427e'); // { algorithm: 'md5', … }
 * ```
 */
export function parseChecksum(input: string | ImageChecksum, field = 'checksum'): ImageChecksum {
  let parsed: ImageChecksum | undefined;
  if (typeof input === 'string' && /^(https?|file):/i.test(input.trim())) {
    throw new NotSupported({
      feature: 'A checksum given as a URL',
      reason: 'fetch the checksum file first and pass the digest',
    });
  }
  if (typeof input === 'string') {
    const m = /^(md5|sha1|sha256|sha384|sha512):([0-9a-fA-F]+)$/i.exec(input.trim());
    if (m !== null)
      parsed = {
        algorithm: (m[1] ?? '').toLowerCase() as ChecksumAlgorithm,
        value: (m[2] ?? '').toLowerCase(),
      };
    else {
      const hex = input.trim().toLowerCase();
      const algorithm = /^[0-9a-f]+$/.test(hex) ? BY_LENGTH[hex.length] : undefined;
      if (algorithm !== undefined) parsed = { algorithm, value: hex };
    }
  } else if (input !== null && typeof input === 'object') {
    parsed = { algorithm: input.algorithm, value: String(input.value).toLowerCase() };
  }
  const problem =
    parsed === undefined
      ? 'must be <algorithm>:<hex> or a hex digest of 32 (md5), 64 (sha256) or 128 (sha512) digits'
      : problemOf(parsed);
  if (problem !== undefined || parsed === undefined) {
    const issue: FieldIssue = { field, problem: problem ?? 'invalid' };
    throw new InvalidParameterValue(`Invalid ${field}: ${issue.problem}.`, { fields: [issue] });
  }
  return parsed;
}
