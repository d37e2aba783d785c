/**
 * One TCP connection to an iSCSI portal, carrying PDUs: connect with a timeout and an
 * AbortSignal, frame the byte stream into PDUs, send several PDUs in one write.
 */
import { connect, type Socket } from 'node:net';
import { IscsiConnectionError, IscsiProtocolError, IscsiTimeout } from '../../../errors/index.js';
import { ahsLength, BHS_LENGTH, dataSegmentLength, padding, type RawPdu } from '../protocol/pdu.js';

/** Options of {@link PduConnection.open}. */
export interface ConnectOptions {
  /** Target address. */
  host: string;
  /** Target port. */
  port: number;
  /** Milliseconds before the TCP connect is abandoned. */
  timeoutMs: number;
  /** Cancels the connect. */
  signal?: AbortSignal | undefined;
}

const READ_BUFFER_BYTES = 256 * 1024;

/**
 * Splits a byte stream into PDUs; refuses data segments larger than the limit. The chunks it is
 * given may be overwritten after `push` returns (the socket reuses its read buffer), so a PDU
 * handed to `emit` is valid only during that call, and what is kept across calls is copied.
 */
export class PduFramer {
  private readonly chunks: Buffer[] = [];
  private queued = 0;
  private bhs: Buffer | undefined;
  private bodyLength = 0;

  /** @param maxDataSegment largest data segment accepted (a larger one is a protocol error). */
  constructor(public maxDataSegment: number) {}

  /** Adds bytes; calls `emit` for every PDU completed. */
  push(chunk: Buffer, emit: (pdu: RawPdu) => void): void {
    this.chunks.push(chunk);
    this.queued += chunk.length;
    try {
      this.frame(emit);
    } finally {
      this.keep();
    }
  }

  private frame(emit: (pdu: RawPdu) => void): void {
    for (;;) {
      if (this.bhs === undefined) {
        if (this.queued < BHS_LENGTH) return;
        const bhs = this.take(BHS_LENGTH);
        const length = dataSegmentLength(bhs);
        if (length > this.maxDataSegment) {
          throw new IscsiProtocolError(
            `target sent a ${length}-byte data segment, more than the ${this.maxDataSegment} negotiated`,
          );
        }
        this.bhs = bhs;
        this.bodyLength = ahsLength(bhs) + length + padding(length);
      }
      if (this.queued < this.bodyLength) return;
      const bhs = this.bhs;
      const body = this.bodyLength === 0 ? Buffer.alloc(0) : this.take(this.bodyLength);
      this.bhs = undefined;
      const ahs = ahsLength(bhs);
      emit({ bhs, data: body.subarray(ahs, ahs + dataSegmentLength(bhs)) });
    }
  }

  /** Copies what is kept for the next `push` out of the caller's buffer. */
  private keep(): void {
    for (let i = 0; i < this.chunks.length; i++) this.chunks[i] = Buffer.from(this.chunks[i]!);
    if (this.bhs !== undefined) this.bhs = Buffer.from(this.bhs);
  }

  private take(n: number): Buffer {
    const first = this.chunks[0]!;
    this.queued -= n;
    if (first.length > n) {
      this.chunks[0] = first.subarray(n);
      return first.subarray(0, n);
    }
    if (first.length === n) {
      this.chunks.shift();
      return first;
    }
    const out = Buffer.allocUnsafe(n);
    let filled = 0;
    while (filled < n) {
      const c = this.chunks[0]!;
      const used = Math.min(c.length, n - filled);
      c.copy(out, filled, 0, used);
      filled += used;
      if (used === c.length) this.chunks.shift();
      else this.chunks[0] = c.subarray(used);
    }
    return out;
  }
}

/** A connected socket speaking PDUs. */
export class PduConnection {
  /** Called for every PDU received. */
  onPdu: (pdu: RawPdu) => void = () => {};
  /** Called once when the connection ends for any reason other than {@link PduConnection.close}. */
  onFailure: (error: IscsiConnectionError | IscsiProtocolError) => void = () => {};
  /** `host:port`. */
  readonly portal: string;
  /** Frames incoming bytes; its limit rises to our MaxRecvDataSegmentLength after login. */
  readonly framer = new PduFramer(8192);
  private closing = false;

