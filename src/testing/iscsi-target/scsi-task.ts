/**
 * One SCSI task from command to status (RFC 7143 § 4.2, § 11.3–11.8): immediate and unsolicited
 * data taken in FirstBurstLength, the rest solicited with R2Ts of at most MaxBurstLength (up to
 * MaxOutstandingR2T at once), Data-Out checked for order and placed on the LUN as it arrives;
 * reads streamed as Data-In sequences with the status in the last PDU. Residuals are reported
 * against the initiator's expected transfer length.
 */
import type { TargetConnection } from './connection.js';
import type { NegotiatedParameters } from './negotiation.js';
import type { PortalContext, TargetModel } from './portal.js';
import { NO_RESIDUAL, type Residual, r2t, residualOf, scsiResponse, writeDataIn } from './responses.js';
import { commandName } from './scsi/cdb.js';
import { planCommand } from './scsi/commands.js';
import type { LunIdentity } from './scsi/inquiry.js';
import { checkCondition, GOOD, type ScsiOutcome, Sense } from './scsi/outcome.js';
import type { ScsiPlan } from './scsi/plan.js';
import { BHS_BYTES, decodeLun, type InboundPdu, NO_TAG } from './wire.js';

/** What a task needs from its session. */
export interface TaskHost {
  readonly conn: TargetConnection;
  readonly params: NegotiatedParameters;
  readonly target: TargetModel;
  readonly portal: PortalContext;
  readonly fallbackIdentity: LunIdentity;
  nextTransferTag(): number;
  /** The task has ended (answered or aborted). */
  finished(task: ScsiTask): void;
  /** The initiator broke the data transfer rules: reject the PDU and end the connection. */
  violation(bhs: Buffer, why: string): void;
  /** Bytes queued for the LUN and not yet written (positive or negative change). */
  backlog(delta: number): void;
}

/** An expected run of Data-Out: unsolicited (TTT 0xffffffff) or answering one R2T. */
interface Sequence {
  next: number;
  end: number;
  dataSN: number;
}

const READ_STEP = 1 << 20;
const GATHER_BYTES = 1 << 20;

export class ScsiTask {
  readonly itt: number;
  readonly lun: number;
  readonly name: string;
  /** Settles once the task has ended, its writes included. */
  readonly done: Promise<void>;
  private readonly expected: number;
  private readonly wantsData: boolean;
  private plan: ScsiPlan = { kind: 'respond', outcome: { status: GOOD } };
  private want = 0;
  private arrived = 0;
  private unsolicited: Sequence | undefined;
  private readonly r2ts = new Map<number, Sequence>();
  private nextR2TOffset = 0;
  private r2tSN = 0;
  private dataSN = 0;
  private writing = 0;
  private gathered: { offset: number; parts: Buffer[]; bytes: number } | undefined;
  private writeFailed = false;
  private parameters: Buffer | undefined;
  private answering = false;
  private aborted = false;
  private ended = false;
  private settled = false;
  private resolveDone: () => void = () => {};

  constructor(
    private readonly host: TaskHost,
    private readonly bhs: Buffer,
    /** Whether the command counts against the CmdSN window (it is not immediate). */
    readonly counted: boolean,
  ) {
    this.itt = bhs.readUInt32BE(16);
    this.lun = decodeLun(bhs);
    this.expected = bhs.readUInt32BE(20);
    this.wantsData = (bhs[1]! & 0x40) !== 0;
    this.name = commandName(bhs.subarray(32, 48));
    this.done = new Promise((resolve) => {
      this.resolveDone = resolve;
    });
  }

  /** Starts the command with the SCSI Command PDU's immediate data. */
  start(data: Buffer): void {
    if (this.aborted) return;
    const { bhs, host } = this;
    const cdb = Buffer.from(bhs.subarray(32, 48));
    const writeBit = (bhs[1]! & 0x20) !== 0;
    const unsolicitedFollows = writeBit && (bhs[1]! & 0x80) === 0;
    const p = host.params;
    const immediateOk =
      data.length === 0 ||
      (p.immediateData && writeBit && data.length <= Math.min(this.expected, p.firstBurstLength));
    if (!immediateOk) {
      host.violation(bhs, 'immediate data not allowed here or beyond FirstBurstLength');
      return;
    }
    if (unsolicitedFollows && p.initialR2T) {
      host.violation(bhs, 'unsolicited Data-Out announced with InitialR2T=Yes');
      return;
    }
    const injected = host.portal.faults.commandFailure(host.target.iqn, this.lun, this.name);
    this.plan =
      injected !== undefined
        ? { kind: 'respond', outcome: checkCondition(injected) }
        : planCommand(cdb, {
            targetName: host.target.iqn,
            lun: host.target.scsiLun(this.lun),
            lunNumbers: host.target.lunNumbers(),
            fallbackIdentity: host.fallbackIdentity,
          });
    const plan = this.plan;
    if (plan.kind === 'respond') {
      // Unsolicited data still on its way belongs to a finished task and is dropped on arrival.
      void settle(plan.outcome).then((outcome) => this.answer(outcome, 0));
      return;
    }
    if (plan.kind === 'read') {
      void this.stream(plan.offset, plan.length);
      return;
    }
    this.want = writeBit ? Math.min(this.expected, plan.length) : 0;
    if (plan.kind === 'collect') this.parameters = Buffer.alloc(this.want);
    const burstEnd = unsolicitedFollows ? Math.min(this.expected, p.firstBurstLength) : data.length;
    if (unsolicitedFollows) this.unsolicited = { next: data.length, end: burstEnd, dataSN: 0 };
    this.nextR2TOffset = burstEnd;
    this.place(0, data);
    this.solicit();
    this.maybeComplete();
  }

