/** CDBs for tests that drive an iSCSI session by hand, and a reader of the sense they get back. */
import type { Cdb, ScsiResult } from '../../src/index.js';

function lba10(opcode: number, lba: number, blocks: number, name: string): Cdb {
  const b = Buffer.alloc(10);
  b[0] = opcode;
  b.writeUInt32BE(lba, 2);
  b.writeUInt16BE(blocks, 7);
  return { bytes: b, name };
}

function lba16(opcode: number, lba: number, blocks: number, name: string): Cdb {
  const b = Buffer.alloc(16);
  b[0] = opcode;
  b.writeBigUInt64BE(BigInt(lba), 2);
  b.writeUInt32BE(blocks, 10);
  return { bytes: b, name };
}

export const cdb = {
  testUnitReady: (): Cdb => ({ bytes: Buffer.alloc(6), name: 'TEST UNIT READY' }),
  inquiry(allocation: number, page?: number): Cdb {
    const b = Buffer.from([0x12, page === undefined ? 0 : 1, page ?? 0, 0, 0, 0]);
    b.writeUInt16BE(allocation, 3);
    return { bytes: b, name: 'INQUIRY' };
  },
  reportLuns(): Cdb {
    const b = Buffer.alloc(12);
    b[0] = 0xa0;
    b.writeUInt32BE(256, 6);
    return { bytes: b, name: 'REPORT LUNS' };
  },
  readCapacity10: (): Cdb => ({
    bytes: Buffer.from([0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
    name: 'READ CAPACITY(10)',
  }),
  readCapacity16(): Cdb {
    const b = Buffer.alloc(16);
    b[0] = 0x9e;
    b[1] = 0x10;
    b.writeUInt32BE(32, 10);
    return { bytes: b, name: 'READ CAPACITY(16)' };
  },
  modeSense6: (page: number): Cdb => ({
    bytes: Buffer.from([0x1a, 0, page, 0, 255, 0]),
    name: 'MODE SENSE(6)',
  }),
  read10: (lba: number, blocks: number): Cdb => lba10(0x28, lba, blocks, 'READ(10)'),
  write10: (lba: number, blocks: number): Cdb => lba10(0x2a, lba, blocks, 'WRITE(10)'),
  read16: (lba: number, blocks: number): Cdb => lba16(0x88, lba, blocks, 'READ(16)'),
  write16: (lba: number, blocks: number): Cdb => lba16(0x8a, lba, blocks, 'WRITE(16)'),
  unmap(parameterBytes: number): Cdb {
    const b = Buffer.alloc(10);
    b[0] = 0x42;
    b.writeUInt16BE(parameterBytes, 7);
    return { bytes: b, name: 'UNMAP' };
  },
};

/** Status and fixed-format sense of a result. */
export function senseOf(r: ScsiResult): { status: number; key: number; asc: number; ascq: number } {
  const s = r.sense ?? Buffer.alloc(14);
  return { status: r.status, key: s[2]! & 0x0f, asc: s[12]!, ascq: s[13]! };
}
