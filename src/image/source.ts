import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { ImageCreationFailed } from '../errors/index.js';

/**
 * A stream whose length is known before it is read: images are laid out before any data is
 * copied, so every input must say its size up front.
 *
 * @example
 * ```ts
 * const ramdisk: SizedStream = { size: 536_870_912, stream: response.body };
 * ```
 */
export interface SizedStream {
  /** Exact length in bytes; a stream that ends early or runs long fails the build. */
  size: number;
  /**
   * The bytes: a stream (read once, so the image can be written once), or a function that opens
   * a fresh stream each time it is called (so the image can be written again).
   */
  stream: Readable | AsyncIterable<Uint8Array> | ((signal?: AbortSignal) => AsyncIterable<Uint8Array>);
}

/**
 * What an image can be built from: a path on the local file system, bytes in memory, or a
 * {@link SizedStream}. Paths and streams are copied in chunks and never held whole in memory.
 *
 * @example
 * ```ts
 * const inputs: ImageInput[] = ['/srv/images/vmlinuz', new TextEncoder().encode('hello'), { size: 5, stream }];
 * ```
 */
export type ImageInput = string | Uint8Array | SizedStream;

/** An input whose size is known and that can be read (paths any number of times). */
export interface ResolvedInput {
  /** Length in bytes. */
  readonly size: number;
  /** What to call it in an error message. */
  readonly label: string;
  /** The bytes in chunks; a stream input can be read only once. */
  chunks(signal?: AbortSignal): AsyncIterable<Uint8Array>;
}

const CHUNK = 1 << 20;

/** Stats a path or checks a stream's declared size; errors name the input by `label`. */
export async function resolveInput(
  input: ImageInput,
  label: string,
  imageType: string,
): Promise<ResolvedInput> {
  if (typeof input === 'string') {
    const info = await stat(input).catch((error: unknown) => {
      throw new ImageCreationFailed({
        imageType,
        error: `${label} ${input}: ${reason(error)}`,
        cause: error,
      });
    });
    if (!info.isFile())
      throw new ImageCreationFailed({ imageType, error: `${label} ${input} is not a regular file` });
    return fileInput(input, info.size, label, imageType);
  }
  if (input instanceof Uint8Array) {
    return {
      size: input.length,
      label,
      async *chunks() {
        for (let at = 0; at < input.length; at += CHUNK) yield input.subarray(at, at + CHUNK);
      },
    };
  }
  if (!Number.isSafeInteger(input.size) || input.size < 0)
    throw new ImageCreationFailed({ imageType, error: `${label} has an invalid size ${String(input.size)}` });
  return streamInput(input, label, imageType);
}

function fileInput(path: string, size: number, label: string, imageType: string): ResolvedInput {
  return {
    size,
    label,
    chunks: (signal) =>
      exactly(createReadStream(path, { highWaterMark: CHUNK, signal }), size, label, imageType, signal),
  };
}

function streamInput(input: SizedStream, label: string, imageType: string): ResolvedInput {
  const { stream } = input;
  let used = false;
  return {
    size: input.size,
    label,
    chunks(signal) {
      if (typeof stream === 'function') return exactly(stream(signal), input.size, label, imageType, signal);
      if (used)
        throw new ImageCreationFailed({ imageType, error: `${label} is a stream and was already read` });
      used = true;
      return exactly(stream, input.size, label, imageType, signal);
    },
  };
}

/** Passes chunks through, failing when the total differs from `size` (a file changed under us). */
async function* exactly(
  source: AsyncIterable<Uint8Array>,
  size: number,
  label: string,
  imageType: string,
  signal?: AbortSignal,
): AsyncGenerator<Uint8Array> {
  let seen = 0;
  for await (const chunk of source) {
    signal?.throwIfAborted();
    seen += chunk.length;
    if (seen > size) break;
    yield chunk;
  }
  if (seen !== size)
    throw new ImageCreationFailed({
      imageType,
      error: `${label} is ${seen > size ? 'longer' : 'shorter'} than its declared ${size} bytes`,
    });
}

/** The message of an unknown error, without its stack. */
export function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * A file to place in an image at `path` (`/`-separated, relative to the image's root; parent
 * directories are created).
 *
 * @example
 * ```ts
 * const file: ImageFile = { path: 'EFI/BOOT/BOOTX64.EFI', input: '/usr/lib/grub/x86_64-efi/monolithic/grubx64.efi' };
 * ```
 */
export interface ImageFile {
  /** Where the file goes inside the image, for example `isolinux/isolinux.cfg`. */
  path: string;
  /** Its bytes: a local path, bytes in memory or a {@link SizedStream}. */
  input: ImageInput;
  /** POSIX permission bits recorded by Rock Ridge in ISO images (default `0o444`); FAT ignores it. */
  mode?: number;
}

/** Resolves the inputs of several files at once, in order; every missing one is named. */
export async function resolveFiles(
  files: readonly ImageFile[],
  imageType: string,
): Promise<Array<{ path: string; input: ResolvedInput; mode: number | undefined }>> {
  const settled = await Promise.allSettled(
    files.map((f) => resolveInput(f.input, `file ${f.path}`, imageType)),
  );
  const failures = settled.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
  if (failures.length === 1) throw failures[0];
  if (failures.length > 1)
    throw new ImageCreationFailed({
      imageType,
      error: failures
        .map((f) =>
          f instanceof ImageCreationFailed
            ? f.message.replace(/^Creating \S+ image failed: /, '')
            : reason(f),
        )
        .join('; '),
      cause: failures[0],
    });
  return files.map((f, i) => ({
    path: f.path,
    input: (settled[i] as PromiseFulfilledResult<ResolvedInput>).value,
    mode: f.mode,
  }));
}

/** Joins byte arrays into one plain `Uint8Array`. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
