import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PduFramer } from '../../../src/deploy/iscsi/initiator/connection.js';
import { chapResponse, decodeChapBinary, encodeChapBinary } from '../../../src/deploy/iscsi/protocol/chap.js';
import {
  dataSegmentLength,
  encodeLun,
  Op,
  opcodeOf,
  type RawPdu,
  Stage,
} from '../../../src/deploy/iscsi/protocol/pdu.js';
import {
  parseDataIn,
  parseLoginResponse,
  parseR2T,
  parseScsiResponse,
} from '../../../src/deploy/iscsi/protocol/pdu-in.js';
import { loginRequest, scsiCommand, writeDataOut } from '../../../src/deploy/iscsi/protocol/pdu-out.js';
import { serialAdd, serialAtMost, serialLessThan } from '../../../src/deploy/iscsi/protocol/serial.js';
import { decodeText, encodeText } from '../../../src/deploy/iscsi/protocol/text.js';
import { IscsiProtocolError } from '../../../src/index.js';

function pdu(opcode: number, data: Buffer, tag: number): Buffer {
  const bhs = Buffer.alloc(48);
  bhs[0] = opcode;
  bhs.writeUIntBE(data.length, 5, 3);
  bhs.writeUInt32BE(tag, 16);
  const pad = (4 - (data.length % 4)) % 4;
  return Buffer.concat([bhs, data, Buffer.alloc(pad)]);
}

describe('PDU encoding (RFC 7143 § 11)', () => {
  it('encodes a Login Request with the stage bits, ISID, CID and sequence numbers', () => {
    const isid = Buffer.from([0x80, 1, 2, 3, 0, 0]);
    const bhs = loginRequest({
      transit: true,
      csg: Stage.Operational,
      nsg: Stage.FullFeature,
      isid,
      tsih: 0,
      itt: 9,
      cid: 0,
      cmdSN: 1,
      expStatSN: 5,
      dataLength: 300,
    });
    expect(bhs[0]).toBe(0x43); // immediate + opcode 0x03
    expect(bhs[1]).toBe(0x80 | (1 << 2) | 3);
    expect(dataSegmentLength(bhs)).toBe(300);
    expect(bhs.subarray(8, 14)).toEqual(isid);
    expect([bhs.readUInt32BE(16), bhs.readUInt32BE(24), bhs.readUInt32BE(28)]).toEqual([9, 1, 5]);
  });

  it('encodes a SCSI Command: F, R and W bits, SIMPLE attribute, expected length, CDB', () => {
    const cdb = Buffer.from([0x8a, 0, 0, 0, 0, 0, 0, 0, 0, 8, 0, 0, 0, 16, 0, 0]);
    const w = scsiCommand({
      lun: encodeLun(1),
      itt: 3,
      cmdSN: 10,
      expStatSN: 2,
      cdb,
      writeLength: 8192,
      readLength: 0,
      immediateLength: 4096,
      final: false,
    });
    expect(opcodeOf(w)).toBe(Op.ScsiCommand);
    expect(w[1]).toBe(0x20 | 0x01); // W, not F, SIMPLE
    expect(dataSegmentLength(w)).toBe(4096);
    expect(w.readUInt32BE(20)).toBe(8192);
    expect(w.subarray(32, 48)).toEqual(cdb);
    const r = scsiCommand({
      ...{ lun: encodeLun(0), itt: 4, cmdSN: 11, expStatSN: 2, cdb },
      writeLength: 0,
      readLength: 512,
      immediateLength: 0,
      final: true,
    });
    expect(r[1]).toBe(0x80 | 0x40 | 0x01);
    expect(r.readUInt32BE(20)).toBe(512);
  });

  it('encodes LUNs with peripheral and flat addressing', () => {
    expect(encodeLun(1)).toEqual(Buffer.from([0, 1, 0, 0, 0, 0, 0, 0]));
    expect(encodeLun(300)).toEqual(Buffer.from([0x41, 0x2c, 0, 0, 0, 0, 0, 0]));
  });

  it('writes Data-Out headers in place', () => {
    const slab = Buffer.alloc(96, 0xff);
    writeDataOut(slab, 48, {
      final: true,
      lun: encodeLun(2),
      itt: 7,
      ttt: 0x1234,
      expStatSN: 9,
      dataSN: 3,
      bufferOffset: 65536,
      dataLength: 8192,
    });
    expect(slab.subarray(0, 48).every((b) => b === 0xff)).toBe(true);
    const h = slab.subarray(48);
    expect([h[0], h[1], dataSegmentLength(h), h[9]]).toEqual([0x05, 0x80, 8192, 2]);
    expect([h.readUInt32BE(16), h.readUInt32BE(20), h.readUInt32BE(36), h.readUInt32BE(40)]).toEqual([
      7, 0x1234, 3, 65536,
    ]);
  });

  it('reads Login Responses, SCSI Responses with sense, Data-In and R2T', () => {
    const login = Buffer.alloc(48);
    login[0] = Op.LoginResponse;
    login[1] = 0x80 | (1 << 2) | 3;
    login.writeUInt16BE(0x1234, 14);
    login[36] = 2;
    login[37] = 1;
    expect(parseLoginResponse(login)).toMatchObject({
      transit: true,
      csg: 1,
      nsg: 3,
      tsih: 0x1234,
      statusClass: 2,
      statusDetail: 1,
    });

    const sense = Buffer.from([0x70, 0, 0x05, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0x24, 0x00]);
    const resp = Buffer.alloc(48);
    resp[0] = Op.ScsiResponse;
    resp[1] = 0x82;
    resp[3] = 0x02;
    resp.writeUInt32BE(100, 44);
    const data = Buffer.concat([Buffer.from([0, sense.length]), sense]);
    expect(parseScsiResponse({ bhs: resp, data })).toMatchObject({
      status: 2,
      underflow: true,
      residual: 100,
      sense,
    });

    const din = Buffer.alloc(48);
    din[1] = 0x81;
    din.writeUInt32BE(4096, 40);
    expect(parseDataIn(din)).toMatchObject({ final: true, hasStatus: true, bufferOffset: 4096 });
    const r2t = Buffer.alloc(48);
    r2t.writeUInt32BE(0xabc, 20);
    r2t.writeUInt32BE(262144, 40);
    r2t.writeUInt32BE(65536, 44);
    expect(parseR2T(r2t)).toEqual({ ttt: 0xabc, r2tSN: 0, bufferOffset: 262144, desiredLength: 65536 });
  });
});

