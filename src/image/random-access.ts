import { type FileHandle, open } from 'node:fs/promises';
import { ImageReadFailed } from '../errors/index.js';
import { reason } from './source.js';

/**
 * Bytes that can be read at any offset: what the image readers need. Files and in-memory
 * images are built in; implement it to read an image over HTTP ranges or from object storage.
 *
 * @example
 * ```ts
 * const source: RandomAccessSource = {
 *   size: bytes.length,
 *   read: async (offset, length) => bytes.subarray(offset, offset + length),
 *   close: async () => {},
 * };
 * ```
 */
export interface RandomAccessSource {
  /** Total length in bytes. */
  readonly size: number;
  /** Reads `length` bytes at `offset` (fewer only at the end of the source). */
  read(offset: number, length: number, signal?: AbortSignal): Promise<Uint8Array>;
  /** Releases the source (closes the file). */
  close(): Promise<void>;
}

/** What an image reader opens: a path, bytes in memory or a {@link RandomAccessSource}. */
export type ReadableImage = string | Uint8Array | RandomAccessSource;

/** Opens a readable image; errors name the path. */
export async function openRandomAccess(image: ReadableImage, imageType: string): Promise<RandomAccessSource> {
  if (image instanceof Uint8Array) {
    return {
      size: image.length,
      read: async (offset, length) => image.subarray(offset, offset + length),
      close: async () => {},
    };
  }
  if (typeof image !== 'string') return image;
  let handle: FileHandle;
  try {
    handle = await open(image, 'r');
  } catch (error) {
    throw new ImageReadFailed({ imageType, error: `cannot open ${image}: ${reason(error)}`, cause: error });
  }
  const { size } = await handle.stat();
  return {
    size,
    async read(offset, length, signal) {
      signal?.throwIfAborted();
      const want = Math.max(0, Math.min(length, size - offset));
      const buffer = new Uint8Array(want);
      let done = 0;
      while (done < want) {
        const { bytesRead } = await handle.read(buffer, done, want - done, offset + done);
        if (bytesRead === 0) break;
        done += bytesRead;
      }
      return buffer.subarray(0, done);
    },
    close: () => handle.close(),
  };
}
