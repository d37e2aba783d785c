/**
 * A session in full feature phase (one connection, error recovery level 0): commands taken in
 * CmdSN order within the window, SCSI tasks, NOP-Out/NOP-In both ways, SendTargets, task
 * management and logout. Protocol violations are rejected and end the connection, as a target
 * at ErrorRecoveryLevel 0 does.
 */
import { serialBefore, type TargetConnection } from './connection.js';
import type { LoginResult } from './login.js';
import type { NegotiatedParameters } from './negotiation.js';
import type { PortalContext, SessionRecord, TargetModel } from './portal.js';
import { logoutResponse, nopIn, taskManagementResponse, textResponse } from './responses.js';
import type { LunIdentity } from './scsi/inquiry.js';
import { ScsiTask, type TaskHost } from './scsi-task.js';
import { sendTargets } from './send-targets.js';
import {
  decodeLun,
  type InboundPdu,
  isImmediate,
  ittOf,
  NO_TAG,
  Opcode,
  opcodeOf,
  RejectReason,
} from './wire.js';

/** The PDUs that carry a CmdSN (sequenced unless immediate). */
const ORDERED = new Set<number>([
  Opcode.NopOut,
  Opcode.ScsiCommand,
  Opcode.TaskManagement,
  Opcode.Text,
  Opcode.Logout,
]);

/** Write backlog above which the socket stops being read, and below which it resumes. */
const BACKLOG_HIGH = 64 << 20;
const BACKLOG_LOW = 16 << 20;

export class FullFeatureSession implements TaskHost {
  readonly params: NegotiatedParameters;
  readonly record: SessionRecord;
  private readonly tasks = new Map<number, ScsiTask>();
  /** Non-immediate commands that arrived ahead of a gap in CmdSN. */
  private readonly held = new Map<number, InboundPdu>();
  /** Text responses too long for one PDU, by the TTT the initiator continues with. */
  private readonly textLeft = new Map<number, Buffer>();
  private transferTag = 1;
  private writeBacklog = 0;
  private loggingOut = false;
  private pingTimer: NodeJS.Timeout | undefined;
  private pingOutstanding = false;

  constructor(
    readonly conn: TargetConnection,
    login: LoginResult,
    readonly portal: PortalContext,
    readonly fallbackIdentity: LunIdentity,
  ) {
    this.params = login.parameters;
    this.record = {
      type: login.type,
      initiatorName: login.initiatorName,
      isid: login.isid,
      target: login.target,
      authMethod: login.authMethod,
      mutualChap: login.mutualChap,
      remoteAddress: conn.remoteAddress,
      parameters: login.parameters,
      tsih: 0,
      commands: 0,
      drop: () => conn.drop(),
    };
    const interval = portal.nopInIntervalMs;
    if (interval !== undefined) this.pingTimer = setInterval(() => this.ping(), interval).unref();
  }

  /** The target of a normal session (task host contract; discovery sessions run no tasks). */
  get target(): TargetModel {
    return this.record.target!;
  }

  handle(pdu: InboundPdu): void {
    const op = opcodeOf(pdu.bhs);
    if (op === Opcode.DataOut) {
      this.dataOut(pdu);
      return;
    }
    if (op === Opcode.Snack) {
      this.violation(pdu.bhs, 'SNACK at ErrorRecoveryLevel 0', RejectReason.SnackReject);
      return;
    }
    if (!ORDERED.has(op)) {
      this.violation(pdu.bhs, `opcode 0x${op.toString(16)}`, RejectReason.CommandNotSupported);
      return;
    }
    if (this.loggingOut) {
      this.conn.reject(RejectReason.WaitingForLogout, pdu.bhs);
      return;
    }
    if (isImmediate(pdu.bhs)) {
      this.execute(pdu, false);
      return;
    }
    const cmdSN = pdu.bhs.readUInt32BE(24);
    if (cmdSN === this.conn.expCmdSN) {
      this.accept(pdu);
      for (let next = this.held.get(this.conn.expCmdSN); next; next = this.held.get(this.conn.expCmdSN)) {
        this.held.delete(this.conn.expCmdSN);
        this.accept(next);
      }
    } else if (serialBefore(this.conn.expCmdSN, cmdSN) && !serialBefore(this.conn.currentMaxCmdSN(), cmdSN)) {
      this.held.set(cmdSN, pdu);
    } else {
      // Outside the window: silently ignored (RFC 7143 § 4.2.2.1).
      this.portal.logger.debug('iSCSI command outside the CmdSN window ignored', {
        cmdSN,
        expCmdSN: this.conn.expCmdSN,
      });
    }
  }

