/**
 * One logical unit of an iSCSI target as a {@link BlockDevice}: opened with TEST UNIT READY
 * (unit attentions cleared), INQUIRY and READ CAPACITY(16); read with READ(16), written with
 * WRITE(16), zeroed with WRITE SAME(16), flushed with SYNCHRONIZE CACHE(16).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { OperationOptions } from '../../../contracts/index.js';
import { NotSupported, ScsiCommandFailed } from '../../../errors/index.js';
import { type BlockDevice, checkRange } from '../disk/block-device.js';
import {
  type Cdb,
  inquiry,
  read16,
  readCapacity16,
  synchronizeCache16,
  testUnitReady,
  write16,
  writeSame16,
} from '../scsi/cdb.js';
import {
  type CapacityData,
  type InquiryData,
  parseBlockLimits,
  parseCapacity16,
  parseInquiry,
  parseSupportedVpdPages,
} from '../scsi/parse.js';
import { commandFailed, ScsiStatus, SenseKey } from '../scsi/sense.js';
import { IscsiSession } from './session.js';
import { checkSessionTarget, type IscsiSessionOptions } from './session-options.js';

/**
 * Where the LUN is and how to drive it.
 *
 * @example
 * ```ts
 * const options: IscsiLunOptions = { host: '10.0.0.5', targetName: iqn, lun: 1, queueDepth: 16 };
 * ```
 */
export interface IscsiLunOptions extends IscsiSessionOptions {
  /** Logical unit number (default 1, as Ironic's deploy ramdisk exports it). */
  lun?: number | undefined;
  /** Largest WRITE/READ in bytes (default 1 MiB, lowered to the LUN's Block Limits). */
  maxTransferBytes?: number | undefined;
  /** Commands kept in flight by the writer (default 16, bounded by the target's window). */
  queueDepth?: number | undefined;
}

const UNIT_ATTENTION_RETRIES = 8;
const NOT_READY_RETRIES = 20;
const WRITE_SAME_BLOCKS = 1 << 16;

/**
 * An iSCSI LUN as a {@link BlockDevice}.
 *
 * @example
 * ```ts
 * const disk = await IscsiLun.open({ host: '10.0.0.5', targetName: 'iqn.2008-10.org.openstack:node-1', lun: 1 });
 * try {
 *   console.log(disk.inquiry.vendor, disk.sizeBytes);
 *   await disk.write(0, Buffer.alloc(disk.blockSize));
 *   await disk.flush();
 * } finally {
 *   await disk.close();
 * }
 * ```
 */
export class IscsiLun implements BlockDevice {
  readonly blockSize: number;
  readonly sizeBytes: number;
  readonly maxTransferBytes: number;
  readonly queueDepth: number;
  private writeSame: boolean;
  private zeroBlock: Buffer;
  /** Thin LUN whose unmapped blocks read as zeros: zeroing deallocates instead of writing. */
  private readonly unmapZeroes: boolean;

  private constructor(
    /** The session carrying the LUN. */
    readonly session: IscsiSession,
    /** The logical unit number. */
    readonly lun: number,
    /** What INQUIRY said. */
    readonly inquiry: InquiryData,
    /** What READ CAPACITY(16) said. */
    readonly capacity: CapacityData,
    maxTransferBytes: number,
    queueDepth: number,
  ) {
    this.blockSize = capacity.blockSize;
    this.sizeBytes = capacity.blockCount * capacity.blockSize;
    this.maxTransferBytes = maxTransferBytes;
    this.queueDepth = queueDepth;
    this.writeSame = true;
    this.unmapZeroes = capacity.thinProvisioned && capacity.unmappedReadsZero;
    this.zeroBlock = Buffer.alloc(capacity.blockSize);
  }

  /** Opens a session, checks the LUN is a ready disk and reads its capacity. */
  static async open(options: IscsiLunOptions): Promise<IscsiLun> {
    const lun = options.lun ?? 1;
    checkSessionTarget({ ...options, lun });
    const session = await IscsiSession.open(options);
    try {
      const run = (cdb: Cdb, dataInLength?: number) =>
        checked(session, { lun, cdb, dataInLength }, options.signal);
      await waitUntilReady(session, lun, options.signal);
      const inq = parseInquiry(await run(inquiry(96), 96));
      if (inq.deviceType !== 0)
        throw new NotSupported({
          feature: `Writing an image to LUN ${lun}`,
          reason: `it is a device of SCSI type 0x${inq.deviceType.toString(16)}, not a disk`,
        });
      const capacity = parseCapacity16(await run(readCapacity16(), 32));
      let maxTransfer = roundDown(options.maxTransferBytes ?? 1 << 20, capacity.blockSize);
      const pages = parseSupportedVpdPages(await run(inquiry(255, 0x00), 255).catch(() => Buffer.alloc(0)));
      if (pages.has(0xb0)) {
        const limits = parseBlockLimits(await run(inquiry(64, 0xb0), 64));
        if (limits.maxTransferBlocks > 0)
          maxTransfer = Math.min(maxTransfer, limits.maxTransferBlocks * capacity.blockSize);
      }
      return new IscsiLun(
        session,
        lun,
        inq,
        capacity,
        Math.max(maxTransfer, capacity.blockSize),
        options.queueDepth ?? 16,
      );
    } catch (e) {
      await session.logout();
      throw e;
    }
  }

