import type { FieldIssue } from '../../errors/index.js';
import { InvalidParameterValue } from '../../errors/index.js';

/**
 * Checksum algorithms of images (Ironic: md5; later sha256 and sha512 too).
 *
 * @example
 * ```ts
 * const algorithm: ChecksumAlgorithm = 'sha256';
 * ```
 */
export type ChecksumAlgorithm = 'md5' | 'sha256' | 'sha512';

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

const LENGTHS: Record<ChecksumAlgorithm, number> = { md5: 32, sha256: 64, sha512: 128 };
const BY_LENGTH: Record<number, ChecksumAlgorithm> = { 32: 'md5', 64: 'sha256', 128: 'sha512' };

/** Why a checksum is unusable, or undefined. */
function problemOf(c: ImageChecksum): string | undefined {
  if (!(c.algorithm in LENGTHS)) return 'algorithm must be md5, sha256 or sha512';
  if (!new RegExp(`^[0-9a-f]{${LENGTHS[c.algorithm]}}$`).test(c.value))
    return `must be ${LENGTHS[c.algorithm]} hex digits for ${c.algorithm}`;
  return undefined;
}

/**
 * Reads a checksum: `<algorithm>:<hex>` (`sha256:…`, `sha512:…`, `md5:…`), a bare hex digest
 * whose length says the algorithm (32 md5 — Ironic's `image_checksum` — 64 sha256, 128 sha512),
 * or an {@link ImageChecksum}. Throws {@link InvalidParameterValue} naming `field` otherwise.
 *
 * @example
 * ```ts
 * parseChecksum('sha256:E3B0C442…'); // { algorithm: 'sha256', value: 'e3b0c442…' }
 * parseChecksum('d41d8cd98f00b204e9800998ecf8427e'); // { algorithm: 'md5', … }
 * ```
 */
export function parseChecksum(input: string | ImageChecksum, field = 'checksum'): ImageChecksum {
  let parsed: ImageChecksum | undefined;
  if (typeof input === 'string') {
    const m = /^(md5|sha256|sha512):([0-9a-fA-F]+)$/.exec(input.trim());
    if (m !== null) parsed = { algorithm: m[1] as ChecksumAlgorithm, value: (m[2] ?? '').toLowerCase() };
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
      ? 'must be <md5|sha256|sha512>:<hex> or a hex digest of 32, 64 or 128 digits'
      : problemOf(parsed);
  if (problem !== undefined || parsed === undefined) {
    const issue: FieldIssue = { field, problem: problem ?? 'invalid' };
    throw new InvalidParameterValue(`Invalid ${field}: ${issue.problem}.`, { fields: [issue] });
  }
  return parsed;
}
