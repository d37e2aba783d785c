/**
 * A normal iSCSI session over one connection, in full feature phase (RFC 7143, error recovery
 * level 0): SCSI commands queued within the CmdSN window and several in flight, immediate and
 * unsolicited data, R2T answered with Data-Out sequences, Data-In gathered, NOP-In pings
 * answered, asynchronous messages and rejects handled, logout. A broken connection, a protocol
 * violation or a command timeout fails every outstanding command with the same typed error.
 */
import type { Logger, OperationOptions } from '../../../contracts/index.js';
import {
  IscsiConnectionError,
  type IscsiError,
  IscsiProtocolError,
  IscsiTimeout,
} from '../../../errors/index.js';
import { noopLogger } from '../../../util/index.js';
import type { IscsiSessionParameters } from '../protocol/negotiation.js';
import { BHS_LENGTH, encodeLun, Op, opcodeOf, padding, type RawPdu, RESERVED_TAG } from '../protocol/pdu.js';
import {
  ittOf,
  logoutResponseCode,
  parseAsyncMessage,
  parseDataIn,
  parseR2T,
  parseReject,
  parseScsiResponse,
  sequenceNumbers,
  tttOf,
} from '../protocol/pdu-in.js';
import { logoutRequest, nopOut, scsiCommand, writeDataOut } from '../protocol/pdu-out.js';
import { serialAdd, serialAtMost, serialLessThan } from '../protocol/serial.js';
import { PduConnection } from './connection.js';
import { login } from './login.js';
import {
  checkSessionTarget,
  defaultInitiatorName,
  type IscsiSessionOptions,
  type ScsiRequest,
  type ScsiResult,
} from './session-options.js';

interface Task {
  itt: number;
  request: ScsiRequest;
  /** The data to send, as a Buffer view of the caller's bytes. */
  dataOut: Buffer | undefined;
  lunField: Buffer;
  dataIn: Buffer | undefined;
  received: number;
  sent: boolean;
  timer: NodeJS.Timeout;
  resolve(result: ScsiResult): void;
  reject(error: unknown): void;
}

/**
 * An iSCSI session in full feature phase. Open it with {@link IscsiSession.open}, send SCSI
 * commands with {@link IscsiSession.execute} (as many at once as the target's window allows), and
 * end it with {@link IscsiSession.logout}.
 *
 * @example
 * ```ts
 * const session = await IscsiSession.open({ host: '127.0.0.1', port: 3260, targetName: iqn });
 * try {
 *   const r = await session.execute({ lun: 1, cdb: { bytes: Buffer.alloc(6), name: 'TEST UNIT READY' } });
 *   console.log(r.status); // 0
 * } finally {
 *   await session.logout();
 * }
 * ```
 */
export class IscsiSession {
  /** The negotiated operational parameters. */
  readonly parameters: IscsiSessionParameters;
  /** `host:port` of the target. */
  readonly portal: string;
  private readonly tasks = new Map<number, Task>();
  private readonly queue: Task[] = [];
  private nextItt = 1;
  private cmdSN: number;
  private expStatSN: number;
  private maxCmdSN: number;
  private failure: IscsiError | undefined;
  private logoutWaiter: ((pdu: RawPdu) => void) | undefined;
  private idleWaiters: Array<() => void> = [];

  private constructor(
    private readonly conn: PduConnection,
    outcome: Awaited<ReturnType<typeof login>>,
    private readonly options: IscsiSessionOptions & { logger: Logger; commandTimeoutMs: number },
  ) {
    this.parameters = outcome.parameters;
    this.portal = conn.portal;
    this.cmdSN = outcome.cmdSN;
    this.expStatSN = outcome.expStatSN;
    this.maxCmdSN = outcome.maxCmdSN;
    conn.framer.maxDataSegment = Math.max(outcome.parameters.maxRecvDataSegmentLength, 8192);
    conn.onPdu = (pdu) => this.receive(pdu);
    conn.onFailure = (e) => this.fail(e);
  }

  /** Connects, logs in and returns a session in full feature phase. */
  static async open(options: IscsiSessionOptions): Promise<IscsiSession> {
    const port = checkSessionTarget(options);
    const logger = options.logger ?? noopLogger;
    const conn = await PduConnection.open({
      host: options.host,
      port,
      timeoutMs: options.connectTimeoutMs ?? 10_000,
      signal: options.signal,
    });
    try {
      const outcome = await login(conn, {
        initiatorName: options.initiatorName ?? defaultInitiatorName(),
        targetName: options.targetName,
        chap: options.chap,
        proposal: options.proposal,
        timeoutMs: options.loginTimeoutMs ?? 15_000,
        signal: options.signal,
        logger,
      });
      logger.info('iSCSI session open', { portal: conn.portal, target: options.targetName });
      return new IscsiSession(conn, outcome, {
        ...options,
        logger,
        commandTimeoutMs: options.commandTimeoutMs ?? 60_000,
      });
    } catch (e) {
      conn.close();
      throw e;
    }
  }

