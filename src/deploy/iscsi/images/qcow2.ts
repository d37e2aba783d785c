/**
 * A native qcow2 reader (versions 2 and 3): header checked, L1 and L2 tables walked in guest
 * order, unallocated and zero clusters yielded as zero runs without reading anything,
 * contiguous data clusters read together, deflate-compressed clusters inflated in parallel.
 * Backing files, encryption, external data files, extended L2 entries and zstd compression
 * are refused with `NotSupported` rather than guessed at.
 */
import { open } from 'node:fs/promises';
import { promisify } from 'node:util';
import { constants, inflateRaw } from 'node:zlib';
import { ImageUnacceptable, NotSupported } from '../../../errors/index.js';
import { BufferPool, type DiskImageReader, type Extent, type ExtentOptions } from './extent.js';

const inflate = promisify(inflateRaw);
type Handle = Awaited<ReturnType<typeof open>>;

/** The qcow2 magic, `QFI\xfb`. */
export const QCOW2_MAGIC = 0x514649fb;

const OFFSET_MASK = 0x00fffffffffffe00n;
const COMPRESSED = 1n << 62n;
const ZERO_FLAG = 1n;
const L2_RESERVED = 0x3f000000000001fen;
/** Incompatible features understood: dirty (bit 0) and compression type (bit 3, zlib only). */
const KNOWN_INCOMPATIBLE = 0b1001n;

interface Header {
  version: number;
  clusterBits: number;
  size: number;
  l1Size: number;
  l1Offset: number;
}

/**
 * A qcow2 image file read as the guest disk it holds.
 *
 * @example
 * ```ts
 * const reader = await Qcow2ImageReader.open('cirros.qcow2');
 * try {
 *   console.log(reader.virtualSize);
 * } finally {
 *   await reader.close();
 * }
 * ```
 */
export class Qcow2ImageReader implements DiskImageReader {
  readonly format = 'qcow2' as const;
  readonly virtualSize: number;
  private readonly clusterSize: number;

  private constructor(
    private readonly handle: Handle,
    private readonly header: Header,
    private readonly fileSize: number,
    private readonly name: string,
  ) {
    this.virtualSize = header.size;
    this.clusterSize = 2 ** header.clusterBits;
  }

  /** Opens and checks a qcow2 file. */
  static async open(path: string): Promise<Qcow2ImageReader> {
    const handle = await open(path, 'r');
    try {
      const fileSize = (await handle.stat()).size;
      const raw = Buffer.alloc(112);
      await handle.read(raw, 0, raw.length, 0);
      return new Qcow2ImageReader(handle, parseHeader(raw, fileSize, path), fileSize, path);
    } catch (e) {
      await handle.close();
      throw e;
    }
  }

  async *extents(options: ExtentOptions): AsyncGenerator<Extent> {
    const { clusterSize } = this;
    const entriesPerL2 = clusterSize / 8;
    const guestPerL2 = clusterSize * entriesPerL2;
    const l1 = await this.readAt(this.header.l1Offset, this.header.l1Size * 8, 'L1 table');
    const pool = new BufferPool(Math.max(options.chunkSize, clusterSize));
    let zeroStart = 0;
    let zeroLength = 0;
    const flushZero = function* (): Generator<Extent> {
      if (zeroLength > 0) yield { offset: zeroStart, zeroLength };
      zeroLength = 0;
    };
    const addZero = (offset: number, length: number): void => {
      if (zeroLength === 0) zeroStart = offset;
      zeroLength += length;
    };

    for (let l1Index = 0; l1Index * guestPerL2 < this.virtualSize; l1Index++) {
      options.signal?.throwIfAborted();
      const base = l1Index * guestPerL2;
      const span = Math.min(guestPerL2, this.virtualSize - base);
      const l2Offset = Number(l1.readBigUInt64BE(l1Index * 8) & OFFSET_MASK);
      if (l2Offset === 0) {
        addZero(base, span);
        continue;
      }
      this.checkCluster(l2Offset, 'L2 table');
      const l2 = await this.readAt(l2Offset, clusterSize, 'L2 table');
      const clusters = Math.ceil(span / clusterSize);
      for (let i = 0; i < clusters; ) {
        options.signal?.throwIfAborted();
        const guest = base + i * clusterSize;
        const entry = l2.readBigUInt64BE(i * 8);
        if (entry & COMPRESSED) {
          let n = 1;
          while (
            i + n < clusters &&
            n * clusterSize < options.chunkSize &&
            l2.readBigUInt64BE((i + n) * 8) & COMPRESSED
          )
            n++;
          const entries = Array.from({ length: n }, (_, k) => l2.readBigUInt64BE((i + k) * 8));
          yield* flushZero();
          yield { offset: guest, data: await this.inflateClusters(entries, guest) };
          i += n;
          continue;
        }
        if ((entry & L2_RESERVED) !== 0n)
          throw this.unacceptable(`L2 entry for guest offset ${guest} has reserved bits set`);
        const host = Number(entry & OFFSET_MASK);
        if (host === 0 || (entry & ZERO_FLAG) !== 0n) {
          addZero(guest, Math.min(clusterSize, this.virtualSize - guest));
          i++;
          continue;
        }
        // A run of clusters contiguous in the file is read at once.
        let n = 1;
        while (i + n < clusters && (n + 1) * clusterSize <= options.chunkSize) {
          const next = l2.readBigUInt64BE((i + n) * 8);
          if (next & (COMPRESSED | ZERO_FLAG) || Number(next & OFFSET_MASK) !== host + n * clusterSize) break;
          n++;
        }
        this.checkCluster(host, 'data cluster', n * clusterSize);
        const length = Math.min(n * clusterSize, this.virtualSize - guest);
        yield* flushZero();
        const buffer = length <= pool.size ? pool.take() : Buffer.allocUnsafe(length);
        const data = await this.readAt(host, length, 'data cluster', buffer);
        yield {
          offset: guest,
          data,
          release: buffer.length === pool.size ? () => pool.give(buffer) : undefined,
        };
        i += n;
      }
    }
    yield* flushZero();
  }

