/**
 * A LUN in memory, sparse: 64 KiB chunks allocated on first write and freed when zeroed, so a
 * 3 TiB LUN holds only what was written. Unwritten blocks read as zeros.
 */
import type { LunBacking } from './backing.js';

const CHUNK = 64 * 1024;

export class MemoryBacking implements LunBacking {
  readonly path = undefined;
  private readonly chunks = new Map<number, Buffer>();

  async read(offset: number, length: number): Promise<Buffer> {
    const out = Buffer.alloc(length);
    this.each(offset, length, (chunk, from, to, at) => {
      this.chunks.get(chunk)?.copy(out, at, from, to);
    });
    return out;
  }

  async write(offset: number, data: Uint8Array): Promise<void> {
    this.each(offset, data.length, (index, from, to, at) => {
      let chunk = this.chunks.get(index);
      if (chunk === undefined) {
        // A chunk written whole needs no zeroing first.
        chunk = from === 0 && to === CHUNK ? Buffer.allocUnsafe(CHUNK) : Buffer.alloc(CHUNK);
        this.chunks.set(index, chunk);
      }
      chunk.set(data.subarray(at, at + to - from), from);
    });
  }

  async writev(offset: number, parts: readonly Uint8Array[]): Promise<void> {
    let at = offset;
    for (const part of parts) {
      await this.write(at, part);
      at += part.length;
    }
  }

  async zero(offset: number, length: number): Promise<void> {
    this.each(offset, length, (index, from, to) => {
      if (from === 0 && to === CHUNK) this.chunks.delete(index);
      else this.chunks.get(index)?.fill(0, from, to);
    });
  }

  async flush(): Promise<void> {}

  async close(): Promise<void> {
    this.chunks.clear();
  }

  allocatedBytes(): number {
    return this.chunks.size * CHUNK;
  }

  /** Calls `visit(chunk index, start in chunk, end in chunk, position in the range)` per chunk touched. */
  private each(
    offset: number,
    length: number,
    visit: (chunk: number, from: number, to: number, at: number) => void,
  ): void {
    for (let at = 0; at < length; ) {
      const index = Math.floor((offset + at) / CHUNK);
      const from = (offset + at) % CHUNK;
      const to = Math.min(CHUNK, from + (length - at));
      visit(index, from, to, at);
      at += to - from;
    }
  }
}
