/**
 * `image_checksum`: Ironic's legacy MD5 hex digest, or a digest whose algorithm is named
 * (`sha256:…`) or implied by its length (32 md5, 64 sha256, 128 sha512).
 */
import { ImageChecksumError, InvalidParameterValue, NotSupported } from '../../../errors/index.js';
import type { ChunkReceipt } from './extent.js';
import { ParallelHash } from './parallel-hash.js';

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

/**
 * Hashes an image's bytes as they pass (on a worker thread) and compares at the end. Always
 * {@link ChecksumVerifier.close} it, or {@link ChecksumVerifier.verify} it, to end the worker.
 */
export class ChecksumVerifier {
  private readonly hash: ParallelHash;

  constructor(
    readonly expected: ImageChecksum,
    private readonly image: string,
  ) {
    this.hash = new ParallelHash(expected.algorithm);
  }

  /** Adds bytes, in image order; the receipt says when the buffer may be reused. */
  update(bytes: Buffer): Promise<ChunkReceipt> {
    return this.hash.update(bytes);
  }

  /** Throws {@link ImageChecksumError} unless the bytes seen match. */
  async verify(): Promise<void> {
    const actual = await this.hash.digest();
    if (actual !== this.expected.digest)
      throw new ImageChecksumError({
        image: this.image,
        algorithm: this.expected.algorithm,
        expected: this.expected.digest,
        actual,
      });
  }

  /** Ends the hashing worker without verifying (after a failed write). */
  close(): Promise<void> {
    return this.hash.close();
  }
}
