/**
 * Raw images, from a file or any byte stream, read in order in fixed-size chunks. All-zero
 * chunks come out as zero extents so that sparse images cost no network traffic.
 */
import { open, stat } from 'node:fs/promises';
import {
  BufferPool,
  type ChunkObserver,
  type DiskImageReader,
  type Extent,
  type ExtentOptions,
  isAllZero,
} from './extent.js';

/** Cuts a byte stream into chunks of exactly `size` bytes (the last may be shorter). */
export async function* rechunk(source: AsyncIterable<Uint8Array>, size: number): AsyncGenerator<Buffer> {
  let pending: Buffer | undefined;
  let filled = 0;
  for await (const piece of source) {
    let chunk = Buffer.isBuffer(piece)
      ? piece
      : Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
    while (chunk.length > 0) {
      if (pending === undefined && chunk.length >= size) {
        // Zero-copy path: a source already cut at the right size (fs streams with highWaterMark).
        yield chunk.subarray(0, size);
        chunk = chunk.subarray(size);
        continue;
      }
      pending ??= Buffer.allocUnsafe(size);
      const n = Math.min(size - filled, chunk.length);
      chunk.copy(pending, filled, 0, n);
      filled += n;
      chunk = chunk.subarray(n);
      if (filled === size) {
        yield pending;
        pending = undefined;
        filled = 0;
      }
    }
  }
  if (pending !== undefined && filled > 0) yield pending.subarray(0, filled);
}

/**
 * A raw image read front to back.
 *
 * @example
 * ```ts
 * const reader = await RawImageReader.fromFile('disk.raw');
 * for await (const extent of reader.extents({ chunkSize: 1 << 20 })) console.log(extent.offset);
 * ```
 */
export class RawImageReader implements DiskImageReader {
  readonly format = 'raw' as const;

  private constructor(
    private readonly source: string | AsyncIterable<Uint8Array>,
    readonly virtualSize: number | undefined,
    private readonly observe: ChunkObserver | undefined,
  ) {}

  /** A raw image file; its size is known before reading. */
  static async fromFile(path: string, observe?: ChunkObserver): Promise<RawImageReader> {
    const size = (await stat(path)).size;
    return new RawImageReader(path, size, observe);
  }

  /** A raw image stream (an HTTP body, a decompressor…); its size is found by reading it. */
  static fromStream(
    stream: AsyncIterable<Uint8Array>,
    sizeBytes: number | undefined,
    observe?: ChunkObserver,
  ): RawImageReader {
    return new RawImageReader(stream, sizeBytes, observe);
  }

  extents(options: ExtentOptions): AsyncGenerator<Extent> {
    return typeof this.source === 'string'
      ? this.fromFile(this.source, options)
      : this.fromStream(this.source, options);
  }

  private async *fromStream(
    source: AsyncIterable<Uint8Array>,
    options: ExtentOptions,
  ): AsyncGenerator<Extent> {
    let offset = 0;
    for await (const chunk of rechunk(source, options.chunkSize)) {
      options.signal?.throwIfAborted();
      await this.observe?.(chunk); // it copies what it keeps: the chunk is free at once
      yield isAllZero(chunk) ? { offset, zeroLength: chunk.length } : { offset, data: chunk };
      offset += chunk.length;
    }
  }

  /** Reads into recycled buffers: no allocation per chunk, so no garbage to collect per chunk. */
  private async *fromFile(path: string, options: ExtentOptions): AsyncGenerator<Extent> {
    const handle = await open(path, 'r');
    const pool = new BufferPool(options.chunkSize);
    try {
      for (let offset = 0; ; ) {
        options.signal?.throwIfAborted();
        const buffer = pool.take();
        let filled = 0;
        while (filled < buffer.length) {
          const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, offset + filled);
          if (bytesRead === 0) break;
          filled += bytesRead;
        }
        if (filled === 0) return;
        const chunk = buffer.subarray(0, filled);
        // The buffer goes back to the pool once both the observer and the writer are done with it.
        const receipt = await this.observe?.(chunk);
        const recycle = () => (receipt ? void receipt.done.then(() => pool.give(buffer)) : pool.give(buffer));
        if (isAllZero(chunk)) {
          recycle();
          yield { offset, zeroLength: filled };
        } else {
          yield { offset, data: chunk, release: recycle };
        }
        offset += filled;
        if (filled < buffer.length) return;
      }
    } finally {
      await handle.close();
    }
  }

  async close(): Promise<void> {}
}
