/** Verifies `image_checksum` (parsed by the store's `parseChecksum`) while an image streams by. */
import { ImageChecksumError } from '../../../errors/index.js';
import type { ImageChecksum } from '../../../store/index.js';
import type { ChunkReceipt } from './extent.js';
import { ParallelHash } from './parallel-hash.js';

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
    if (actual !== this.expected.value)
      throw new ImageChecksumError({
        image: this.image,
        algorithm: this.expected.algorithm,
        expected: this.expected.value,
        actual,
      });
  }

  /** Ends the hashing worker without verifying (after a failed write). */
  close(): Promise<void> {
    return this.hash.close();
  }
}