  /** A Data-Out for this task. */
  dataOut({ bhs, data }: InboundPdu): void {
    if (this.aborted || this.answering) return;
    const ttt = bhs.readUInt32BE(20);
    const seq = ttt === NO_TAG ? this.unsolicited : this.r2ts.get(ttt);
    if (seq === undefined) {
      this.host.violation(bhs, `Data-Out with unknown TTT 0x${ttt.toString(16)}`);
      return;
    }
    const dataSN = bhs.readUInt32BE(36);
    const offset = bhs.readUInt32BE(40);
    if (dataSN !== seq.dataSN) {
      this.host.violation(bhs, `DataSN ${dataSN}, expected ${seq.dataSN}`);
      return;
    }
    const final = (bhs[1]! & 0x80) !== 0;
    if (
      offset !== seq.next ||
      offset + data.length > seq.end ||
      final !== (offset + data.length === seq.end)
    ) {
      this.host.violation(
        bhs,
        `Data-Out at ${offset}+${data.length}${final ? ' (F)' : ''}, expected ${seq.next}–${seq.end}`,
      );
      return;
    }
    seq.dataSN++;
    seq.next += data.length;
    this.place(offset, data);
    if (seq.next === seq.end) {
      this.flush();
      if (ttt === NO_TAG) this.unsolicited = undefined;
      else this.r2ts.delete(ttt);
      this.solicit();
    }
    this.maybeComplete();
  }

  /** Ends the task without a response (task management, lost connection). */
  abort(): void {
    this.aborted = true;
    this.r2ts.clear();
    if (this.gathered !== undefined) this.host.backlog(-this.gathered.bytes);
    this.gathered = undefined;
    this.maybeEnd();
  }

  private place(offset: number, data: Buffer): void {
    const usable = Math.min(data.length, Math.max(0, this.want - offset));
    if (usable <= 0) return;
    this.arrived += usable;
    const bytes = data.subarray(0, usable);
    if (this.parameters !== undefined) {
      bytes.copy(this.parameters, offset);
      return;
    }
    // Contiguous Data-Out is gathered into one vectored write: 8 KiB segments (tgt's) would
    // otherwise cost a system call each.
    if (this.gathered !== undefined && this.gathered.offset + this.gathered.bytes !== offset) this.flush();
    this.gathered ??= { offset, parts: [], bytes: 0 };
    this.gathered.parts.push(bytes);
    this.gathered.bytes += usable;
    this.host.backlog(usable);
    this.host.target.account(this.lun, 'write', usable);
    if (this.gathered.bytes >= GATHER_BYTES || this.arrived >= this.want) this.flush();
    if (this.host.portal.faults.dropAfterBytes(usable)) this.host.conn.drop();
  }

  /** Writes what was gathered. */
  private flush(): void {
    const gathered = this.gathered;
    if (gathered === undefined) return;
    this.gathered = undefined;
    const plan = this.plan as Extract<ScsiPlan, { kind: 'write' }>;
    const lun = this.host.target.scsiLun(this.lun)!;
    this.writing++;
    lun.backing
      .writev(plan.offset + gathered.offset, gathered.parts)
      .catch(() => {
        this.writeFailed = true;
      })
      .finally(() => {
        this.writing--;
        this.host.backlog(-gathered.bytes);
        this.maybeComplete();
        this.maybeEnd();
      });
  }

  /** Sends R2Ts for what is still missing, as many as MaxOutstandingR2T allows. */
  private solicit(): void {
    const p = this.host.params;
    while (!this.aborted && this.r2ts.size < p.maxOutstandingR2T && this.nextR2TOffset < this.want) {
      const offset = this.nextR2TOffset;
      const length = Math.min(p.maxBurstLength, this.want - offset);
      const ttt = this.host.nextTransferTag();
      this.r2ts.set(ttt, { next: offset, end: offset + length, dataSN: 0 });
      this.nextR2TOffset += length;
      const pdu = r2t({
        lun: this.lun,
        itt: this.itt,
        ttt,
        r2tSN: this.r2tSN++,
        bufferOffset: offset,
        length,
      });
      this.host.conn.send(pdu, undefined, false);
    }
  }

