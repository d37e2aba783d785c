/**
 * `image_checksum`: Ironic's legacy MD5 hex digest, or a digest whose algorithm is named
 * (`sha256:…`) or implied by its length (32 md5, 64 sha256, 128 sha512).
 */
import { createHash, type Hash } from 'node:crypto';
import { ImageChecksumError, InvalidParameterValue, NotSupported } from '../../../errors/index.js';

/**
 * Digest algorithms accepted in `image_checksum`.
 *
 * @example
 * ```ts
 * const algorithm: ChecksumAlgorithm = parseImageChecksum(checksum).algorithm;
 * ```
 */
export type ChecksumAlgorithm = 'md5' | 'sha1' | 'sha256' | 'sha384' | 'sha512';

/**
 * A parsed `image_checksum`.
 *
 * @example
 * ```ts
 * parseImageChecksum('sha256:9f86d0…'); // { algorithm: 'sha256', digest: '9f86d0…' }
 * ```
 */
export interface ImageChecksum {
  /** The algorithm. */
  algorithm: ChecksumAlgorithm;
  /** Lower-case hex digest. */
  digest: string;
}

const BY_LENGTH: Record<number, ChecksumAlgorithm> = { 32: 'md5', 64: 'sha256', 128: 'sha512' };
const HEX_LENGTH: Record<ChecksumAlgorithm, number> = {
  md5: 32,
  sha1: 40,
  sha256: 64,
  sha384: 96,
  sha512: 128,
};

/**
 * Parses `image_checksum`.
 *
 * @example
 * ```ts
 * parseImageChecksum('d41d8cd98f00b204e9800998ecf8427e').algorithm; // 'md5'
 * ```
 */
export function parseImageChecksum(text: string): ImageChecksum {
  const value = text.trim();
  if (/^(https?|file):/i.test(value))
    throw new NotSupported({
      feature: 'A checksum given as a URL',
      reason: 'fetch the checksum file first and pass the digest',
    });
  const named = /^([a-z0-9]+):([0-9a-f]+)$/i.exec(value);
  const algorithm = (named ? named[1]!.toLowerCase() : BY_LENGTH[value.length]) as
    | ChecksumAlgorithm
    | undefined;
  const digest = (named ? named[2]! : value).toLowerCase();
  if (
    algorithm === undefined ||
    !(algorithm in HEX_LENGTH) ||
    digest.length !== HEX_LENGTH[algorithm] ||
    !/^[0-9a-f]+$/.test(digest)
  ) {
    throw new InvalidParameterValue(
      'image_checksum must be an md5, sha256 or sha512 hex digest, optionally prefixed with its algorithm',
      { fields: [{ field: 'image_checksum', problem: 'not a hex digest of a known algorithm' }] },
    );
  }
  return { algorithm, digest };
}

/** Hashes bytes as they pass and compares at the end. */
export class ChecksumVerifier {
  private readonly hash: Hash;

  constructor(
    readonly expected: ImageChecksum,
    private readonly image: string,
  ) {
    this.hash = createHash(expected.algorithm);
  }

  /** Adds bytes, in image order. */
  update(bytes: Uint8Array): void {
    this.hash.update(bytes);
  }

  /** Throws {@link ImageChecksumError} unless the bytes seen match. */
  verify(): void {
    const actual = this.hash.digest('hex');
    if (actual !== this.expected.digest)
      throw new ImageChecksumError({
        image: this.image,
        algorithm: this.expected.algorithm,
        expected: this.expected.digest,
        actual,
      });
  }
}
