import { ImageReadFailed } from '../../errors/index.js';
import type { RandomAccessSource } from '../random-access.js';
import { PLATFORM_BIOS, PLATFORM_EFI } from './el-torito.js';
import { BLOCK } from './encoding.js';

/** One El Torito boot entry. */
export interface ElToritoEntry {
  /** `bios` (platform 0x00), `uefi` (0xEF) or `other`. */
  readonly platform: 'bios' | 'uefi' | 'other';
  /** The raw platform ID. */
  readonly platformId: number;
  /** Whether the entry is marked bootable (0x88). */
  readonly bootable: boolean;
  /** Emulation type: `none` for the no-emulation images Ironic used. */
  readonly emulation: 'none' | 'floppy-1.2M' | 'floppy-1.44M' | 'floppy-2.88M' | 'hard-disk' | 'unknown';
  /** Load segment (0 means the default 0x7C0). */
  readonly loadSegment: number;
  /** Sectors of 512 bytes the firmware loads (0 for "the whole image" on UEFI). */
  readonly sectorCount: number;
  /** First block of the boot image. */
  readonly block: number;
  /** Path of the file that holds the boot image, when the tree has one. */
  readonly path: string | undefined;
  /** Length of the boot image: its file's size, else `sectorCount` × 512. */
  readonly size: number;
}

/** A catalog entry before its file is looked up. */
export type RawBootEntry = Omit<ElToritoEntry, 'path' | 'size'>;

const EMULATION = ['none', 'floppy-1.2M', 'floppy-1.44M', 'floppy-2.88M', 'hard-disk'] as const;

function platformName(id: number): ElToritoEntry['platform'] {
  return id === PLATFORM_BIOS ? 'bios' : id === PLATFORM_EFI ? 'uefi' : 'other';
}

function entryAt(catalog: Uint8Array, at: number, platformId: number): RawBootEntry {
  const view = new DataView(catalog.buffer, catalog.byteOffset + at, 32);
  const media = catalog[at + 1]! & 0x0f;
  return {
    platform: platformName(platformId),
    platformId,
    bootable: catalog[at] === 0x88,
    emulation: EMULATION[media] ?? 'unknown',
    loadSegment: view.getUint16(2, true),
    sectorCount: view.getUint16(6, true),
    block: view.getUint32(8, true),
  };
}

/**
 * Reads an El Torito boot catalog: the validation entry (checked), the default entry, then
 * every section (header 0x90, final 0x91) with its entries; extension entries are skipped.
 */
export async function readBootCatalog(
  source: RandomAccessSource,
  block: number,
  signal: AbortSignal | undefined,
): Promise<RawBootEntry[]> {
  const catalog = await source.read(block * BLOCK, BLOCK, signal);
  const view = new DataView(catalog.buffer, catalog.byteOffset, catalog.byteLength);
  if (catalog.length < 64 || catalog[0] !== 1 || catalog[30] !== 0x55 || catalog[31] !== 0xaa)
    throw new ImageReadFailed({ imageType: 'iso', error: `no El Torito validation entry at block ${block}` });
  let sum = 0;
  for (let i = 0; i < 32; i += 2) sum = (sum + view.getUint16(i, true)) & 0xffff;
  if (sum !== 0)
    throw new ImageReadFailed({ imageType: 'iso', error: 'El Torito validation entry checksum is wrong' });
  const entries = [entryAt(catalog, 32, catalog[1]!)];
  for (let at = 64; at + 32 <= catalog.length; ) {
    const header = catalog[at]!;
    if (header !== 0x90 && header !== 0x91) break;
    const platformId = catalog[at + 1]!;
    const count = view.getUint16(at + 2, true);
    at += 32;
    for (let n = 0; n < count && at + 32 <= catalog.length; at += 32) {
      if (catalog[at] === 0x44) continue;
      entries.push(entryAt(catalog, at, platformId));
      n++;
    }
    if (header === 0x91) break;
  }
  return entries;
}