  private constructor(
    private readonly socket: Socket,
    reader: { deliver: (chunk: Buffer) => void },
  ) {
    this.portal = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
    reader.deliver = (chunk) => {
      try {
        this.framer.push(chunk, (pdu) => this.onPdu(pdu));
      } catch (e) {
        this.fail(e instanceof IscsiProtocolError ? e : new IscsiProtocolError(String(e), { cause: e }));
      }
    };
    socket.on('error', (e: NodeJS.ErrnoException) => {
      this.fail(new IscsiConnectionError({ portal: this.portal, reason: describeSocketError(e), cause: e }));
    });
    socket.on('close', () => {
      this.fail(new IscsiConnectionError({ portal: this.portal, reason: 'connection closed by the target' }));
    });
  }

  /** Connects to a portal. */
  static open(options: ConnectOptions): Promise<PduConnection> {
    const portal = `${options.host}:${options.port}`;
    return new Promise((resolve, reject) => {
      options.signal?.throwIfAborted();
      // Reads land in one reused buffer: a fresh 64 KiB buffer per read (Node's default) turns a
      // stream of small R2T and response PDUs into gigabytes of garbage and constant full GCs.
      const reader = { deliver: (_chunk: Buffer): void => {} };
      const readBuffer = Buffer.allocUnsafe(READ_BUFFER_BYTES);
      const socket = connect({
        host: options.host,
        port: options.port,
        noDelay: true,
        onread: {
          buffer: readBuffer,
          callback: (n) => {
            reader.deliver(readBuffer.subarray(0, n));
            return true;
          },
        },
      });
      const settle = (error?: Error): void => {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        socket.removeListener('error', onError);
        socket.removeListener('connect', onConnect);
        if (error === undefined) return;
        socket.destroy();
        reject(error);
      };
      const onAbort = (): void => settle(options.signal?.reason as Error);
      const onError = (e: NodeJS.ErrnoException): void =>
        settle(new IscsiConnectionError({ portal, reason: describeSocketError(e), cause: e }));
      const onConnect = (): void => {
        settle();
        socket.setKeepAlive(true, 10_000);
        resolve(new PduConnection(socket, reader));
      };
      const timer = setTimeout(
        () =>
          settle(
            new IscsiTimeout({ kind: 'connect', timeoutMs: options.timeoutMs, what: `connect to ${portal}` }),
          ),
        options.timeoutMs,
      );
      options.signal?.addEventListener('abort', onAbort, { once: true });
      socket.once('error', onError);
      socket.once('connect', onConnect);
    });
  }

  /** Sends PDUs (header and data buffers in order) in as few writes as the socket allows. */
  send(parts: readonly Uint8Array[]): void {
    if (this.closing) return;
    this.socket.cork();
    for (const p of parts) this.socket.write(p);
    this.socket.uncork();
  }

  /** Whether the connection has ended or is ending. */
  get closed(): boolean {
    return this.closing;
  }

  /** Ends the connection without reporting a failure. */
  close(): void {
    this.closing = true;
    this.socket.destroy();
  }

  private fail(error: IscsiConnectionError | IscsiProtocolError): void {
    if (this.closing) return;
    this.closing = true;
    this.socket.destroy();
    this.onFailure(error);
  }
}

function describeSocketError(e: NodeJS.ErrnoException): string {
  switch (e.code) {
    case 'ECONNREFUSED':
      return 'connection refused (is the target listening?)';
    case 'ECONNRESET':
      return 'connection reset by the target';
    case 'EPIPE':
      return 'the target closed the connection';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'no route to the target';
    case 'ENOTFOUND':
      return 'the address does not resolve';
    default:
      return e.code ?? e.message;
  }
}
