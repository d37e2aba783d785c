/**
 * A LUN in a file (sparse: created by truncation, so a 3 TiB LUN costs nothing until written).
 * Node has no hole punching, so deallocation writes zeros: what a thin LUN reads back is right,
 * its allocation is not reclaimed.
 */
import { type FileHandle, open } from 'node:fs/promises';
import type { LunBacking } from './backing.js';

const ZEROS = Buffer.alloc(1 << 20);

export class FileBacking implements LunBacking {
  private constructor(
    readonly path: string,
    private readonly file: FileHandle,
  ) {}

  /** Opens an existing file for reading and writing. */
  static async open(path: string): Promise<FileBacking> {
    return new FileBacking(path, await open(path, 'r+'));
  }

  async read(offset: number, length: number): Promise<Buffer> {
    const out = Buffer.allocUnsafe(length);
    let done = 0;
    while (done < length) {
      const { bytesRead } = await this.file.read(out, done, length - done, offset + done);
      if (bytesRead === 0) {
        // Past the end of a file shorter than the LUN: unwritten blocks read as zeros.
        out.fill(0, done);
        break;
      }
      done += bytesRead;
    }
    return out;
  }

  async write(offset: number, data: Uint8Array): Promise<void> {
    let done = 0;
    while (done < data.length) {
      const { bytesWritten } = await this.file.write(data, done, data.length - done, offset + done);
      done += bytesWritten;
    }
  }

  async writev(offset: number, parts: readonly Uint8Array[]): Promise<void> {
    const total = parts.reduce((n, p) => n + p.length, 0);
    const { bytesWritten } = await this.file.writev(parts as Uint8Array[], offset);
    if (bytesWritten === total) return;
    // A short vectored write (rare on regular files): the rest one piece at a time.
    let at = 0;
    for (const part of parts) {
      const skip = Math.max(0, Math.min(part.length, bytesWritten - at));
      if (skip < part.length) await this.write(offset + at + skip, part.subarray(skip));
      at += part.length;
    }
  }

  async zero(offset: number, length: number): Promise<void> {
    for (let at = 0; at < length; at += ZEROS.length)
      await this.write(offset + at, ZEROS.subarray(0, Math.min(ZEROS.length, length - at)));
  }

  async flush(): Promise<void> {
    await this.file.datasync();
  }

  async close(): Promise<void> {
    await this.file.close();
  }

  allocatedBytes(): undefined {
    return undefined;
  }
}
