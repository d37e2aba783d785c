/**
 * FAT12/16 geometry: how many sectors the FATs, the root directory and each cluster take for a
 * volume of a given size. The FAT type follows from the cluster count alone (Microsoft's rule,
 * which Linux, mtools and fsck.fat all apply): fewer than 4085 clusters is FAT12, fewer than
 * 65525 is FAT16.
 */

export const SECTOR = 512;
export const RESERVED_SECTORS = 1;
export const FAT_COUNT = 2;
const FAT12_MAX_CLUSTERS = 4084;
const FAT16_MAX_CLUSTERS = 65524;

/** The layout of a FAT12/16 volume. */
export interface FatGeometry {
  readonly totalSectors: number;
  readonly fatType: 12 | 16;
  readonly sectorsPerCluster: number;
  readonly fatSectors: number;
  readonly rootEntries: number;
  readonly clusterCount: number;
  /** First sector of the root directory. */
  readonly rootStart: number;
  /** First sector of cluster 2. */
  readonly dataStart: number;
}

/** Byte length of one cluster. */
export function clusterBytes(g: FatGeometry): number {
  return g.sectorsPerCluster * SECTOR;
}

/** Byte offset of cluster `n` (n ≥ 2). */
export function clusterOffset(g: FatGeometry, n: number): number {
  return (g.dataStart + (n - 2) * g.sectorsPerCluster) * SECTOR;
}

/**
 * The smallest-cluster FAT12/16 geometry for `totalSectors` with at least `rootEntries` root
 * slots, or undefined when no FAT12/16 layout fits (too small, or too large for FAT16).
 */
export function geometryFor(totalSectors: number, rootEntries: number): FatGeometry | undefined {
  const rootSectors = Math.ceil((rootEntries * 32) / SECTOR);
  for (let spc = 1; spc <= 128; spc *= 2) {
    let fatSectors = 1;
    for (;;) {
      const dataStart = RESERVED_SECTORS + FAT_COUNT * fatSectors + rootSectors;
      const clusterCount = Math.floor((totalSectors - dataStart) / spc);
      if (clusterCount < 1) return undefined;
      if (clusterCount > FAT16_MAX_CLUSTERS) break;
      const fatType = clusterCount <= FAT12_MAX_CLUSTERS ? 12 : 16;
      const fatBytes = fatType === 12 ? Math.ceil(((clusterCount + 2) * 3) / 2) : (clusterCount + 2) * 2;
      const needed = Math.ceil(fatBytes / SECTOR);
      if (needed > fatSectors) {
        fatSectors = needed;
        continue;
      }
      return {
        totalSectors,
        fatType,
        sectorsPerCluster: spc,
        fatSectors,
        rootEntries,
        clusterCount,
        rootStart: RESERVED_SECTORS + FAT_COUNT * fatSectors,
        dataStart,
      };
    }
  }
  return undefined;
}
