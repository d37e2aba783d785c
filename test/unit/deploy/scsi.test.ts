import { describe, expect, it } from 'vitest';
import {
  read16,
  readCapacity16,
  synchronizeCache16,
  write16,
  writeSame16,
} from '../../../src/deploy/iscsi/scsi/cdb.js';
import { parseBlockLimits, parseCapacity16, parseInquiry } from '../../../src/deploy/iscsi/scsi/parse.js';
import { commandFailed, decodeSense, describeStatus } from '../../../src/deploy/iscsi/scsi/sense.js';
import { ScsiCommandFailed } from '../../../src/index.js';

describe('CDBs', () => {
  it('carries 64-bit block addresses (past 2 TiB of 512-byte blocks)', () => {
    const lba = 2 ** 33 + 5;
    const w = write16(lba, 2048).bytes;
    expect(w[0]).toBe(0x8a);
    expect(w.readBigUInt64BE(2)).toBe(BigInt(lba));
    expect(w.readUInt32BE(10)).toBe(2048);
    expect(read16(1, 1).bytes[0]).toBe(0x88);
    expect(writeSame16(0, 65536).bytes.subarray(0, 2)).toEqual(Buffer.from([0x93, 0]));
    expect(writeSame16(0, 65536, true).bytes[1]).toBe(0x08); // UNMAP
    expect(synchronizeCache16().bytes[0]).toBe(0x91);
    const rc = readCapacity16().bytes;
    expect([rc[0], rc[1], rc.readUInt32BE(10)]).toEqual([0x9e, 0x10, 32]);
  });
});

describe('SCSI data', () => {
  it('reads INQUIRY, READ CAPACITY(16) and Block Limits', () => {
    const inq = Buffer.alloc(36);
    inq.write('IET     VIRTUAL-DISK    0001', 8, 'latin1');
    expect(parseInquiry(inq)).toEqual({
      deviceType: 0,
      vendor: 'IET',
      product: 'VIRTUAL-DISK',
      revision: '0001',
    });
    const cap = Buffer.alloc(32);
    cap.writeBigUInt64BE(BigInt(3 * 2 ** 31 - 1), 0);
    cap.writeUInt32BE(512, 8);
    cap[14] = 0xc0;
    expect(parseCapacity16(cap)).toEqual({
      blockCount: 3 * 2 ** 31,
      blockSize: 512,
      thinProvisioned: true,
      unmappedReadsZero: true,
    });
    const bl = Buffer.alloc(64);
    bl.writeUInt32BE(2048, 8);
    expect(parseBlockLimits(bl).maxTransferBlocks).toBe(2048);
  });

  it('decodes fixed and descriptor sense and says what it means', () => {
    const fixed = Buffer.from([0xf0, 0, 0x05, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0x21, 0x00]);
    expect(decodeSense(fixed)).toEqual({ key: 5, asc: 0x21, ascq: 0 });
    const descriptor = Buffer.from([0x72, 0x06, 0x29, 0x00, 0, 0, 0, 0]);
    expect(decodeSense(descriptor)).toEqual({ key: 6, asc: 0x29, ascq: 0 });
    expect(describeStatus(2, { key: 5, asc: 0x21, ascq: 0 })).toBe(
      'CHECK CONDITION, ILLEGAL REQUEST: logical block address out of range (0x21/0x00)',
    );
    expect(describeStatus(0x18, undefined)).toBe('RESERVATION CONFLICT');
    expect(describeStatus(2, { key: 3, asc: 0x99, ascq: 0x01 })).toBe(
      'CHECK CONDITION, MEDIUM ERROR: 0x99/0x01',
    );
  });

  it('turns a status into a typed error with the sense fields', () => {
    const e = commandFailed(
      'WRITE(16)',
      2,
      Buffer.from([0x70, 0, 0x07, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0x27, 0]),
    );
    expect(e).toBeInstanceOf(ScsiCommandFailed);
    expect(e).toMatchObject({
      command: 'WRITE(16)',
      status: 2,
      senseKey: 7,
      asc: 0x27,
      ascq: 0,
      code: 'SCSI_COMMAND_FAILED',
    });
    expect(e.message).toBe(
      'SCSI WRITE(16) failed: CHECK CONDITION, DATA PROTECT: write protected (0x27/0x00)',
    );
  });
});
