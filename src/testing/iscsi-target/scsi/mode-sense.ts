/**
 * MODE SENSE(6) and (10) (SPC-4 § 6.11/6.12, SBC-3 § 6.5), minimal: the caching and control
 * pages and "all pages", current, changeable (nothing is) and default values, with a short or
 * long LBA block descriptor. Saved values are not supported.
 */
import { checkCondition, good, type ScsiOutcome, Sense } from './outcome.js';

/** The LUN facts mode data reports. */
export interface ModeLun {
  blockSize: number;
  blockCount: number;
  readOnly: boolean;
}

const ALL_PAGES = 0x3f;

/** Mode pages by code, current values; `changeable` zeroes every field after the header. */
function pageData(code: number, changeable: boolean): Buffer | undefined {
  let page: Buffer;
  if (code === 0x08) {
    page = Buffer.alloc(20);
    page[2] = 0x04; // WCE: SYNCHRONIZE CACHE makes writes durable
  } else if (code === 0x0a) {
    page = Buffer.alloc(12);
    page[3] = 0x10; // queue algorithm modifier 1: unrestricted reordering
    page.writeUInt16BE(0xffff, 8); // busy timeout period: unlimited
  } else {
    return undefined;
  }
  if (changeable) page.fill(0, 2);
  page[0] = code;
  page[1] = page.length - 2;
  return page;
}

/** MODE SENSE(6) or (10) for `cdb`. */
export function modeSense(cdb: Buffer, lun: ModeLun): ScsiOutcome {
  const ten = cdb[0] === 0x5a;
  const dbd = (cdb[1]! & 0x08) !== 0;
  const longLba = ten && (cdb[1]! & 0x10) !== 0;
  const control = cdb[2]! >> 6;
  const code = cdb[2]! & 0x3f;
  const subpage = cdb[3]!;
  const allocation = ten ? cdb.readUInt16BE(7) : cdb[4]!;
  if (control === 3) return checkCondition(Sense.savingNotSupported);
  if (subpage !== 0 && !(code === ALL_PAGES && subpage === 0xff))
    return checkCondition(Sense.invalidFieldInCdb);
  const codes = code === ALL_PAGES ? [0x08, 0x0a] : [code];
  const pages = codes.map((c) => pageData(c, control === 1));
  if (pages.some((p) => p === undefined)) return checkCondition(Sense.invalidFieldInCdb);

  const descriptor = dbd ? Buffer.alloc(0) : blockDescriptor(lun, longLba);
  const deviceSpecific = (lun.readOnly ? 0x80 : 0) | 0x10; // WP, DPOFUA
  const header = Buffer.alloc(ten ? 8 : 4);
  const body = Buffer.concat([descriptor, ...(pages as Buffer[])]);
  if (ten) {
    header.writeUInt16BE(header.length - 2 + body.length, 0);
    header[3] = deviceSpecific;
    header[4] = longLba && !dbd ? 0x01 : 0;
    header.writeUInt16BE(descriptor.length, 6);
  } else {
    header[0] = header.length - 1 + body.length;
    header[2] = deviceSpecific;
    header[3] = descriptor.length;
  }
  return good(Buffer.concat([header, body]).subarray(0, allocation));
}

function blockDescriptor(lun: ModeLun, long: boolean): Buffer {
  if (long) {
    const d = Buffer.alloc(16);
    d.writeBigUInt64BE(BigInt(lun.blockCount), 0);
    d.writeUInt32BE(lun.blockSize, 12);
    return d;
  }
  const d = Buffer.alloc(8);
  d.writeUInt32BE(Math.min(lun.blockCount, 0xffffffff), 0);
  d.writeUIntBE(lun.blockSize, 5, 3);
  return d;
}