  /** Commands sent or waiting for the CmdSN window. */
  get outstanding(): number {
    return this.tasks.size;
  }

  /**
   * Runs one SCSI command and resolves with its status, data and sense. Commands are queued
   * until the target's CmdSN window admits them. The signal withdraws a command that is still
   * queued; a command already sent runs to completion (or to the command timeout, which fails
   * the session).
   */
  execute(request: ScsiRequest, options: OperationOptions = {}): Promise<ScsiResult> {
    if (this.failure) return Promise.reject(this.failure);
    options.signal?.throwIfAborted();
    return new Promise<ScsiResult>((resolve, reject) => {
      const itt = this.allocateItt();
      const onAbort = (): void => {
        if (task.sent) return;
        this.queue.splice(this.queue.indexOf(task), 1);
        this.finish(task);
        reject(options.signal?.reason);
      };
      const task: Task = {
        itt,
        request,
        lunField: encodeLun(request.lun),
        dataOut:
          request.dataOut &&
          Buffer.from(request.dataOut.buffer, request.dataOut.byteOffset, request.dataOut.byteLength),
        dataIn: request.dataInLength ? Buffer.alloc(request.dataInLength) : undefined,
        received: 0,
        sent: false,
        timer: setTimeout(() => {
          const ms = this.options.commandTimeoutMs;
          this.fail(new IscsiTimeout({ kind: 'command', timeoutMs: ms, what: request.cdb.name }));
        }, this.options.commandTimeoutMs),
        resolve: (r) => {
          options.signal?.removeEventListener('abort', onAbort);
          resolve(r);
        },
        reject: (e) => {
          options.signal?.removeEventListener('abort', onAbort);
          reject(e);
        },
      };
      options.signal?.addEventListener('abort', onAbort, { once: true });
      this.tasks.set(itt, task);
      this.queue.push(task);
      this.pump();
    });
  }

  /**
   * Waits for outstanding commands, then logs out (closing the session on the target) and
   * closes the connection. Never throws: a target that is gone is already logged out.
   */
  async logout(options: OperationOptions = {}): Promise<void> {
    const timeoutMs = this.options.logoutTimeoutMs ?? 5_000;
    try {
      if (this.failure) return;
      await this.whenIdle(timeoutMs, options.signal);
      if (this.failure) return;
      const reply = new Promise<RawPdu>((resolve) => {
        this.logoutWaiter = resolve;
      });
      this.conn.send([
        logoutRequest({
          itt: this.allocateItt(),
          cid: 0,
          cmdSN: this.cmdSN,
          expStatSN: this.expStatSN,
        }),
      ]);
      const pdu = await withTimeout(reply, timeoutMs, options.signal);
      if (pdu && logoutResponseCode(pdu.bhs) !== 0)
        this.options.logger.warn('iSCSI logout refused', { code: logoutResponseCode(pdu.bhs) });
      this.options.logger.info('iSCSI session closed', { portal: this.portal });
    } catch (e) {
      this.options.logger.warn('iSCSI logout did not complete', { error: String(e) });
    } finally {
      this.close();
    }
  }

  /** Drops the connection at once; outstanding commands fail with a connection error. */
  close(): void {
    this.fail(new IscsiConnectionError({ portal: this.portal, reason: 'session closed by the initiator' }));
  }

  private allocateItt(): number {
    const itt = this.nextItt;
    this.nextItt = this.nextItt >= 0x7fffffff ? 1 : this.nextItt + 1;
    return itt;
  }

  private pump(): void {
    while (this.queue.length > 0 && serialAtMost(this.cmdSN, this.maxCmdSN) && !this.failure) {
      const task = this.queue.shift()!;
      this.sendCommand(task, this.cmdSN);
      this.cmdSN = serialAdd(this.cmdSN, 1);
    }
  }

