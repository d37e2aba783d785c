/**
 * The disk the writer writes to, whatever carries it: an iSCSI LUN, a local file or block
 * device. Offsets and lengths are in bytes and must be multiples of the block size.
 */
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import type { OperationOptions } from '../../../contracts/index.js';
import { InvalidParameterValue } from '../../../errors/index.js';

/**
 * A disk: fixed size, block-addressed, able to take several writes at once.
 *
 * @example
 * ```ts
 * const disk: BlockDevice = await FileBlockDevice.open('/tmp/disk.img', { sizeBytes: 8 * 2 ** 30 });
 * await disk.write(0, Buffer.alloc(disk.blockSize));
 * await disk.close();
 * ```
 */
export interface BlockDevice {
  /** Logical block size in bytes (512 or 4096). */
  readonly blockSize: number;
  /** Capacity in bytes. */
  readonly sizeBytes: number;
  /** Largest write worth issuing at once, in bytes (a multiple of the block size). */
  readonly maxTransferBytes: number;
  /** How many writes may usefully run at once. */
  readonly queueDepth: number;
  /** Reads `length` bytes at `offset`. */
  read(offset: number, length: number, options?: OperationOptions): Promise<Buffer>;
  /** Writes `data` at `offset`. */
  write(offset: number, data: Uint8Array, options?: OperationOptions): Promise<void>;
  /** Makes `length` bytes at `offset` read as zeros, as cheaply as the device allows. */
  writeZeroes(offset: number, length: number, options?: OperationOptions): Promise<void>;
  /** Makes every completed write durable. */
  flush(options?: OperationOptions): Promise<void>;
  /** Releases the device (logs out of the target, closes the file). Never throws. */
  close(options?: OperationOptions): Promise<void>;
}

/** Throws unless `offset` and `length` are block-aligned and inside the device. */
export function checkRange(device: BlockDevice, offset: number, length: number): void {
  const bad: { field: string; problem: string }[] = [];
  if (!Number.isSafeInteger(offset) || offset < 0 || offset % device.blockSize !== 0)
    bad.push({ field: 'offset', problem: `must be a multiple of ${device.blockSize}` });
  if (!Number.isSafeInteger(length) || length < 0 || length % device.blockSize !== 0)
    bad.push({ field: 'length', problem: `must be a multiple of ${device.blockSize}` });
  if (bad.length === 0 && offset + length > device.sizeBytes)
    bad.push({
      field: 'length',
      problem: `ends at ${offset + length}, past the device's ${device.sizeBytes} bytes`,
    });
  if (bad.length > 0)
    throw new InvalidParameterValue(
      `Bad block range: ${bad.map((b) => `${b.field} ${b.problem}`).join(', ')}`,
      {
        fields: bad,
      },
    );
}

/**
 * Options of {@link FileBlockDevice.open}.
 *
 * @example
 * ```ts
 * const options: FileBlockDeviceOptions = { sizeBytes: 2 ** 30, blockSize: 512 };
 * ```
 */
export interface FileBlockDeviceOptions {
  /** Size of the disk; a file shorter than this is extended (sparse). Default: the file's size. */
  sizeBytes?: number;
  /** Block size (default 512). */
  blockSize?: number;
}

const ZEROES = Buffer.alloc(1 << 20);

/**
 * A disk backed by a local file or block device: what the test double of the deploy uses, and
 * what a conductor with a locally attached disk can use too.
 *
 * @example
 * ```ts
 * const disk = await FileBlockDevice.open('/tmp/disk.img', { sizeBytes: 4 * 2 ** 30 });
 * const result = await writeDiskImage(disk, { image: { path: 'cirros.qcow2' } });
 * await disk.close();
 * ```
 */
export class FileBlockDevice implements BlockDevice {
  readonly maxTransferBytes = 1 << 20;
  readonly queueDepth = 4;

  private constructor(
    private readonly handle: Awaited<ReturnType<typeof open>>,
    readonly sizeBytes: number,
    readonly blockSize: number,
  ) {}

  /** Opens (creating if needed) a file as a disk. */
  static async open(path: string, options: FileBlockDeviceOptions = {}): Promise<FileBlockDevice> {
    const blockSize = options.blockSize ?? 512;
    if (![512, 1024, 2048, 4096].includes(blockSize))
      throw new InvalidParameterValue('blockSize must be 512, 1024, 2048 or 4096', {
        fields: [{ field: 'blockSize', problem: 'must be 512, 1024, 2048 or 4096' }],
      });
    const handle = await open(path, constants.O_RDWR | constants.O_CREAT, 0o644);
    try {
      const current = (await handle.stat()).size;
      const size = options.sizeBytes ?? current;
      if (!Number.isSafeInteger(size) || size <= 0 || size % blockSize !== 0)
        throw new InvalidParameterValue(`sizeBytes must be a positive multiple of ${blockSize}`, {
          fields: [{ field: 'sizeBytes', problem: `must be a positive multiple of ${blockSize}` }],
        });
      if (current < size) await handle.truncate(size);
      return new FileBlockDevice(handle, size, blockSize);
    } catch (e) {
      await handle.close();
      throw e;
    }
  }

  async read(offset: number, length: number): Promise<Buffer> {
    checkRange(this, offset, length);
    const out = Buffer.alloc(length);
    let done = 0;
    while (done < length) {
      const { bytesRead } = await this.handle.read(out, done, length - done, offset + done);
      if (bytesRead === 0) break;
      done += bytesRead;
    }
    return out;
  }

  async write(offset: number, data: Uint8Array): Promise<void> {
    checkRange(this, offset, data.length);
    let done = 0;
    while (done < data.length) {
      const { bytesWritten } = await this.handle.write(data, done, data.length - done, offset + done);
      done += bytesWritten;
    }
  }

  async writeZeroes(offset: number, length: number, options: OperationOptions = {}): Promise<void> {
    checkRange(this, offset, length);
    for (let at = 0; at < length; at += ZEROES.length) {
      options.signal?.throwIfAborted();
      await this.write(offset + at, ZEROES.subarray(0, Math.min(ZEROES.length, length - at)));
    }
  }

  async flush(): Promise<void> {
    await this.handle.datasync();
  }

  async close(): Promise<void> {
    await this.handle.close().catch(() => {});
  }
}