  closed(): void {
    clearInterval(this.pingTimer);
    for (const task of this.tasks.values()) task.abort();
    this.held.clear();
    this.portal.close(this.record);
  }

  /** Settles once every task has ended (their writes to the LUN included). */
  async idle(): Promise<void> {
    while (this.tasks.size > 0) await Promise.all([...this.tasks.values()].map((t) => t.done));
  }

  nextTransferTag(): number {
    const tag = this.transferTag;
    this.transferTag = this.transferTag >= 0x7fffffff ? 1 : this.transferTag + 1;
    return tag;
  }

  finished(task: ScsiTask): void {
    if (this.tasks.get(task.itt) !== task) return;
    this.tasks.delete(task.itt);
    if (task.counted) this.conn.inFlight--;
  }

  violation(bhs: Buffer, why: string, reason: number = RejectReason.ProtocolError): void {
    this.portal.logger.warn('iSCSI protocol violation: connection dropped', {
      initiator: this.record.initiatorName,
      reason: why,
    });
    this.conn.reject(reason, bhs);
    this.conn.end();
  }

  backlog(delta: number): void {
    const before = this.writeBacklog;
    this.writeBacklog += delta;
    if (before < BACKLOG_HIGH && this.writeBacklog >= BACKLOG_HIGH) this.conn.pauseReading(true);
    if (before > BACKLOG_LOW && this.writeBacklog <= BACKLOG_LOW) this.conn.pauseReading(false);
  }

  /** A non-immediate command in CmdSN order. */
  private accept(pdu: InboundPdu): void {
    this.conn.expCmdSN = (this.conn.expCmdSN + 1) >>> 0;
    this.execute(pdu, true);
  }

  private execute(pdu: InboundPdu, counted: boolean): void {
    switch (opcodeOf(pdu.bhs)) {
      case Opcode.ScsiCommand:
        this.scsiCommand(pdu, counted);
        return;
      case Opcode.NopOut:
        this.nopOut(pdu);
        return;
      case Opcode.Text:
        this.text(pdu);
        return;
      case Opcode.TaskManagement:
        this.taskManagement(pdu, counted);
        return;
      case Opcode.Logout:
        void this.logout(pdu);
        return;
    }
  }

  private scsiCommand(pdu: InboundPdu, counted: boolean): void {
    if (this.record.type === 'discovery') {
      this.violation(pdu.bhs, 'SCSI command in a discovery session');
      return;
    }
    const itt = ittOf(pdu.bhs);
    if (this.tasks.has(itt)) {
      this.conn.reject(RejectReason.TaskInProgress, pdu.bhs);
      return;
    }
    const task = new ScsiTask(this, Buffer.from(pdu.bhs), counted);
    const counters = this.portal.counters;
    counters.commands.set(task.name, (counters.commands.get(task.name) ?? 0) + 1);
    this.record.commands++;
    if (this.portal.faults.dropAfterCommand()) {
      this.conn.drop();
      return;
    }
    this.tasks.set(itt, task);
    if (counted) this.conn.inFlight++;
    counters.peakInFlight = Math.max(counters.peakInFlight, this.conn.inFlight);
    const stall = this.portal.faults.stallAt('command');
    if (stall === undefined) {
      task.start(pdu.data);
      return;
    }
    // Frozen with this command received but not started; the thaw runs it, then the rest.
    this.conn.freeze();
    stall(() => {
      if (this.conn.ended) return;
      task.start(pdu.data);
      this.conn.thaw();
    });
  }

  private dataOut(pdu: InboundPdu): void {
    const task = this.tasks.get(ittOf(pdu.bhs));
    // Unsolicited data of a command already answered (early CHECK CONDITION) is dropped.
    if (task === undefined) {
      if (pdu.bhs.readUInt32BE(20) !== NO_TAG) this.violation(pdu.bhs, 'Data-Out for no task');
      return;
    }
    task.dataOut(pdu);
  }

