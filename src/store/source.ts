import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { InvalidParameterValue } from '../errors/index.js';
import type { ImageSource } from './image-store.js';

/** Chunk size for reading files: large enough that per-chunk overhead does not dominate. */
const FILE_CHUNK = 1024 * 1024;

/** A source ready to be read, possibly more than once. */
export interface PreparedSource {
  /** Bytes it will yield, when known up front. */
  length: number | undefined;
  /** Whether {@link PreparedSource.open} may be called again (files and bytes; not streams). */
  replayable: boolean;
  /** A fresh stream of the content. */
  open(): Readable;
}

/**
 * Prepares an {@link ImageSource} for reading: files are checked and sized, bytes and files can
 * be re-read (so that idempotent uploads can be retried), streams are read once.
 */
export async function prepareSource(source: ImageSource, contentLength?: number): Promise<PreparedSource> {
  if (typeof source === 'string') {
    let size: number;
    try {
      const st = await stat(source);
      if (!st.isFile()) throw new Error('not a regular file');
      size = st.size;
    } catch (e) {
      throw new InvalidParameterValue(`The image source ${source} cannot be read: ${(e as Error).message}`, {
        fields: [{ field: 'source', problem: 'must be a readable regular file' }],
        cause: e,
      });
    }
    checkLength(size, contentLength);
    return {
      length: size,
      replayable: true,
      open: () => createReadStream(source, { highWaterMark: FILE_CHUNK }),
    };
  }
  if (source instanceof Uint8Array) {
    checkLength(source.byteLength, contentLength);
    return { length: source.byteLength, replayable: true, open: () => Readable.from([source]) };
  }
  if (source !== null && typeof source === 'object' && Symbol.asyncIterator in source) {
    let used = false;
    return {
      length: contentLength,
      replayable: false,
      open: () => {
        if (used) throw new Error('a stream source can be read only once');
        used = true;
        return source instanceof Readable ? source : Readable.from(source, { objectMode: false });
      },
    };
  }
  throw new InvalidParameterValue('The image source must be a file path, a Uint8Array or a stream.', {
    fields: [{ field: 'source', problem: 'must be a file path, a Uint8Array or an async iterable of bytes' }],
  });
}

function checkLength(actual: number, expected: number | undefined): void {
  if (expected !== undefined && expected !== actual) {
    throw new InvalidParameterValue(`contentLength is ${expected} but the source holds ${actual} bytes.`, {
      fields: [{ field: 'contentLength', problem: `does not match the source size (${actual})` }],
    });
  }
}

/** Hash algorithms the library computes on the fly. */
export type DigestAlgorithm = 'md5' | 'sha1' | 'sha256' | 'sha384' | 'sha512';

/**
 * A pass-through that counts bytes and hashes them as they flow, so an upload or download is
 * verified without a second read. Fails the stream as soon as more than `maxBytes` pass.
 */
export class ByteMeter extends Transform {
  /** Bytes seen so far. */
  bytes = 0;
  readonly #hashes: Map<DigestAlgorithm, Hash>;
  readonly #maxBytes: number | undefined;

  constructor(algorithms: readonly DigestAlgorithm[], maxBytes?: number) {
    super();
    this.#hashes = new Map(algorithms.map((a) => [a, createHash(a)]));
    this.#maxBytes = maxBytes;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.#maxBytes !== undefined && this.bytes > this.#maxBytes) {
      callback(new Error(`the source yielded more than the ${this.#maxBytes} bytes announced`));
      return;
    }
    for (const h of this.#hashes.values()) h.update(chunk);
    callback(null, chunk);
  }

  /** The hex digest of everything that passed (call once, at the end). */
  digest(algorithm: DigestAlgorithm): string {
    const h = this.#hashes.get(algorithm);
    if (h === undefined) throw new Error(`${algorithm} was not computed`);
    return h.digest('hex');
  }
}