describe('PduFramer', () => {
  it('rebuilds the same PDUs however the stream is cut, even when the reader reuses its buffer', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 8 }),
        fc.array(fc.integer({ min: 1, max: 97 }), { minLength: 1, maxLength: 20 }),
        (payloads, cuts) => {
          const stream = Buffer.concat(payloads.map((p, i) => pdu(Op.NopIn, Buffer.from(p), i)));
          const framer = new PduFramer(8192);
          const got: Array<[number, string]> = [];
          const reused = Buffer.alloc(128);
          let at = 0;
          for (let i = 0; at < stream.length; i++) {
            const n = Math.min(cuts[i % cuts.length]!, stream.length - at, reused.length);
            stream.copy(reused, 0, at, at + n);
            framer.push(reused.subarray(0, n), (p: RawPdu) =>
              got.push([p.bhs.readUInt32BE(16), p.data.toString('hex')]),
            );
            reused.fill(0xee); // what the socket does with its read buffer next
            at += n;
          }
          expect(got).toEqual(payloads.map((p, i) => [i, Buffer.from(p).toString('hex')]));
        },
      ),
    );
  });

  it('refuses a data segment larger than negotiated', () => {
    const framer = new PduFramer(512);
    expect(() => framer.push(pdu(Op.DataIn, Buffer.alloc(1024), 1), () => {})).toThrow(IscsiProtocolError);
  });
});

describe('text keys, serial numbers, CHAP', () => {
  it('encodes and decodes key=value pairs', () => {
    const text = encodeText([
      ['InitiatorName', 'iqn.2008-10.org.openstack:x'],
      ['AuthMethod', 'CHAP,None'],
    ]);
    expect(text.toString()).toBe('InitiatorName=iqn.2008-10.org.openstack:x\0AuthMethod=CHAP,None\0');
    expect([...decodeText(Buffer.from('A=1\0B=x=y\0Odd\0'))]).toEqual([
      ['A', '1'],
      ['B', 'x=y'],
      ['Odd', ''],
    ]);
  });

  it('compares sequence numbers across the 2^32 wrap (RFC 1982)', () => {
    expect(serialLessThan(0xfffffff0, 5)).toBe(true);
    expect(serialLessThan(5, 0xfffffff0)).toBe(false);
    expect(serialAtMost(7, 7)).toBe(true);
    expect(serialAdd(0xffffffff, 2)).toBe(1);
    expect(serialAdd(0, -1)).toBe(0xffffffff);
  });

  it('computes MD5(identifier ‖ secret ‖ challenge) and parses both binary encodings', () => {
    const challenge = Buffer.from('8f2a0c11d4e5f60718293a4b5c6d7e8f', 'hex');
    // Reference value from Python's hashlib.
    expect(chapResponse(7, 'my-chap-secret-1', challenge).toString('hex')).toBe(
      '035ac2ef582c44e28169e2b85dc9f3e0',
    );
    expect(decodeChapBinary('0x8F2A')).toEqual(Buffer.from([0x8f, 0x2a]));
    expect(decodeChapBinary('0bjyo=')).toEqual(Buffer.from([0x8f, 0x2a]));
    expect(decodeChapBinary('8f2a')).toBeUndefined();
    expect(decodeChapBinary('0x8')).toBeUndefined();
    expect(encodeChapBinary(Buffer.from([1, 255]))).toBe('0x01ff');
  });
});
