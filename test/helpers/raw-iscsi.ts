/**
 * A bare-hands iSCSI initiator for tests that must send what a well-behaved initiator never
 * would (a wrong DataSN, a reused ISID, a command outside the CmdSN window): PDUs are built and
 * read byte by byte.
 */
import { connect, type Socket } from 'node:net';

export interface RawPdu {
  bhs: Buffer;
  data: Buffer;
}

const pad = (n: number): number => (4 - (n % 4)) % 4;

export function keys(pairs: Record<string, string>): Buffer {
  return Buffer.from(
    Object.entries(pairs)
      .map(([k, v]) => `${k}=${v}\0`)
      .join(''),
  );
}

export function parseKeys(data: Buffer): Array<[string, string]> {
  return data
    .toString('utf8')
    .split('\0')
    .filter((s) => s !== '')
    .map((s) => [s.slice(0, s.indexOf('=')), s.slice(s.indexOf('=') + 1)]);
}

export class RawInitiator {
  cmdSN = 1;
  expStatSN = 0;
  readonly closed: Promise<void>;
  private buffered = Buffer.alloc(0);
  private readonly queue: RawPdu[] = [];
  private waiter: (() => void) | undefined;

  private constructor(readonly socket: Socket) {
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.on('error', () => {});
    socket.on('data', (chunk: Buffer) => {
      this.buffered = Buffer.concat([this.buffered, chunk]);
      for (;;) {
        if (this.buffered.length < 48) break;
        const length = this.buffered.readUIntBE(5, 3);
        const total = 48 + this.buffered[4]! * 4 + length + pad(length);
        if (this.buffered.length < total) break;
        const bhs = Buffer.from(this.buffered.subarray(0, 48));
        const data = Buffer.from(this.buffered.subarray(total - length - pad(length), total - pad(length)));
        this.buffered = this.buffered.subarray(total);
        this.queue.push({ bhs, data });
      }
      this.waiter?.();
    });
    socket.on('close', () => this.waiter?.());
  }

  static connect(port: number): Promise<RawInitiator> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port }, () => resolve(new RawInitiator(socket)));
      socket.once('error', reject);
    });
  }

  send(bhs: Buffer, data: Buffer = Buffer.alloc(0)): void {
    bhs.writeUIntBE(data.length, 5, 3);
    this.socket.write(Buffer.concat([bhs, data, Buffer.alloc(pad(data.length))]));
  }

  /** The next PDU, or undefined if none comes within `ms` or the connection closes. */
  async next(ms = 2000): Promise<RawPdu | undefined> {
    const deadline = Date.now() + ms;
    while (this.queue.length === 0) {
      if (this.socket.destroyed || Date.now() >= deadline) return undefined;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(1, deadline - Date.now()));
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    const pdu = this.queue.shift()!;
    if (pdu.bhs[0]! !== 0x25 || (pdu.bhs[1]! & 0x01) !== 0) this.expStatSN = pdu.bhs.readUInt32BE(24) + 1;
    return pdu;
  }

  /** A one-PDU login straight to full feature phase (operational stage, no authentication). */
  async login(
    pairs: Record<string, string>,
    isid: Buffer = Buffer.from([0x80, 1, 2, 3, 0, 0]),
  ): Promise<RawPdu> {
    const bhs = Buffer.alloc(48);
    bhs[0] = 0x43;
    bhs[1] = 0x87; // T, CSG operational, NSG full feature
    isid.copy(bhs, 8);
    bhs.writeUInt32BE(0x1000, 16);
    bhs.writeUInt32BE(this.cmdSN, 24);
    this.send(bhs, keys(pairs));
    const answer = await this.next();
    if (answer === undefined) throw new Error('no Login Response');
    return answer;
  }

  /** A SCSI Command PDU (SIMPLE attribute). */
  command(f: {
    itt: number;
    cdb: Buffer;
    read?: number;
    write?: number;
    final?: boolean;
    cmdSN?: number;
  }): void {
    const bhs = Buffer.alloc(48);
    bhs[0] = 0x01;
    bhs[1] = (f.final === false ? 0 : 0x80) | (f.read ? 0x40 : 0) | (f.write ? 0x20 : 0) | 0x01;
    bhs[9] = 1; // LUN 1
    bhs.writeUInt32BE(f.itt, 16);
    bhs.writeUInt32BE(f.read ?? f.write ?? 0, 20);
    bhs.writeUInt32BE(f.cmdSN ?? this.cmdSN++, 24);
    bhs.writeUInt32BE(this.expStatSN, 28);
    f.cdb.copy(bhs, 32);
    this.send(bhs);
  }

  /** A Data-Out PDU. */
  dataOut(f: {
    itt: number;
    ttt: number;
    dataSN: number;
    offset: number;
    data: Buffer;
    final: boolean;
  }): void {
    const bhs = Buffer.alloc(48);
    bhs[0] = 0x05;
    bhs[1] = f.final ? 0x80 : 0;
    bhs[9] = 1;
    bhs.writeUInt32BE(f.itt, 16);
    bhs.writeUInt32BE(f.ttt, 20);
    bhs.writeUInt32BE(this.expStatSN, 28);
    bhs.writeUInt32BE(f.dataSN, 36);
    bhs.writeUInt32BE(f.offset, 40);
    this.send(bhs, f.data);
  }

  /** A Text Request (non-immediate). */
  text(itt: number, data: Buffer, ttt = 0xffffffff): void {
    const bhs = Buffer.alloc(48);
    bhs[0] = 0x04;
    bhs[1] = 0x80;
    bhs.writeUInt32BE(itt, 16);
    bhs.writeUInt32BE(ttt, 20);
    bhs.writeUInt32BE(this.cmdSN++, 24);
    bhs.writeUInt32BE(this.expStatSN, 28);
    this.send(bhs, data);
  }

  /** An immediate NOP-Out ping with data. */
  ping(itt: number, data: Buffer): void {
    const bhs = Buffer.alloc(48);
    bhs[0] = 0x40;
    bhs[1] = 0x80;
    bhs.writeUInt32BE(itt, 16);
    bhs.writeUInt32BE(0xffffffff, 20);
    bhs.writeUInt32BE(this.cmdSN, 24);
    bhs.writeUInt32BE(this.expStatSN, 28);
    this.send(bhs, data);
  }

  close(): void {
    this.socket.destroy();
  }
}
