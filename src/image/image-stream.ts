import { randomBytes } from 'node:crypto';
import { createWriteStream, rmSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { OperationOptions } from '../contracts/index.js';
import { ImageCreationFailed, isIronicIloError } from '../errors/index.js';
import { concatBytes, type ResolvedInput, reason } from './source.js';

/** A piece of an image at a fixed byte offset: bytes built in memory, or an input copied in. */
export type Segment =
  | { readonly offset: number; readonly bytes: Uint8Array }
  | { readonly offset: number; readonly input: ResolvedInput };

/** Images up to this size are written with a single write. */
const SMALL_IMAGE = 8 << 20;
/** Largest zero run emitted at once between segments. */
const ZERO_CHUNK = 1 << 20;

/**
 * A built image, laid out but not yet written: its exact size is known, and its bytes are
 * produced on demand, in order, in chunks, so a multi-gigabyte ISO never sits in memory. Iterate
 * it, turn it into a `Readable`, or write it to a file (which leaves nothing behind on failure).
 * Images whose inputs include a {@link SizedStream} can be read once; images built from paths
 * and bytes can be read again.
 *
 * @example
 * ```ts
 * const iso = await createBootIso({ bootMode: 'bios', kernel: 'vmlinuz', ramdisk: 'initrd' });
 * console.log(iso.size);
 * await iso.writeToFile('/var/lib/ironic/boot.iso', { signal });
 * ```
 */
export class ImageStream implements AsyncIterable<Uint8Array> {
  /** Exact length of the image in bytes (useful as a Content-Length). */
  readonly size: number;
  /** Ironic's image type, as {@link ImageCreationFailed} reports it: `'iso'` or `'vfat'`. */
  readonly imageType: string;
  readonly #segments: readonly Segment[];

  /** @internal Built by the image builders; segments must not overlap. */
  constructor(imageType: string, size: number, segments: readonly Segment[]) {
    this.imageType = imageType;
    this.size = size;
    this.#segments = [...segments].sort((a, b) => a.offset - b.offset);
  }

  /**
   * The image's bytes in order. Reading fails with {@link ImageCreationFailed} when an input
   * cannot be read or is not the size it declared, and with the signal's reason on abort.
   *
   * @example
   * ```ts
   * for await (const chunk of image.chunks({ signal })) hash.update(chunk);
   * ```
   */
  async *chunks(options: OperationOptions = {}): AsyncGenerator<Uint8Array> {
    const { signal } = options;
    let at = 0;
    try {
      signal?.throwIfAborted();
      for (const segment of this.#segments) {
        // A layout bug, not bad input: overlapping pieces would silently corrupt the image.
        if (segment.offset < at) throw new Error(`image layout overlaps at byte ${segment.offset}`);
        yield* zeros(segment.offset - at);
        if ('bytes' in segment) {
          yield segment.bytes;
          at = segment.offset + segment.bytes.length;
        } else {
          for await (const chunk of segment.input.chunks(signal)) yield chunk;
          at = segment.offset + segment.input.size;
        }
        signal?.throwIfAborted();
      }
      yield* zeros(this.size - at);
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (isIronicIloError(error)) throw error;
      throw new ImageCreationFailed({ imageType: this.imageType, error: reason(error), cause: error });
    }
  }

  /** Same as {@link ImageStream.chunks} without options. */
  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    return this.chunks();
  }

  /**
   * The image as a Node.js `Readable`, for `pipeline()` or an HTTP upload body.
   *
   * @example
   * ```ts
   * await pipeline(image.toReadable({ signal }), createWriteStream('/tmp/floppy.img'));
   * ```
   */
  toReadable(options: OperationOptions = {}): Readable {
    return Readable.from(this.chunks(options), { objectMode: false, highWaterMark: 1 << 20 });
  }

  /**
   * Writes the image to `path`. The bytes go to a temporary file beside it that is renamed
   * into place at the end, so on failure or abort `path` is untouched and nothing is left over.
   *
   * @example
   * ```ts
   * await floppy.writeToFile('/httpboot/image-1be26c0b', { signal: AbortSignal.timeout(60_000) });
   * ```
   */
  writeToFile(path: string, options: OperationOptions = {}): Promise<void> {
    return writeImageFile(this, path, options);
  }
}

function* zeros(length: number): Generator<Uint8Array> {
  for (let left = length; left > 0; left -= ZERO_CHUNK) yield new Uint8Array(Math.min(left, ZERO_CHUNK));
}

/**
 * Writes any stream of image bytes to `path` through a temporary file in the same directory,
 * renamed into place only when every byte is written: a failure or an abort leaves no partial
 * file behind (and an existing file at `path` unchanged).
 *
 * @example
 * ```ts
 * await writeImageFile(image.chunks({ signal }), '/srv/http/boot-1be26c0b.iso', { signal });
 * ```
 */
export async function writeImageFile(
  image: AsyncIterable<Uint8Array>,
  path: string,
  options: OperationOptions = {},
): Promise<void> {
  const { signal } = options;
  signal?.throwIfAborted();
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.partial`);
  unfinished.add(temp);
  if (unfinished.size === 1) process.once('exit', removeUnfinished);
  try {
    if (image instanceof ImageStream && image.size <= SMALL_IMAGE) {
      // A floppy or an ESP: one write beats a stream pipeline by a wide margin.
      await writeFile(temp, await imageToBytes(image, { signal }), { flag: 'wx', signal });
    } else {
      const source = image instanceof ImageStream ? image.chunks({ signal }) : image;
      await pipeline(Readable.from(source, { objectMode: false }), createWriteStream(temp, { flags: 'wx' }), {
        signal,
      });
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    if (signal?.aborted) throw signal.reason;
    if (isIronicIloError(error)) throw error;
    const imageType = image instanceof ImageStream ? image.imageType : 'image';
    throw new ImageCreationFailed({ imageType, error: `writing ${path}: ${reason(error)}`, cause: error });
  } finally {
    unfinished.delete(temp);
    if (unfinished.size === 0) process.removeListener('exit', removeUnfinished);
  }
}

/** Temporary files being written; removed if the process exits mid-write (for example on SIGINT). */
const unfinished = new Set<string>();

function removeUnfinished(): void {
  for (const temp of unfinished) rmSync(temp, { force: true });
}

/** Options of {@link imageToBytes}. */
export interface ImageToBytesOptions extends OperationOptions {
  /** Refuse images larger than this many bytes. Default 64 MiB. */
  maxBytes?: number;
}

/**
 * Collects a small image (a floppy, an ESP) into memory, for a test or an upload API that wants
 * bytes. Large ISOs should be streamed instead.
 *
 * @example
 * ```ts
 * const fat = await openFatImage(await imageToBytes(await buildFloppyImage({ parameters })));
 * ```
 */
export async function imageToBytes(
  image: AsyncIterable<Uint8Array>,
  options: ImageToBytesOptions = {},
): Promise<Uint8Array> {
  const maxBytes = options.maxBytes ?? 64 << 20;
  if (image instanceof ImageStream && image.size > maxBytes)
    throw new ImageCreationFailed({
      imageType: image.imageType,
      error: `${image.size} bytes exceed maxBytes ${maxBytes}`,
    });
  const parts: Uint8Array[] = [];
  let total = 0;
  const source = image instanceof ImageStream ? image.chunks(options) : image;
  for await (const chunk of source) {
    total += chunk.length;
    if (total > maxBytes)
      throw new ImageCreationFailed({ imageType: 'image', error: `more than maxBytes ${maxBytes} bytes` });
    parts.push(chunk);
  }
  return concatBytes(parts);
}