  async read(offset: number, length: number, options: OperationOptions = {}): Promise<Buffer> {
    checkRange(this, offset, length);
    const parts: Promise<Buffer>[] = [];
    for (let at = 0; at < length; at += this.maxTransferBytes) {
      const size = Math.min(this.maxTransferBytes, length - at);
      const cdb = read16((offset + at) / this.blockSize, size / this.blockSize);
      parts.push(checked(this.session, { lun: this.lun, cdb, dataInLength: size }, options.signal));
    }
    return Buffer.concat(await Promise.all(parts));
  }

  async write(offset: number, data: Uint8Array, options: OperationOptions = {}): Promise<void> {
    checkRange(this, offset, data.length);
    const parts: Promise<Buffer>[] = [];
    for (let at = 0; at < data.length; at += this.maxTransferBytes) {
      const chunk = data.subarray(at, Math.min(data.length, at + this.maxTransferBytes));
      const cdb = write16((offset + at) / this.blockSize, chunk.length / this.blockSize);
      parts.push(checked(this.session, { lun: this.lun, cdb, dataOut: chunk }, options.signal));
    }
    await Promise.all(parts);
  }

  /**
   * WRITE SAME(16) with a zero block — with the UNMAP bit on a thin LUN whose unmapped blocks
   * read as zeros, so the target deallocates rather than writes; falls back to WRITE(16) of zeros
   * when the target does not support WRITE SAME.
   */
  async writeZeroes(offset: number, length: number, options: OperationOptions = {}): Promise<void> {
    checkRange(this, offset, length);
    const blocks = length / this.blockSize;
    const first = offset / this.blockSize;
    for (let done = 0; done < blocks && this.writeSame; ) {
      const n = Math.min(WRITE_SAME_BLOCKS, blocks - done);
      try {
        await checked(
          this.session,
          { lun: this.lun, cdb: writeSame16(first + done, n, this.unmapZeroes), dataOut: this.zeroBlock },
          options.signal,
        );
        done += n;
        if (done === blocks) return;
      } catch (e) {
        if (!(e instanceof ScsiCommandFailed) || e.senseKey !== SenseKey.IllegalRequest) throw e;
        this.writeSame = false;
        offset += done * this.blockSize;
        length -= done * this.blockSize;
      }
    }
    const zeroes = Buffer.alloc(Math.min(this.maxTransferBytes, length));
    const parts: Promise<void>[] = [];
    for (let at = 0; at < length; at += zeroes.length) {
      parts.push(this.write(offset + at, zeroes.subarray(0, Math.min(zeroes.length, length - at)), options));
      if (parts.length >= this.queueDepth) await Promise.all(parts.splice(0));
    }
    await Promise.all(parts);
  }

  async flush(options: OperationOptions = {}): Promise<void> {
    await checked(this.session, { lun: this.lun, cdb: synchronizeCache16() }, options.signal);
  }

  async close(options: OperationOptions = {}): Promise<void> {
    await this.session.logout(options);
  }
}

/** Runs a command and returns its data, throwing a typed error for any status but GOOD. */
async function checked(
  session: IscsiSession,
  request: Parameters<IscsiSession['execute']>[0],
  signal: AbortSignal | undefined,
): Promise<Buffer> {
  const r = await session.execute(request, { signal });
  if (r.status !== ScsiStatus.Good) throw commandFailed(request.cdb.name, r.status, r.sense);
  return r.data;
}

/** TEST UNIT READY until GOOD, clearing unit attentions and waiting out "becoming ready". */
async function waitUntilReady(
  session: IscsiSession,
  lun: number,
  signal: AbortSignal | undefined,
): Promise<void> {
  let attentions = 0;
  let notReady = 0;
  for (;;) {
    try {
      await checked(session, { lun, cdb: testUnitReady() }, signal);
      return;
    } catch (e) {
      if (!(e instanceof ScsiCommandFailed)) throw e;
      if (e.senseKey === SenseKey.UnitAttention && ++attentions <= UNIT_ATTENTION_RETRIES) continue;
      if (
        e.senseKey === SenseKey.NotReady &&
        e.asc === 0x04 &&
        e.ascq === 0x01 &&
        ++notReady <= NOT_READY_RETRIES
      ) {
        await sleep(500, undefined, { signal });
        continue;
      }
      throw e;
    }
  }
}

function roundDown(n: number, multiple: number): number {
  return Math.floor(n / multiple) * multiple;
}