  private sendCommand(task: Task, cmdSN: number): void {
    const p = this.parameters;
    const out = task.request.dataOut;
    const outLength = out?.length ?? 0;
    const immediate = p.immediateData
      ? Math.min(outLength, p.firstBurstLength, p.maxXmitDataSegmentLength)
      : 0;
    const unsolicited = p.initialR2T ? immediate : Math.min(outLength, p.firstBurstLength);
    const bhs = scsiCommand({
      lun: task.lunField,
      itt: task.itt,
      cmdSN,
      expStatSN: this.expStatSN,
      cdb: task.request.cdb.bytes,
      writeLength: outLength,
      readLength: task.request.dataInLength ?? 0,
      immediateLength: immediate,
      final: unsolicited === immediate,
    });
    task.sent = true;
    const parts: Uint8Array[] = [bhs];
    if (immediate > 0 && out) {
      parts.push(out.subarray(0, immediate));
      if (padding(immediate) > 0) parts.push(Buffer.alloc(padding(immediate)));
    }
    this.conn.send(parts);
    if (unsolicited > immediate && out)
      this.sendDataOut(task, RESERVED_TAG, immediate, unsolicited - immediate);
  }

  /**
   * Sends the Data-Out PDUs for `length` bytes from `offset`, each at most the target's segment
   * size: headers in one small buffer, data as views of the caller's buffer (no copy), all in
   * one vectored write.
   */
  private sendDataOut(task: Task, ttt: number, offset: number, length: number): void {
    const out = task.dataOut!;
    const segment = this.parameters.maxXmitDataSegmentLength;
    const count = Math.ceil(length / segment);
    const headers = Buffer.allocUnsafe(count * BHS_LENGTH);
    const parts: Uint8Array[] = [];
    for (let i = 0; i < count; i++) {
      const start = offset + i * segment;
      const size = Math.min(segment, offset + length - start);
      writeDataOut(headers, i * BHS_LENGTH, {
        final: i === count - 1,
        lun: task.lunField,
        itt: task.itt,
        ttt,
        expStatSN: this.expStatSN,
        dataSN: i,
        bufferOffset: start,
        dataLength: size,
      });
      parts.push(headers.subarray(i * BHS_LENGTH, (i + 1) * BHS_LENGTH), out.subarray(start, start + size));
      if (padding(size) > 0) parts.push(Buffer.alloc(padding(size)));
    }
    this.conn.send(parts);
  }

  private receive(pdu: RawPdu): void {
    if (this.failure) return;
    const { bhs } = pdu;
    switch (opcodeOf(bhs)) {
      case Op.ScsiResponse: {
        this.updateSequence(bhs, true);
        const task = this.taskFor(bhs);
        if (!task) return;
        const r = parseScsiResponse(pdu);
        if (r.response !== 0) {
          this.finish(task);
          task.reject(
            new IscsiProtocolError(
              `the target failed ${task.request.cdb.name} (iSCSI response 0x${r.response.toString(16)})`,
            ),
          );
          return;
        }
        this.settle(task, {
          status: r.status,
          data: this.dataOf(task, r.underflow, r.residual),
          // The PDU's buffer is reused once this call returns.
          sense: r.sense && Buffer.from(r.sense),
        });
        return;
      }
      case Op.DataIn: {
        const d = parseDataIn(bhs);
        this.updateSequence(bhs, d.hasStatus);
        const task = this.taskFor(bhs);
        if (!task) return;
        if (!task.dataIn || d.bufferOffset + pdu.data.length > task.dataIn.length) {
          this.fail(new IscsiProtocolError(`Data-In beyond the expected length of ${task.request.cdb.name}`));
          return;
        }
        pdu.data.copy(task.dataIn, d.bufferOffset);
        task.received += pdu.data.length;
        if (d.hasStatus)
          this.settle(task, {
            status: d.status,
            data: this.dataOf(task, d.underflow, d.residual),
            sense: undefined,
          });
        return;
      }
      case Op.R2T: {
        this.updateSequence(bhs, false);
        const task = this.taskFor(bhs);
        if (!task) return;
        const r2t = parseR2T(bhs);
        const size = task.request.dataOut?.length ?? 0;
        if (r2t.bufferOffset + r2t.desiredLength > size || r2t.desiredLength === 0) {
          this.fail(new IscsiProtocolError(`R2T outside the data of ${task.request.cdb.name}`));
          return;
        }
        this.sendDataOut(task, r2t.ttt, r2t.bufferOffset, r2t.desiredLength);
        return;
      }
      case Op.NopIn: {
        const ping = ittOf(bhs) === RESERVED_TAG;
        this.updateSequence(bhs, !ping);
        const ttt = tttOf(bhs);
        if (ping && ttt !== RESERVED_TAG) {
          const lun = Buffer.from(bhs.subarray(8, 16));
          const echo = nopOut({
            lun,
            itt: RESERVED_TAG,
            ttt,
            cmdSN: this.cmdSN,
            expStatSN: this.expStatSN,
            dataLength: pdu.data.length,
          });
          const echoed = Buffer.from(pdu.data);
          this.conn.send(echoed.length > 0 ? [echo, echoed, Buffer.alloc(padding(echoed.length))] : [echo]);
        }
        return;
      }
      case Op.LogoutResponse: {
        this.updateSequence(bhs, true);
        const w = this.logoutWaiter;
        this.logoutWaiter = undefined;
        w?.({ bhs: Buffer.from(bhs), data: Buffer.alloc(0) });
        return;
      }
      case Op.AsyncMessage:
        this.updateSequence(bhs, true);
        this.onAsyncMessage(bhs);
        return;
      case Op.Reject: {
        this.updateSequence(bhs, true);
        const { reason, rejectedItt } = parseReject(pdu);
        const task = rejectedItt === undefined ? undefined : this.tasks.get(rejectedItt);
        const error = new IscsiProtocolError(`the target rejected a PDU: ${reason}`);
        if (task) {
          this.finish(task);
          task.reject(error);
        } else this.fail(error);
        return;
      }
      default:
        this.options.logger.debug('iSCSI PDU ignored', { opcode: opcodeOf(bhs) });
    }
  }