  async close(): Promise<void> {
    await this.handle.close().catch(() => {});
  }

  private async inflateClusters(entries: readonly bigint[], guest: number): Promise<Buffer> {
    const { clusterBits } = this.header;
    const shift = BigInt(62 - (clusterBits - 8));
    const sectorsMask = (1n << BigInt(clusterBits - 8)) - 1n;
    const outputs = await Promise.all(
      entries.map(async (entry, k) => {
        const host = Number(entry & ((1n << shift) - 1n));
        const sectors = Number((entry >> shift) & sectorsMask) + 1;
        const length = Math.min(sectors * 512 - (host % 512), this.fileSize - host);
        if (length <= 0) throw this.unacceptable(`compressed cluster at ${host} is past the end of the file`);
        const compressed = await this.readAt(host, length, 'compressed cluster');
        const at = guest + k * this.clusterSize;
        const out = await inflate(compressed, {
          finishFlush: constants.Z_SYNC_FLUSH,
          maxOutputLength: this.clusterSize,
        }).catch((e: unknown) => {
          throw this.unacceptable(`compressed cluster for guest offset ${at} does not inflate: ${String(e)}`);
        });
        const want = Math.min(this.clusterSize, this.virtualSize - at);
        if (out.length < want) throw this.unacceptable(`compressed cluster for guest offset ${at} is short`);
        return out.subarray(0, want);
      }),
    );
    return outputs.length === 1 ? outputs[0]! : Buffer.concat(outputs);
  }

  private checkCluster(offset: number, what: string, length = this.clusterSize): void {
    if (offset % this.clusterSize !== 0)
      throw this.unacceptable(`${what} offset ${offset} is not cluster aligned`);
    if (offset + Math.min(length, this.clusterSize) > this.fileSize)
      throw this.unacceptable(`${what} at ${offset} is past the end of the file`);
  }

  private async readAt(position: number, length: number, what: string, into?: Buffer): Promise<Buffer> {
    const out = into === undefined ? Buffer.allocUnsafe(length) : into.subarray(0, length);
    let done = 0;
    while (done < length) {
      const { bytesRead } = await this.handle.read(out, done, length - done, position + done);
      if (bytesRead === 0) throw this.unacceptable(`${what} at ${position} is past the end of the file`);
      done += bytesRead;
    }
    return out;
  }

  private unacceptable(reason: string): ImageUnacceptable {
    return new ImageUnacceptable({ image: this.name, reason });
  }
}

function parseHeader(b: Buffer, fileSize: number, name: string): Header {
  const bad = (reason: string) => new ImageUnacceptable({ image: name, reason });
  const unsupported = (feature: string, reason: string) => new NotSupported({ feature, reason });
  if (b.readUInt32BE(0) !== QCOW2_MAGIC) throw bad('not a qcow2 file');
  const version = b.readUInt32BE(4);
  if (version !== 2 && version !== 3)
    throw unsupported(`qcow2 version ${version}`, 'only versions 2 and 3 are read');
  if (b.readBigUInt64BE(8) !== 0n)
    throw unsupported(
      'qcow2 images with a backing file',
      'flatten it first: qemu-img convert -O qcow2 in out',
    );
  const clusterBits = b.readUInt32BE(20);
  if (clusterBits < 9 || clusterBits > 21) throw bad(`cluster_bits ${clusterBits} is outside 9–21`);
  const size = Number(b.readBigUInt64BE(24));
  if (!Number.isSafeInteger(size)) throw bad('virtual size is too large');
  if (b.readUInt32BE(32) !== 0)
    throw unsupported('Encrypted qcow2 images', 'decrypt it first: qemu-img convert with --object secret');
  const l1Size = b.readUInt32BE(36);
  const l1Offset = Number(b.readBigUInt64BE(40));
  const clusterSize = 2 ** clusterBits;
  if (l1Size < Math.ceil(size / (clusterSize * (clusterSize / 8))))
    throw bad('L1 table too small for the virtual size');
  if (l1Offset % clusterSize !== 0 || l1Offset + l1Size * 8 > fileSize)
    throw bad('L1 table is outside the file');
  if (version === 3) {
    const incompatible = b.readBigUInt64BE(72);
    if (incompatible & 0b10n) throw bad('the image is marked corrupt; repair it with qemu-img check -r all');
    if (incompatible & 0b100n)
      throw unsupported('qcow2 images with an external data file', 'convert it: qemu-img convert -O qcow2');
    if (incompatible & 0b10000n)
      throw unsupported('qcow2 images with extended L2 entries', 'convert it: qemu-img convert -O qcow2');
    if (incompatible & ~KNOWN_INCOMPATIBLE)
      throw unsupported('qcow2 incompatible features', `unknown bits 0x${incompatible.toString(16)}`);
    const headerLength = b.readUInt32BE(100);
    if (incompatible & 0b1000n && headerLength > 104 && b[104] !== 0)
      throw unsupported(
        'zstd-compressed qcow2 images',
        'Node.js 20 has no zstd; convert with -o compression_type=zlib',
      );
  }
  return { version, clusterBits, size, l1Size, l1Offset };
}
