/**
 * One TCP connection of the target: frames what arrives into PDUs for the current phase (login,
 * then full feature), stamps StatSN / ExpCmdSN / MaxCmdSN on what leaves, keeps the CmdSN window
 * (RFC 7143 § 4.2.2.1), and can be frozen whole — nothing read, nothing sent — to simulate a
 * target that stops answering.
 */
import { randomInt } from 'node:crypto';
import type { Socket } from 'node:net';
import { reject as rejectPdu, stamp } from './responses.js';
import {
  BHS_BYTES,
  FramingError,
  type InboundPdu,
  LOGIN_SEGMENT_BYTES,
  Opcode,
  PduReader,
  padTo4,
  RejectReason,
} from './wire.js';

/** Serial number comparison (RFC 1982) on 32-bit sequence numbers. */
export function serialBefore(a: number, b: number): boolean {
  return a !== b && (b - a) >>> 0 < 0x80000000;
}

/** Handles the PDUs of one phase of the connection. */
export interface PhaseHandler {
  /** One PDU, in arrival order; work it starts may finish later. */
  handle(pdu: InboundPdu): void;
  /** The connection is gone. */
  closed(): void;
}

const PADDING = Buffer.alloc(3);

export class TargetConnection {
  /** Next StatSN (RFC 7143 lets the target pick the first one). */
  statSN = randomInt(1, 0x7fffffff);
  /** Next CmdSN expected. */
  expCmdSN = 0;
  /** Commands the initiator may have outstanding. */
  window = 32;
  /** Non-immediate commands received and not yet answered. */
  inFlight = 0;
  readonly reader = new PduReader(LOGIN_SEGMENT_BYTES);
  readonly remoteAddress: string;
  /** The address the initiator reached us at, as SendTargets reports it. */
  readonly localAddress: string;
  private maxCmdSN = 0;
  private handler: PhaseHandler | undefined;
  private readonly pending: InboundPdu[] = [];
  private frozen: { outbound: Uint8Array[][]; end: boolean } | undefined;
  private gone = false;
  private ending = false;

  constructor(private readonly socket: Socket) {
    socket.setNoDelay(true);
    const host = (address: string | undefined): string =>
      address?.includes(':') ? `[${address}]` : (address ?? '?');
    this.remoteAddress = `${host(socket.remoteAddress)}:${socket.remotePort ?? '?'}`;
    this.localAddress = `${host(socket.localAddress)}:${socket.localPort ?? '?'}`;
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    // A reset or a vanished initiator ends the connection like a close does.
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.onClosed());
  }

  /** Installs the handler of the next phase. */
  use(handler: PhaseHandler): void {
    this.handler = handler;
  }

  /** Whether the connection is frozen (a stall): its timers must not run either. */
  get isFrozen(): boolean {
    return this.frozen !== undefined;
  }

  /** Whether the connection has ended. */
  get ended(): boolean {
    return this.gone;
  }

  /** MaxCmdSN now: the window beyond ExpCmdSN, less what is in flight; it never moves back. */
  currentMaxCmdSN(): number {
    const candidate = (this.expCmdSN - 1 + this.window - this.inFlight) >>> 0;
    if (this.maxCmdSN === 0 || serialBefore(this.maxCmdSN, candidate)) this.maxCmdSN = candidate;
    return this.maxCmdSN;
  }

  /**
   * Sends a PDU. `status`: it carries status (SCSI Response, Data-In with S, NOP-In answering a
   * ping, Text/Login/Logout/TMF Response, Reject), so StatSN advances after it.
   */
  send(bhs: Buffer, data: Buffer | undefined, status: boolean): void {
    // A Data-In without status has no StatSN (reserved); every other PDU shows the next one.
    const statSN = status || bhs[0] !== Opcode.DataIn ? this.statSN : 0;
    stamp(bhs, statSN, this.expCmdSN, this.currentMaxCmdSN());
    if (status) this.statSN = (this.statSN + 1) >>> 0;
    const parts: Uint8Array[] = [bhs];
    if (data !== undefined && data.length > 0) {
      parts.push(data);
      const pad = padTo4(data.length);
      if (pad > 0) parts.push(PADDING.subarray(0, pad));
    }
    this.write(parts);
  }

  /** Rejects a PDU (RFC 7143 § 11.17), echoing its header. */
  reject(reason: number, rejected: Buffer): void {
    this.send(rejectPdu(reason), Buffer.from(rejected.subarray(0, BHS_BYTES)), true);
  }

  /** Resolves once the socket can take more (reads stream without buffering whole LUNs). */
  drained(): Promise<void> {
    if (this.gone || !this.socket.writableNeedDrain) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        this.socket.off('drain', done);
        this.socket.off('close', done);
        resolve();
      };
      this.socket.on('drain', done);
      this.socket.on('close', done);
    });
  }

  /** Stops or resumes reading (backpressure while writes to the LUN pile up). */
  pauseReading(paused: boolean): void {
    if (paused) this.socket.pause();
    else this.socket.resume();
  }

  /** Freezes the connection: nothing more is handled or sent until {@link thaw}. */
  freeze(): void {
    this.frozen ??= { outbound: [], end: false };
  }

  /** Sends what was held back, then handles what arrived meanwhile. */
  thaw(): void {
    const held = this.frozen;
    this.frozen = undefined;
    if (held === undefined || this.gone) return;
    for (const parts of held.outbound) this.write(parts);
    if (held.end) this.socket.end();
    else this.process();
  }

  /** Ends the connection after what was sent has left (logout, login failure). */
  end(): void {
    // Nothing more is handled: what follows a logout, a refused login or a violation is moot.
    this.ending = true;
    if (this.frozen) this.frozen.end = true;
    else this.socket.end();
  }

  /** Drops the connection at once, without a word to the initiator. */
  drop(): void {
    this.socket.destroy();
  }

  private write(parts: Uint8Array[]): void {
    if (this.gone) return;
    if (this.frozen) {
      this.frozen.outbound.push(parts);
      return;
    }
    this.socket.cork();
    for (const p of parts) this.socket.write(p);
    this.socket.uncork();
  }

  private receive(chunk: Buffer): void {
    if (this.gone || this.ending) return;
    try {
      // Framing goes on while frozen; only handling waits.
      this.pending.push(...this.reader.push(chunk));
    } catch (e) {
      if (e instanceof FramingError) this.reject(RejectReason.ProtocolError, e.bhs);
      this.end();
      return;
    }
    this.process();
  }

  private process(): void {
    while (!this.frozen && !this.gone && !this.ending && this.pending.length > 0)
      this.handler?.handle(this.pending.shift()!);
  }

  private onClosed(): void {
    if (this.gone) return;
    this.gone = true;
    this.frozen = undefined;
    this.handler?.closed();
  }
}
