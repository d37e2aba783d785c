/** Parsers of the data-in of INQUIRY, its VPD pages, and READ CAPACITY(16). */

/**
 * What INQUIRY says about a logical unit.
 *
 * @example
 * ```ts
 * const { vendor, product } = lun.inquiry; // 'IET', 'VIRTUAL-DISK'
 * ```
 */
export interface InquiryData {
  /** Peripheral device type (0 = direct-access block device). */
  deviceType: number;
  /** Vendor identification, trimmed. */
  vendor: string;
  /** Product identification, trimmed. */
  product: string;
  /** Product revision level, trimmed. */
  revision: string;
}

/**
 * What READ CAPACITY(16) says.
 *
 * @example
 * ```ts
 * const bytes = lun.capacity.blockCount * lun.capacity.blockSize;
 * ```
 */
export interface CapacityData {
  /** Number of logical blocks. */
  blockCount: number;
  /** Logical block length in bytes. */
  blockSize: number;
  /** Logical block provisioning management enabled (thin provisioning). */
  thinProvisioned: boolean;
  /** Unmapped blocks read as zeros. */
  unmappedReadsZero: boolean;
}

/** Reads standard INQUIRY data. */
export function parseInquiry(data: Buffer): InquiryData {
  const text = (from: number, to: number): string =>
    data.subarray(from, Math.min(to, data.length)).toString('latin1').trim();
  return {
    deviceType: (data[0] ?? 0x1f) & 0x1f,
    vendor: text(8, 16),
    product: text(16, 32),
    revision: text(32, 36),
  };
}

/** Reads the page list of INQUIRY VPD page 0x00. */
export function parseSupportedVpdPages(data: Buffer): Set<number> {
  const length = data.length >= 4 ? data.readUInt16BE(2) : 0;
  return new Set(data.subarray(4, 4 + length));
}

/** Transfer limits of the Block Limits VPD page (0xB0), in blocks; 0 means no limit given. */
export interface BlockLimits {
  /** MAXIMUM TRANSFER LENGTH. */
  maxTransferBlocks: number;
  /** OPTIMAL TRANSFER LENGTH. */
  optimalTransferBlocks: number;
  /** MAXIMUM WRITE SAME LENGTH (0 when the page is too short to say). */
  maxWriteSameBlocks: number;
}

/** Reads the Block Limits VPD page (0xB0). */
export function parseBlockLimits(data: Buffer): BlockLimits {
  const u32 = (at: number): number => (data.length >= at + 4 ? data.readUInt32BE(at) : 0);
  const u64 = (at: number): number => (data.length >= at + 8 ? Number(data.readBigUInt64BE(at)) : 0);
  return { maxTransferBlocks: u32(8), optimalTransferBlocks: u32(12), maxWriteSameBlocks: u64(36) };
}

/** Reads READ CAPACITY(16) data. */
export function parseCapacity16(data: Buffer): CapacityData {
  return {
    blockCount: Number(data.readBigUInt64BE(0)) + 1,
    blockSize: data.readUInt32BE(8),
    thinProvisioned: ((data[14] ?? 0) & 0x80) !== 0,
    unmappedReadsZero: ((data[14] ?? 0) & 0x40) !== 0,
  };
}
