import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type {
  DiskWriteOptions,
  DiskWriteRequest,
  DiskWriteResult,
  DiskWriter,
  IscsiTarget,
} from '../index.js';
import { FileBlockDevice, writeDiskImage } from '../index.js';

/**
 * Options of {@link FileDiskWriter}.
 *
 * @example
 * ```ts
 * const options: FileDiskWriterOptions = { sizeBytes: 4 * 2 ** 30, failWith: () => undefined };
 * ```
 */
export interface FileDiskWriterOptions {
  /** Directory holding one disk file per target (default: a temp dir made on first use). */
  directory?: string;
  /** Size of each disk (default 8 GiB, sparse). */
  sizeBytes?: number;
  /** Block size of each disk (default 512). */
  blockSize?: 512 | 4096;
  /** Fault injection: an error to throw instead of writing, per call (undefined: write). */
  failWith?: (target: IscsiTarget, request: DiskWriteRequest) => Error | undefined;
}

/**
 * One call to {@link FileDiskWriter.write}, recorded for assertions.
 *
 * @example
 * ```ts
 * const [first]: FileDiskWrite[] = writer.writes;
 * expect(first?.request.partitions?.rootMb).toBe(10240);
 * ```
 */
export interface FileDiskWrite {
  /** The target it was called with. */
  target: IscsiTarget;
  /** The request it was called with. */
  request: DiskWriteRequest;
  /** The disk file written. */
  path: string;
  /** What it returned, when it succeeded. */
  result?: DiskWriteResult;
  /** What it threw, when it failed. */
  error?: unknown;
}

/**
 * A {@link DiskWriter} that writes to local sparse files instead of an iSCSI target, through
 * the same image readers and partitioning code as `IscsiDiskWriter`: deploy tests get real root
 * UUIDs and real disks to inspect, without tgt. Every call is recorded in `writes`.
 *
 * @example
 * ```ts
 * const writer = new FileDiskWriter({ sizeBytes: 2 * 2 ** 30 });
 * const result = await writer.write(
 *   { address: '10.0.0.5', iqn: 'iqn.2008-10.org.openstack:node-1' },
 *   { image: { path: 'rootfs.img' }, partitions: { rootMb: 1024, bootMode: 'uefi' } },
 * );
 * expect(writer.writes).toHaveLength(1);
 * expect(result.rootUuid).toBeDefined();
 * await writer.cleanup();
 * ```
 */
export class FileDiskWriter implements DiskWriter {
  /** Every call, oldest first. */
  readonly writes: FileDiskWrite[] = [];
  private directory: string | undefined;
  private ownsDirectory = false;

  constructor(private readonly options: FileDiskWriterOptions = {}) {
    this.directory = options.directory;
  }

  /** The disk file of a target (`<directory>/<iqn>-lun<lun>.img`). */
  async pathOf(target: IscsiTarget): Promise<string> {
    if (this.directory === undefined) {
      this.directory = await mkdtemp(join(tmpdir(), 'ironic-ilo-disks-'));
      this.ownsDirectory = true;
    }
    return join(this.directory, `${target.iqn.replace(/[^A-Za-z0-9.-]/g, '_')}-lun${target.lun ?? 1}.img`);
  }

  async write(
    target: IscsiTarget,
    request: DiskWriteRequest,
    options: DiskWriteOptions = {},
  ): Promise<DiskWriteResult> {
    const path = await this.pathOf(target);
    const call: FileDiskWrite = { target, request, path };
    this.writes.push(call);
    try {
      const injected = this.options.failWith?.(target, request);
      if (injected) throw injected;
      const device = await FileBlockDevice.open(path, {
        sizeBytes: this.options.sizeBytes ?? 8 * 2 ** 30,
        blockSize: this.options.blockSize ?? 512,
      });
      try {
        call.result = await writeDiskImage(device, request, options);
        return call.result;
      } finally {
        await device.close();
      }
    } catch (e) {
      call.error = e;
      throw e;
    }
  }

  /** Removes the temp directory this writer made (a `directory` given in the options is left alone). */
  async cleanup(): Promise<void> {
    if (this.ownsDirectory && this.directory !== undefined)
      await rm(this.directory, { recursive: true, force: true });
    this.directory = this.options.directory;
    this.ownsDirectory = false;
  }
}
