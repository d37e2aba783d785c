/**
 * A simulated logical unit: its backing (a sparse file or memory), its identity, what it reports
 * (a capacity fault may shrink that), and what initiators moved through it.
 */
import { createHash } from 'node:crypto';
import { rm, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { OperationOptions } from '../../index.js';
import type { LunBacking } from './backing/backing.js';
import { FileBacking } from './backing/file-backing.js';
import { MemoryBacking } from './backing/memory-backing.js';
import type { SimulatedLunOptions } from './options.js';
import { invalid } from './options.js';
import type { LunIdentity } from './scsi/inquiry.js';
import type { ScsiLun } from './scsi/plan.js';

/** The default LUN size: what the deploy ramdisk of a test node exposes. */
export const DEFAULT_LUN_BYTES = 8 * 2 ** 30;

/**
 * One logical unit of a simulated target, for the test's assertions: its geometry, where its
 * bytes are, and how many bytes initiators wrote and read.
 *
 * @example
 * ```ts
 * const disk = sim.lun('iqn.2008-10.org.openstack:node-1', 1);
 * expect(disk.bytesWritten).toBeGreaterThan(0);
 * const mbr = await disk.read(0, 512);
 * expect(mbr.readUInt16LE(510)).toBe(0xaa55);
 * ```
 */
export class SimulatedLun {
  /** The logical unit number. */
  readonly lun: number;
  /** Logical block size in bytes. */
  readonly blockSize: number;
  /** Size in bytes. */
  readonly sizeBytes: number;
  /** Whether the LUN is thin (UNMAP, WRITE SAME with UNMAP, LBPRZ). */
  readonly thin: boolean;
  /** Whether writes are refused. */
  readonly readOnly: boolean;
  /** The backing file, or undefined for a memory LUN. */
  readonly path: string | undefined;
  /** Unit serial number. */
  readonly serial: string;
  private written = 0;
  private readCount = 0;
  private reportedBytes: number;
  private readonly identity: LunIdentity;

  private constructor(
    options: Required<Pick<SimulatedLunOptions, 'lun' | 'blockSize' | 'sizeBytes'>> & SimulatedLunOptions,
    private readonly backing: LunBacking,
    private readonly owned: boolean,
    targetName: string,
  ) {
    this.lun = options.lun;
    this.blockSize = options.blockSize;
    this.sizeBytes = options.sizeBytes;
    this.reportedBytes = options.sizeBytes;
    this.thin = options.thin ?? false;
    this.readOnly = options.readOnly ?? false;
    this.path = backing.path;
    const hash = createHash('sha256').update(`${targetName.toLowerCase()}\0${options.lun}`).digest();
    this.serial = options.serial ?? hash.subarray(0, 8).toString('hex');
    const naa = Buffer.from(hash.subarray(8, 16));
    naa[0] = 0x30 | (naa[0]! & 0x0f); // NAA 3: locally assigned
    this.identity = {
      vendor: options.vendor ?? 'IRONIC',
      product: options.product ?? 'SIMULATED DISK',
      revision: options.revision ?? '0001',
      serial: this.serial,
      naa,
    };
  }

  /** @internal Creates the LUN and its backing; `at` names it in errors (`targets[0].luns[1]`). */
  static async create(
    options: SimulatedLunOptions & { lun: number },
    targetName: string,
    tempDirectory: () => Promise<string>,
    at: string,
  ): Promise<SimulatedLun> {
    const blockSize = options.blockSize ?? 512;
    if (options.storage === 'memory') {
      const sizeBytes = options.sizeBytes ?? DEFAULT_LUN_BYTES;
      return new SimulatedLun({ ...options, blockSize, sizeBytes }, new MemoryBacking(), false, targetName);
    }
    let path = options.path;
    const owned = path === undefined;
    if (path === undefined) {
      const safe = targetName.replace(/[^A-Za-z0-9.-]/g, '_').slice(0, 120);
      path = join(await tempDirectory(), `${safe}-lun${options.lun}.img`);
    }
    const existing = owned ? undefined : await stat(path).catch(() => undefined);
    if (existing !== undefined && !existing.isFile())
      invalid('iSCSI target LUN', `${at}.path`, 'is not a regular file');
    const sizeBytes =
      options.sizeBytes ??
      (existing === undefined ? DEFAULT_LUN_BYTES : Math.floor(existing.size / blockSize) * blockSize);
    if (sizeBytes < blockSize) invalid('iSCSI target LUN', `${at}.path`, 'holds less than one block');
    let backing: FileBacking;
    let created = false;
    try {
      if (existing === undefined) {
        await writeFile(path, '', { flag: 'wx' });
        created = true;
      }
      // Extending by truncation keeps the file sparse: a 3 TiB LUN costs nothing until written.
      if ((existing?.size ?? 0) < sizeBytes) await truncate(path, sizeBytes);
      backing = await FileBacking.open(path);
    } catch (e) {
      if (created) await rm(path, { force: true });
      const code = (e as NodeJS.ErrnoException).code ?? String(e);
      invalid('iSCSI target LUN', `${at}.path`, `cannot be created or opened (${code})`);
    }
    return new SimulatedLun({ ...options, blockSize, sizeBytes }, backing, owned, targetName);
  }

  /** Bytes initiators wrote to the LUN (Data-Out placed on it). */
  get bytesWritten(): number {
    return this.written;
  }

  /** Bytes initiators read from the LUN (Data-In sent). */
  get bytesRead(): number {
    return this.readCount;
  }

  /** The capacity READ CAPACITY reports (smaller than {@link SimulatedLun.sizeBytes} under a capacity fault). */
  get reportedSizeBytes(): number {
    return this.reportedBytes;
  }

  /** Bytes of memory holding data, for a memory LUN (chunks written and not zeroed since); undefined for a file. */
  get allocatedBytes(): number | undefined {
    return this.backing.allocatedBytes();
  }

  /** Reads what the LUN holds, for assertions. */
  async read(offset: number, length: number, options: OperationOptions = {}): Promise<Buffer> {
    options.signal?.throwIfAborted();
    if (
      !Number.isSafeInteger(offset) ||
      !Number.isSafeInteger(length) ||
      offset < 0 ||
      length < 0 ||
      offset + length > this.sizeBytes
    )
      throw new RangeError(
        `read of ${length} bytes at ${offset} is outside LUN ${this.lun} (${this.sizeBytes} bytes)`,
      );
    return this.backing.read(offset, length);
  }

  /** @internal The LUN as the command layer sees it. */
  scsi(): ScsiLun {
    return {
      identity: this.identity,
      blockSize: this.blockSize,
      blockCount: Math.floor(this.reportedBytes / this.blockSize),
      thin: this.thin,
      readOnly: this.readOnly,
      backing: this.backing,
    };
  }

  /** @internal Sets the reported capacity (undefined: the real one). */
  report(sizeBytes: number | undefined): void {
    this.reportedBytes = sizeBytes ?? this.sizeBytes;
  }

  /** @internal Counts bytes moved by initiators. */
  account(direction: 'read' | 'write', bytes: number): void {
    if (direction === 'write') this.written += bytes;
    else this.readCount += bytes;
  }

  /** @internal Closes the backing; removes the file when the simulator created it. */
  async close(): Promise<void> {
    await this.backing.close().catch(() => {});
    if (this.owned && this.path !== undefined) await rm(this.path, { force: true });
  }
}