  private maybeComplete(): void {
    if (this.answering || this.aborted || this.arrived < this.want || this.r2ts.size > 0 || this.writing > 0)
      return;
    this.answering = true;
    const plan = this.plan;
    const needed = plan.kind === 'write' || plan.kind === 'collect' ? plan.length : 0;
    if (plan.kind === 'collect') {
      const run =
        this.want < plan.length ? checkCondition(Sense.parameterListLength) : plan.run(this.parameters!);
      void settle(run).then((outcome) => this.answer(outcome, needed));
    } else {
      this.answer(this.writeFailed ? checkCondition(Sense.writeError) : { status: GOOD }, needed);
    }
  }

  /** Sends the status (and any data) of a finished command; `moved` is its transfer length in bytes. */
  private answer(outcome: ScsiOutcome, moved: number): void {
    this.answering = true;
    if (!this.aborted && !this.host.conn.ended) this.sendStatus(outcome, moved);
    this.ended = true;
    this.maybeEnd();
  }

  private sendStatus(outcome: ScsiOutcome, moved: number): void {
    const data = outcome.data;
    if (
      outcome.status === GOOD &&
      data !== undefined &&
      data.length > 0 &&
      this.wantsData &&
      this.expected > 0
    ) {
      this.sendData(data, 0, residualOf(this.expected, data.length), true);
      return;
    }
    const sense = outcome.sense;
    const segment = sense === undefined ? undefined : Buffer.concat([Buffer.from([0, sense.length]), sense]);
    const residual = outcome.status === GOOD ? residualOf(this.expected, data?.length ?? moved) : NO_RESIDUAL;
    const response = scsiResponse({
      itt: this.itt,
      status: outcome.status,
      residual,
      expDataSN: this.dataSN + this.r2tSN,
      dataLength: segment?.length ?? 0,
    });
    this.host.conn.send(response, segment, true);
  }

  /** Streams a READ from the LUN, one megabyte at a time, as the socket drains. */
  private async stream(offset: number, length: number): Promise<void> {
    const total = this.wantsData ? Math.min(this.expected, length) : 0;
    const residual = residualOf(this.expected, length);
    const lun = this.host.target.scsiLun(this.lun)!;
    if (total === 0) {
      this.answer({ status: GOOD }, length);
      return;
    }
    for (let at = 0; at < total; at += READ_STEP) {
      const n = Math.min(READ_STEP, total - at);
      let data: Buffer;
      try {
        data = await lun.backing.read(offset + at, n);
      } catch {
        this.answer(checkCondition(Sense.readError), 0);
        return;
      }
      if (this.aborted || this.host.conn.ended) {
        this.answer({ status: GOOD }, 0);
        return;
      }
      await this.host.conn.drained();
      this.host.target.account(this.lun, 'read', n);
      const last = at + n === total;
      this.sendData(data, at, residual, last);
    }
    this.answering = true;
    this.ended = true;
    this.maybeEnd();
  }

  /**
   * Sends `data` (at `at` in the command's buffer) as Data-In PDUs of at most the initiator's
   * segment size, F at the end of every MaxBurstLength sequence; with `last`, the final PDU
   * carries GOOD status and the residual.
   */
  private sendData(data: Buffer, at: number, residual: Residual, last: boolean): void {
    const p = this.host.params;
    const bytes = last ? data.subarray(0, Math.min(data.length, this.expected - at)) : data;
    for (let done = 0; done < bytes.length; ) {
      const offset = at + done;
      const burstEnd = (Math.floor(offset / p.maxBurstLength) + 1) * p.maxBurstLength;
      const size = Math.min(p.maxXmitDataSegmentLength, bytes.length - done, burstEnd - offset);
      const lastPdu = last && done + size === bytes.length;
      const header = Buffer.allocUnsafe(BHS_BYTES);
      writeDataIn(header, 0, {
        final: lastPdu || offset + size === burstEnd,
        status: lastPdu ? GOOD : undefined,
        residual,
        itt: this.itt,
        dataSN: this.dataSN++,
        bufferOffset: offset,
        dataLength: size,
      });
      this.host.conn.send(header, bytes.subarray(done, done + size), lastPdu);
      done += size;
    }
  }

  private maybeEnd(): void {
    if (this.settled || this.writing > 0 || (!this.ended && !this.aborted)) return;
    this.settled = true;
    this.host.finished(this);
    this.resolveDone();
  }
}

/** An outcome, with a failure of the backing as CHECK CONDITION (never a rejection). */
function settle(outcome: ScsiOutcome | Promise<ScsiOutcome>): Promise<ScsiOutcome> {
  return Promise.resolve(outcome).catch(() => checkCondition(Sense.writeError));
}
