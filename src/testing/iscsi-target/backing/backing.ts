/** Where a simulated LUN keeps its blocks: a sparse file or memory. */

/** The storage under one simulated LUN; offsets and lengths are in bytes, already range-checked. */
export interface LunBacking {
  /** The backing file, when there is one. */
  readonly path: string | undefined;
  /** Reads `length` bytes at `offset`. */
  read(offset: number, length: number): Promise<Buffer>;
  /** Writes `data` at `offset`. */
  write(offset: number, data: Uint8Array): Promise<void>;
  /** Writes `parts`, one after the other, from `offset` (one vectored write for a file). */
  writev(offset: number, parts: readonly Uint8Array[]): Promise<void>;
  /** Zeroes a range; with `deallocate`, frees the storage under it where the backing can. */
  zero(offset: number, length: number, deallocate: boolean): Promise<void>;
  /** Makes written data durable (SYNCHRONIZE CACHE). */
  flush(): Promise<void>;
  /** Releases the backing; the file stays. */
  close(): Promise<void>;
  /** Bytes of memory holding data, for memory backings; undefined for files. */
  allocatedBytes(): number | undefined;
}