  private nopOut({ bhs, data }: InboundPdu): void {
    const itt = ittOf(bhs);
    if (itt === NO_TAG) {
      // The answer to our NOP-In (or a NOP-Out that wants no answer).
      if (bhs.readUInt32BE(20) !== NO_TAG) this.pingOutstanding = false;
      return;
    }
    const echo = data.subarray(0, Math.min(data.length, this.params.maxXmitDataSegmentLength));
    this.conn.send(nopIn({ itt, ttt: NO_TAG, dataLength: echo.length }), Buffer.from(echo), true);
  }

  /** Target-initiated NOP-In; an earlier one still unanswered ends the connection. */
  private ping(): void {
    if (this.conn.isFrozen) return;
    if (this.pingOutstanding) {
      this.portal.logger.warn('iSCSI initiator did not answer NOP-In: connection dropped', {
        initiator: this.record.initiatorName,
      });
      this.conn.drop();
      return;
    }
    this.pingOutstanding = true;
    this.conn.send(nopIn({ itt: NO_TAG, ttt: this.nextTransferTag(), dataLength: 0 }), undefined, false);
  }

  private text({ bhs, data }: InboundPdu): void {
    const itt = ittOf(bhs);
    const ttt = bhs.readUInt32BE(20);
    let payload: Buffer;
    if (ttt !== NO_TAG) {
      payload = this.textLeft.get(ttt) ?? Buffer.alloc(0);
      this.textLeft.delete(ttt);
    } else {
      const answer = sendTargets(data, this.record, this.portal, this.conn.localAddress);
      if (answer === undefined) {
        this.violation(bhs, 'malformed Text Request');
        return;
      }
      payload = answer;
    }
    const room = this.params.maxXmitDataSegmentLength;
    const part = payload.subarray(0, room);
    const rest = payload.subarray(part.length);
    const final = rest.length === 0;
    const next = final ? NO_TAG : this.nextTransferTag();
    if (!final) this.textLeft.set(next, rest);
    this.conn.send(textResponse({ final, itt, ttt: next, dataLength: part.length }), part, true);
  }

  private taskManagement({ bhs }: InboundPdu, counted: boolean): void {
    const itt = ittOf(bhs);
    const fn = bhs[1]! & 0x7f;
    const referenced = this.tasks.get(bhs.readUInt32BE(20));
    const respond = (response: number): void => {
      if (!this.conn.ended) this.conn.send(taskManagementResponse({ itt, response }), undefined, true);
      if (counted) this.conn.inFlight--;
    };
    if (counted) this.conn.inFlight++;
    const abortAll = (which: ScsiTask[]): void => {
      for (const t of which) t.abort();
      void Promise.all(which.map((t) => t.done)).then(() => respond(0));
    };
    const lun = decodeLun(bhs);
    switch (fn) {
      case 1: // ABORT TASK
        if (referenced !== undefined) {
          abortAll([referenced]);
          return;
        }
        // A task no longer here was answered already: complete; one never received: no such task.
        respond(serialBefore(bhs.readUInt32BE(32), this.conn.expCmdSN) ? 0 : 1);
        return;
      case 2: // ABORT TASK SET
      case 3: // CLEAR TASK SET
      case 5: // LOGICAL UNIT RESET
        abortAll([...this.tasks.values()].filter((t) => t.lun === lun));
        return;
      case 4: // CLEAR ACA
        respond(0);
        return;
      case 6: // TARGET WARM RESET
        abortAll([...this.tasks.values()]);
        return;
      case 7: // TARGET COLD RESET
        respond(0);
        this.conn.end();
        return;
      case 8: // TASK REASSIGN: needs ErrorRecoveryLevel 2
        respond(4);
        return;
      default:
        respond(5);
        return;
    }
  }

  private async logout({ bhs }: InboundPdu): Promise<void> {
    this.loggingOut = true;
    const reason = bhs[1]! & 0x7f;
    await this.idle();
    if (this.conn.ended) return;
    this.conn.send(
      logoutResponse({
        itt: ittOf(bhs),
        // Closing the session or this connection: done. Removing it for recovery needs ERL 2.
        response: reason === 2 ? 2 : 0,
        time2Wait: this.params.defaultTime2Wait,
        time2Retain: 0,
      }),
      undefined,
      true,
    );
    this.portal.close(this.record);
    this.conn.end();
  }
}
