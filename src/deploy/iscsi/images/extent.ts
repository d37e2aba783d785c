/** What an image reader yields: the guest disk, in order, as data and zero ranges. */

/**
 * A range of the guest disk: bytes to write, or a run of zeros.
 *
 * @example
 * ```ts
 * for await (const e of reader.extents({ chunkSize: 2 ** 20 })) {
 *   if ('data' in e) await disk.write(e.offset, e.data);
 *   else await disk.writeZeroes(e.offset, e.zeroLength);
 * }
 * ```
 */
export type Extent = DataExtent | ZeroExtent;

/**
 * Bytes at a guest offset.
 *
 * @example
 * ```ts
 * const extent: DataExtent = { offset: 0, data: Buffer.from('boot sector…') };
 * ```
 */
export interface DataExtent {
  /** Guest offset in bytes. */
  offset: number;
  /** The bytes. */
  data: Buffer;
  /**
   * Hands the buffer back to the reader for reuse, called once the bytes are on the disk. A
   * reader that recycles its buffers keeps memory and garbage collection flat however large the
   * image is.
   */
  release?: (() => void) | undefined;
}

/**
 * A run of zeros at a guest offset (unallocated or zero clusters, all-zero chunks of a raw image).
 *
 * @example
 * ```ts
 * const hole: ZeroExtent = { offset: 2 ** 20, zeroLength: 2 ** 30 };
 * ```
 */
export interface ZeroExtent {
  /** Guest offset in bytes. */
  offset: number;
  /** Length of the run. */
  zeroLength: number;
}

/**
 * Options of {@link DiskImageReader.extents}.
 *
 * @example
 * ```ts
 * const options: ExtentOptions = { chunkSize: 2 ** 20, signal: AbortSignal.timeout(60_000) };
 * ```
 */
export interface ExtentOptions {
  /** Largest data extent to yield, in bytes. */
  chunkSize: number;
  /** Stops the reading. */
  signal?: AbortSignal | undefined;
}

/**
 * Reads a disk image as the guest sees it.
 *
 * @example
 * ```ts
 * const reader: DiskImageReader = await Qcow2ImageReader.open('disk.qcow2');
 * console.log(reader.format, reader.virtualSize);
 * await reader.close();
 * ```
 */
export interface DiskImageReader {
  /** The image's format. */
  readonly format: 'raw' | 'qcow2';
  /** The guest disk size, when known before reading (files; not raw streams). */
  readonly virtualSize: number | undefined;
  /** The guest disk from offset 0, in order, without gaps. */
  extents(options: ExtentOptions): AsyncIterable<Extent>;
  /** Releases the file. */
  close(): Promise<void>;
}

const ZERO = Buffer.alloc(1 << 20);

/** Whether every byte of `b` is zero. */
export function isAllZero(b: Uint8Array): boolean {
  for (let at = 0; at < b.length; at += ZERO.length) {
    const n = Math.min(ZERO.length, b.length - at);
    if (Buffer.compare(b.subarray(at, at + n), ZERO.subarray(0, n)) !== 0) return false;
  }
  return true;
}

/**
 * Buffers of one size handed out and taken back, so that reading a large image allocates a
 * bounded number of buffers instead of one per chunk (which the garbage collector would pay for).
 */
export class BufferPool {
  private readonly free: Buffer[] = [];

  constructor(readonly size: number) {}

  /** A buffer of `size` bytes, recycled when one is free; in shared memory, so a hashing worker reads it in place. */
  take(): Buffer {
    return this.free.pop() ?? Buffer.from(new SharedArrayBuffer(this.size));
  }

  /** Returns a buffer for reuse. */
  give(buffer: Buffer): void {
    this.free.push(buffer);
  }
}

/**
 * What an observer of a reader's chunks (the checksum verifier) hands back: `done` settles, and
 * never rejects, once it no longer reads the chunk's bytes, so that the buffer may be reused.
 *
 * @example
 * ```ts
 * const observer = async (chunk: Buffer): Promise<ChunkReceipt> => ({ done: hashOnWorker(chunk) });
 * ```
 */
export interface ChunkReceipt {
  /** Settles once the observer is done with the bytes. */
  done: Promise<void>;
}

/**
 * Sees every chunk of an image, in order, before it is yielded; resolves once it has taken the
 * chunk (this is where it can slow the reader down), with a receipt for when it is done with it.
 *
 * @example
 * ```ts
 * const reader = await RawImageReader.fromFile('disk.raw', (chunk) => verifier.update(chunk));
 * ```
 */
export type ChunkObserver = (chunk: Buffer) => Promise<ChunkReceipt>;
