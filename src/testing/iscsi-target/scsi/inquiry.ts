/**
 * INQUIRY data (SPC-4 § 6.6): the standard page and the vital product data pages initiators
 * read from a disk — supported pages, unit serial number, device identification, and SBC-3's
 * block limits, block device characteristics and logical block provisioning.
 */

/** What INQUIRY tells about a logical unit. */
export interface LunIdentity {
  /** T10 vendor identification (up to 8 characters). */
  vendor: string;
  /** Product identification (up to 16 characters). */
  product: string;
  /** Product revision level (up to 4 characters). */
  revision: string;
  /** Unit serial number. */
  serial: string;
  /** An 8-byte NAA designator (NAA 3, locally assigned). */
  naa: Buffer;
}

/** The LUN facts the pages report. */
export interface InquiryLun {
  identity: LunIdentity;
  blockSize: number;
  thin: boolean;
}

/** Largest READ/WRITE this target accepts (Block Limits MAXIMUM TRANSFER LENGTH). */
export const MAX_TRANSFER_BYTES = 32 << 20;
/** Largest WRITE SAME (Block Limits MAXIMUM WRITE SAME LENGTH), in blocks. */
export const MAX_WRITE_SAME_BLOCKS = 1 << 22;
/** Most LBAs one UNMAP may name, and most descriptors it may carry. */
export const MAX_UNMAP_BLOCKS = 1 << 20;
export const MAX_UNMAP_DESCRIPTORS = 64;

/** Version descriptors: SAM-5, iSCSI, SPC-4, SBC-3 (no version claimed). */
const VERSIONS = [0x00a0, 0x0960, 0x0460, 0x04c0];
const STANDARD_BYTES = 74;
/** The VPD pages this target serves, in ascending order. */
export const VPD_PAGES = [0x00, 0x80, 0x83, 0xb0, 0xb1, 0xb2];

function text(into: Buffer, at: number, width: number, value: string): void {
  into.write(value.padEnd(width, ' ').slice(0, width), at, 'latin1');
}

/** Standard INQUIRY data; for a LUN that does not exist, peripheral qualifier 3 ("not connected"). */
export function standardInquiry(lun: InquiryLun | undefined, fallback: LunIdentity): Buffer {
  const data = Buffer.alloc(STANDARD_BYTES);
  const identity = lun?.identity ?? fallback;
  data[0] = lun === undefined ? 0x7f : 0x00;
  data[2] = 0x06; // SPC-4
  data[3] = 0x12; // HiSup, response data format 2
  data[4] = STANDARD_BYTES - 5;
  data[7] = 0x02; // CmdQue
  text(data, 8, 8, identity.vendor);
  text(data, 16, 16, identity.product);
  text(data, 32, 4, identity.revision);
  VERSIONS.forEach((v, i) => {
    data.writeUInt16BE(v, 58 + 2 * i);
  });
  return data;
}

function page(code: number, body: Buffer): Buffer {
  const head = Buffer.from([0x00, code, 0, 0]);
  head.writeUInt16BE(body.length, 2);
  return Buffer.concat([head, body]);
}

/** A designation descriptor of page 0x83. */
function designator(f: {
  codeSet: number;
  assoc: number;
  type: number;
  iscsi: boolean;
  value: Buffer;
}): Buffer {
  const head = Buffer.from([
    (f.iscsi ? 0x50 : 0) | f.codeSet,
    (f.iscsi ? 0x80 : 0) | (f.assoc << 4) | f.type,
    0,
    f.value.length,
  ]);
  return Buffer.concat([head, f.value]);
}

/** A NUL-terminated UTF-8 name padded to a multiple of four bytes. */
function nameString(name: string): Buffer {
  const bytes = Buffer.from(`${name}\0`, 'utf8');
  return Buffer.concat([bytes, Buffer.alloc((4 - (bytes.length % 4)) % 4)]);
}

/** A VPD page, or undefined for a page this target does not have. */
export function vpdPage(code: number, lun: InquiryLun, targetName: string): Buffer | undefined {
  const blocks = (bytes: number): number => Math.floor(bytes / lun.blockSize);
  switch (code) {
    case 0x00:
      return page(code, Buffer.from(VPD_PAGES));
    case 0x80:
      return page(code, Buffer.from(lun.identity.serial, 'latin1'));
    case 0x83: {
      const t10 = Buffer.alloc(8 + lun.identity.serial.length);
      text(t10, 0, 8, lun.identity.vendor);
      t10.write(lun.identity.serial, 8, 'latin1');
      const port = Buffer.alloc(4);
      port.writeUInt16BE(1, 2);
      return page(
        code,
        Buffer.concat([
          designator({ codeSet: 1, assoc: 0, type: 3, iscsi: false, value: lun.identity.naa }),
          designator({ codeSet: 2, assoc: 0, type: 1, iscsi: false, value: t10 }),
          designator({ codeSet: 1, assoc: 1, type: 4, iscsi: true, value: port }),
          designator({ codeSet: 3, assoc: 2, type: 8, iscsi: true, value: nameString(targetName) }),
        ]),
      );
    }
    case 0xb0: {
      const b = Buffer.alloc(0x3c);
      b[0] = 0x01; // WSNZ: a WRITE SAME of zero blocks is refused, never "to the end"
      b.writeUInt16BE(1, 2); // optimal transfer length granularity
      b.writeUInt32BE(blocks(MAX_TRANSFER_BYTES), 4);
      b.writeUInt32BE(blocks(1 << 20), 8); // optimal transfer length
      if (lun.thin) {
        b.writeUInt32BE(MAX_UNMAP_BLOCKS, 16);
        b.writeUInt32BE(MAX_UNMAP_DESCRIPTORS, 20);
        b.writeUInt32BE(1, 24); // optimal unmap granularity
      }
      b.writeBigUInt64BE(BigInt(MAX_WRITE_SAME_BLOCKS), 32);
      return page(code, b);
    }
    case 0xb1: {
      const b = Buffer.alloc(0x3c);
      b.writeUInt16BE(1, 0); // medium rotation rate: non-rotating
      return page(code, b);
    }
    case 0xb2: {
      // LBPU (UNMAP), LBPWS (WRITE SAME(16) UNMAP), LBPWS10, LBPRZ; provisioning type 2 = thin.
      const b = lun.thin ? Buffer.from([0, 0xe4, 0x02, 0]) : Buffer.from([0, 0, 0, 0]);
      return page(code, b);
    }
    default:
      return undefined;
  }
}