  private onAsyncMessage(bhs: Buffer): void {
    const m = parseAsyncMessage(bhs);
    if (m.event === 0 || m.event >= 248) {
      this.options.logger.debug('iSCSI asynchronous event', { event: m.event });
      return;
    }
    const why: Record<number, string> = {
      1: 'the target asked for a logout',
      2: 'the target is dropping the connection',
      3: 'the target is dropping the session',
      4: 'the target asked to renegotiate parameters',
    };
    this.options.logger.warn('iSCSI target ended the session', { event: m.event });
    this.fail(
      new IscsiConnectionError({ portal: this.portal, reason: why[m.event] ?? `async event ${m.event}` }),
    );
  }

  private updateSequence(bhs: Buffer, carriesStatus: boolean): void {
    const sn = sequenceNumbers(bhs);
    if (carriesStatus && serialAtMost(this.expStatSN, sn.statSN)) this.expStatSN = serialAdd(sn.statSN, 1);
    // A MaxCmdSN below ExpCmdSN − 1 is invalid and ignored (RFC 7143 § 4.2.2.1).
    if (serialAtMost(serialAdd(sn.expCmdSN, -1), sn.maxCmdSN) && serialLessThan(this.maxCmdSN, sn.maxCmdSN)) {
      this.maxCmdSN = sn.maxCmdSN;
      this.pump();
    }
  }

  private taskFor(bhs: Buffer): Task | undefined {
    const task = this.tasks.get(ittOf(bhs));
    if (!task) this.fail(new IscsiProtocolError(`PDU for unknown task 0x${ittOf(bhs).toString(16)}`));
    return task;
  }

  private dataOf(task: Task, underflow: boolean, residual: number): Buffer {
    if (!task.dataIn) return Buffer.alloc(0);
    const expected = task.dataIn.length;
    return task.dataIn.subarray(
      0,
      underflow ? Math.max(0, expected - residual) : Math.min(task.received, expected),
    );
  }

  private settle(task: Task, result: ScsiResult): void {
    this.finish(task);
    task.resolve(result);
  }

  private finish(task: Task): void {
    clearTimeout(task.timer);
    this.tasks.delete(task.itt);
    if (this.tasks.size === 0) for (const w of this.idleWaiters.splice(0)) w();
  }

  private whenIdle(timeoutMs: number, signal: AbortSignal | undefined): Promise<unknown> {
    if (this.tasks.size === 0) return Promise.resolve();
    return withTimeout(new Promise<void>((resolve) => this.idleWaiters.push(resolve)), timeoutMs, signal);
  }

  private fail(error: IscsiError): void {
    if (this.failure) return;
    this.failure = error;
    this.conn.close();
    this.queue.length = 0;
    for (const task of [...this.tasks.values()]) {
      this.finish(task);
      task.reject(error);
    }
    this.logoutWaiter = undefined;
    for (const w of this.idleWaiters.splice(0)) w();
  }
}

/** Resolves with the promise's value, or undefined after `ms` or when the signal aborts. */
function withTimeout<T>(
  promise: Promise<T>,
  ms: number,
  signal: AbortSignal | undefined,
): Promise<T | undefined> {
  return new Promise((resolve) => {
    const done = (v: T | undefined): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve(v);
    };
    const onAbort = (): void => done(undefined);
    const timer = setTimeout(() => done(undefined), ms);
    signal?.addEventListener('abort', onAbort, { once: true });
    promise.then(done, () => done(undefined));
  });
}
