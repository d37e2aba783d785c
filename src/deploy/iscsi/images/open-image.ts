/**
 * Opens a disk image for writing: the format detected from its first bytes (or taken from the
 * caller), the reader chosen, and the checksum arranged — hashed as a raw image streams by, or
 * over the whole file before anything is written for qcow2, whose clusters are read out of order.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Logger } from '../../../contracts/index.js';
import { ImageUnacceptable, NotSupported } from '../../../errors/index.js';
import { parseChecksum } from '../../../store/index.js';
import { ChecksumVerifier } from './checksum.js';
import type { DiskImageReader } from './extent.js';
import { QCOW2_MAGIC, Qcow2ImageReader } from './qcow2.js';
import { RawImageReader } from './raw.js';

/**
 * Where the image comes from: a file (any format), or a stream of a raw image (an HTTP body,
 * a decompressor's output).
 *
 * @example
 * ```ts
 * const fromFile: DiskImageSource = { path: '/var/lib/ironic/images/node-1/disk' };
 * const fromHttp: DiskImageSource = { stream: Readable.fromWeb(response.body!), sizeBytes: 2 ** 30 };
 * ```
 */
export type DiskImageSource = DiskImageFile | DiskImageStream;

/**
 * An image file.
 *
 * @example
 * ```ts
 * const image: DiskImageFile = { path: '/var/lib/ironic/images/node-1/disk' };
 * ```
 */
export interface DiskImageFile {
  /** Its path. */
  path: string;
}

/**
 * A raw image arriving as a stream.
 *
 * @example
 * ```ts
 * const image: DiskImageStream = { stream: Readable.fromWeb(response.body!), sizeBytes: 2 ** 30, name: 'glance image' };
 * ```
 */
export interface DiskImageStream {
  /** The bytes, in order. */
  stream: AsyncIterable<Uint8Array>;
  /** Its size, when known: lets a too-large image be refused before anything is written. */
  sizeBytes?: number;
  /** A name for messages (default `'stream'`). */
  name?: string;
}

/**
 * Disk image formats read.
 *
 * @example
 * ```ts
 * const format: DiskImageFormat = 'qcow2';
 * ```
 */
export type DiskImageFormat = 'raw' | 'qcow2';

/** Other formats recognised by their magic, refused with a hint. */
const FOREIGN: Array<[string, (head: Buffer) => boolean]> = [
  ['vmdk', (h) => h.toString('latin1', 0, 4) === 'KDMV'],
  ['vhdx', (h) => h.toString('latin1', 0, 8) === 'vhdxfile'],
  ['vdi', (h) => h.length >= 0x44 && h.readUInt32LE(0x40) === 0xbeda107f],
  ['qed', (h) => h.toString('latin1', 0, 4) === 'QED\0'],
];

function detect(head: Buffer): DiskImageFormat | string {
  if (head.length >= 4 && head.readUInt32BE(0) === QCOW2_MAGIC) return 'qcow2';
  return FOREIGN.find(([, test]) => test(head))?.[0] ?? 'raw';
}

function checkFormat(
  found: string,
  wanted: DiskImageFormat | undefined,
  name: string,
  logger: Logger,
): DiskImageFormat {
  if (wanted === 'qcow2' && found !== 'qcow2')
    throw new ImageUnacceptable({ image: name, reason: 'it is not a qcow2 image' });
  if (wanted === 'raw' && found !== 'raw')
    logger.warn('Writing an image as raw although it looks like another format', {
      image: name,
      looksLike: found,
    });
  if (wanted !== undefined) return wanted;
  if (found !== 'raw' && found !== 'qcow2')
    throw new NotSupported({
      feature: `${found} images`,
      reason: 'convert it to raw or qcow2 first: qemu-img convert -O qcow2 in out',
    });
  return found;
}

/** An opened image and what still has to be checked once it has been read. */
export interface OpenedImage {
  /** The reader. */
  reader: DiskImageReader;
  /** The checksum still to be verified after reading (raw images), if any. */
  verifier: ChecksumVerifier | undefined;
  /** A name for messages. */
  name: string;
}

/** Opens an image source. */
export async function openDiskImage(
  source: DiskImageSource,
  options: {
    format?: DiskImageFormat | undefined;
    checksum?: string | undefined;
    signal?: AbortSignal | undefined;
    logger: Logger;
  },
): Promise<OpenedImage> {
  const expected =
    options.checksum === undefined ? undefined : parseChecksum(options.checksum, 'image_checksum');
  if ('path' in source) {
    const name = basename(source.path);
    const handle = await open(source.path, 'r');
    const head = Buffer.alloc(512);
    try {
      await handle.read(head, 0, head.length, 0);
    } finally {
      await handle.close();
    }
    const format = checkFormat(detect(head), options.format, name, options.logger);
    const verifier = expected && new ChecksumVerifier(expected, name);
    if (format === 'qcow2') {
      if (verifier) {
        try {
          const stream = createReadStream(source.path, { highWaterMark: 1 << 20, signal: options.signal });
          for await (const chunk of stream) await verifier.update(chunk as Buffer);
          await verifier.verify();
        } finally {
          await verifier.close();
        }
      }
      return { reader: await Qcow2ImageReader.open(source.path), verifier: undefined, name };
    }
    const reader = await RawImageReader.fromFile(source.path, verifier && ((b) => verifier.update(b)));
    return { reader, verifier, name };
  }
  const name = source.name ?? 'stream';
  const { first, rest } = await peek(source.stream);
  const found = detect(first ?? Buffer.alloc(0));
  if (options.format === 'qcow2' || (found === 'qcow2' && options.format === undefined))
    throw new NotSupported({
      feature: 'qcow2 images from a stream',
      reason: 'qcow2 clusters are read out of order; save the image to a file and pass its path',
    });
  checkFormat(found, options.format, name, options.logger);
  const verifier = expected && new ChecksumVerifier(expected, name);
  const reader = RawImageReader.fromStream(rest, source.sizeBytes, verifier && ((b) => verifier.update(b)));
  return { reader, verifier, name };
}

/** Reads the first chunk of a stream and gives back a stream that starts with it again. */
async function peek(
  stream: AsyncIterable<Uint8Array>,
): Promise<{ first: Buffer | undefined; rest: AsyncIterable<Uint8Array> }> {
  const it = stream[Symbol.asyncIterator]();
  const head = await it.next();
  const first = head.done
    ? undefined
    : Buffer.from(head.value.buffer, head.value.byteOffset, head.value.byteLength);
  async function* rest(): AsyncGenerator<Uint8Array> {
    if (head.done) return;
    yield head.value;
    for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
  }
  return { first, rest: rest() };
}
