/**
 * File system identification from the first bytes of a partition, as `blkid` does it for the
 * file systems a deploy meets: ext2/3/4, XFS, Btrfs, FAT, Linux swap and ISO 9660 (config
 * drives). The root UUID Ironic
 * returned after a partition-image deploy is read back this way from the written disk.
 */

/**
 * Bytes to read from the start of a partition to identify it (Btrfs' superblock is at 64 KiB).
 *
 * @example
 * ```ts
 * const head = await disk.read(partitionStart, IDENTIFY_BYTES);
 * ```
 */
export const IDENTIFY_BYTES = 0x11000;

/**
 * A file system found on a partition.
 *
 * @example
 * ```ts
 * const fs: FilesystemIdentity = { type: 'ext4', uuid: '0b1c…', label: 'cloudimg-rootfs' };
 * ```
 */
export interface FilesystemIdentity {
  /** The file system type, as `blkid` names it. */
  type: 'ext2' | 'ext3' | 'ext4' | 'xfs' | 'btrfs' | 'vfat' | 'swap' | 'iso9660';
  /** Its UUID, as `blkid` prints it. */
  uuid: string;
  /** Its label, when it has one. */
  label?: string;
}

function uuidString(b: Buffer): string {
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

function text(b: Buffer, from: number, length: number): string | undefined {
  const raw = b.subarray(from, from + length).toString('latin1');
  const end = raw.indexOf('\0');
  const s = (end < 0 ? raw : raw.slice(0, end)).trim();
  return s === '' ? undefined : s;
}

function withLabel(id: FilesystemIdentity, label: string | undefined): FilesystemIdentity {
  return label === undefined ? id : { ...id, label };
}

/**
 * Identifies the file system whose first bytes are `head` (at least {@link IDENTIFY_BYTES} for
 * Btrfs, 4 KiB for the others).
 *
 * @example
 * ```ts
 * const id = identifyFilesystem(await disk.read(rootStart, IDENTIFY_BYTES));
 * if (id) console.log(id.type, id.uuid);
 * ```
 */
export function identifyFilesystem(head: Buffer): FilesystemIdentity | undefined {
  if (head.length >= 2048 && head.readUInt16LE(1024 + 56) === 0xef53) {
    const compat = head.readUInt32LE(1024 + 92);
    const incompat = head.readUInt32LE(1024 + 96);
    const type = incompat & (0x40 | 0x80 | 0x200) ? 'ext4' : compat & 0x4 ? 'ext3' : 'ext2';
    return withLabel(
      { type, uuid: uuidString(head.subarray(1024 + 104, 1024 + 120)) },
      text(head, 1024 + 120, 16),
    );
  }
  if (head.length >= 120 && head.toString('latin1', 0, 4) === 'XFSB') {
    return withLabel({ type: 'xfs', uuid: uuidString(head.subarray(32, 48)) }, text(head, 108, 12));
  }
  if (head.length >= 0x10040 + 8 && head.toString('latin1', 0x10040, 0x10048) === '_BHRfS_M') {
    return withLabel(
      { type: 'btrfs', uuid: uuidString(head.subarray(0x10020, 0x10030)) },
      text(head, 0x1012b, 256),
    );
  }
  if (head.length >= 4096 && head.toString('latin1', 4086, 4096) === 'SWAPSPACE2') {
    return withLabel({ type: 'swap', uuid: uuidString(head.subarray(1036, 1052)) }, text(head, 1052, 16));
  }
  if (head.length >= 0x8800 && head.toString('latin1', 0x8001, 0x8006) === 'CD001') {
    // blkid's UUID of an ISO 9660 volume is its creation time, YYYY-MM-DD-HH-mm-ss-cc.
    const t = head.toString('latin1', 0x8000 + 813, 0x8000 + 829);
    const uuid = [
      t.slice(0, 4),
      t.slice(4, 6),
      t.slice(6, 8),
      t.slice(8, 10),
      t.slice(10, 12),
      t.slice(12, 14),
      t.slice(14, 16),
    ].join('-');
    return withLabel({ type: 'iso9660', uuid }, text(head, 0x8000 + 40, 32));
  }
  if (head.length >= 512 && head[510] === 0x55 && head[511] === 0xaa) {
    const fat32 = head.toString('latin1', 82, 87) === 'FAT32';
    const fat16 = /^FAT1[26]/.test(head.toString('latin1', 54, 59));
    if (fat32 || fat16) {
      const id = head
        .readUInt32LE(fat32 ? 67 : 39)
        .toString(16)
        .toUpperCase()
        .padStart(8, '0');
      const label = text(head, fat32 ? 71 : 43, 11);
      return withLabel(
        { type: 'vfat', uuid: `${id.slice(0, 4)}-${id.slice(4)}` },
        label === 'NO NAME' ? undefined : label,
      );
    }
  }
  return undefined;
}
