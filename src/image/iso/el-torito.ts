/** The El Torito boot catalog and isolinux's boot-info table. */
import { BLOCK, latin1 } from './encoding.js';

/** Platform IDs of the El Torito catalog. */
export const PLATFORM_BIOS = 0x00;
export const PLATFORM_EFI = 0xef;

/** One no-emulation boot entry. */
export interface BootEntry {
  readonly platform: number;
  /** First block of the boot image. */
  readonly block: number;
  /** Sectors (512 bytes) the firmware loads; 0 means "the whole image" to UEFI firmware. */
  readonly sectors: number;
}

function catalogEntry(e: BootEntry): Uint8Array {
  const out = new Uint8Array(32);
  const v = new DataView(out.buffer);
  out[0] = 0x88;
  out[1] = 0; // no emulation
  v.setUint16(6, e.sectors, true);
  v.setUint32(8, e.block, true);
  return out;
}

/**
 * The boot catalog: a validation entry for the first entry's platform, that entry as the
 * default, and every further entry in a final section of its own platform (as xorriso writes
 * a BIOS + UEFI hybrid).
 */
export function bootCatalog(entries: readonly BootEntry[]): Uint8Array {
  const [first, ...rest] = entries;
  if (first === undefined) throw new Error('a boot catalog needs an entry');
  const out = new Uint8Array(BLOCK);
  const v = new DataView(out.buffer);
  out[0] = 1;
  out[1] = first.platform;
  out[30] = 0x55;
  out[31] = 0xaa;
  let sum = 0;
  for (let i = 0; i < 32; i += 2) sum = (sum + v.getUint16(i, true)) & 0xffff;
  v.setUint16(28, (0x10000 - sum) & 0xffff, true);
  out.set(catalogEntry(first), 32);
  let at = 64;
  for (const [i, e] of rest.entries()) {
    out[at] = i === rest.length - 1 ? 0x91 : 0x90;
    out[at + 1] = e.platform;
    v.setUint16(at + 2, 1, true);
    out.set(catalogEntry(e), at + 32);
    at += 64;
  }
  return out;
}

/** Sector count of a UEFI entry: the whole image in 512-byte sectors, or 0 when that overflows. */
export function efiSectors(size: number): number {
  const sectors = Math.ceil(size / 512);
  return sectors > 0xffff ? 0 : sectors;
}

/**
 * isolinux's boot-info table (mkisofs `-boot-info-table`): at byte 8 of the boot file, the
 * primary descriptor's block, the file's block and length and a checksum of the file from
 * byte 64 on, so that isolinux can find itself without reading the file system.
 */
export function patchBootInfoTable(image: Uint8Array, pvdBlock: number, fileBlock: number): Uint8Array {
  const out = new Uint8Array(Math.ceil(image.length / 4) * 4);
  out.set(image);
  const v = new DataView(out.buffer);
  let sum = 0;
  for (let i = 64; i < out.length; i += 4) sum = (sum + v.getUint32(i, true)) >>> 0;
  out.fill(0, 8, 64);
  v.setUint32(8, pvdBlock, true);
  v.setUint32(12, fileBlock, true);
  v.setUint32(16, image.length, true);
  v.setUint32(20, sum, true);
  return out.subarray(0, image.length);
}

/** The text that identifies El Torito in the boot record, for readers. */
export const EL_TORITO_ID = latin1('EL TORITO SPECIFICATION');
