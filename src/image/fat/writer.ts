import { ImageCreationFailed } from '../../errors/index.js';
import { ImageStream, type Segment } from '../image-stream.js';
import { buildTree, directoriesOf, type TreeDir, type TreeEntry, type TreeFile } from '../tree.js';
import { clusterBytes, clusterOffset, type FatGeometry, geometryFor, SECTOR } from './geometry.js';
import {
  assignShortNames,
  type FatName,
  invalidFatName,
  longNameEntries,
  shortNameChecksum,
} from './names.js';

/** What the FAT writer needs; the public builders (floppy, ESP) fill it in. */
export interface FatVolumePlan {
  /** Volume label, at most 11 characters (kept as given, lower case included, as mkfs.vfat does). */
  readonly label: string;
  readonly entries: readonly TreeEntry[];
  /** Fixed size in 512-byte sectors, or undefined to size the volume to fit its contents. */
  readonly totalSectors: number | undefined;
  /** When sizing to fit: free space to leave, in bytes. */
  readonly slackBytes: number;
  /** Timestamp of every directory entry. */
  readonly timestamp: Date;
  /** Volume serial number. */
  readonly volumeId: number;
}

const MEDIA = 0xf8;
const ATTR_LABEL = 0x08;
const ATTR_DIR = 0x10;
const ATTR_ARCHIVE = 0x20;
const MIN_ROOT_ENTRIES = 224;

/** Every directory's entries, sizes known before clusters are given out. */
interface DirPlan {
  readonly dir: TreeDir;
  readonly isRoot: boolean;
  readonly names: readonly FatName[];
  /** Number of 32-byte entries (long-name entries included). */
  readonly slots: number;
  cluster: number;
  parentCluster: number;
}

/** Lays out a FAT12/16 volume; file data is streamed from the inputs when the image is read. */
export function buildFatVolume(plan: FatVolumePlan): ImageStream {
  const tree = buildTree(plan.entries, 'vfat', invalidFatName, (n) => n.toUpperCase());
  const dirs = directoriesOf(tree).map((dir, i): DirPlan => {
    const names = assignShortNames(dir.children.map((c) => c.name));
    const slots =
      names.reduce((n, name) => n + 1 + (name.needsLfn ? Math.ceil(name.long.length / 13) : 0), 0) +
      (i === 0 ? 1 : 2);
    return { dir, isRoot: i === 0, names, slots, cluster: 0, parentCluster: 0 };
  });
  const rootEntries = Math.max(MIN_ROOT_ENTRIES, Math.ceil(dirs[0]!.slots / 16) * 16);
  const g = chooseGeometry(plan, dirs, rootEntries);
  const clusters = allocate(g, dirs);
  const segments: Segment[] = [{ offset: 0, bytes: bootSector(g, plan) }, ...fatCopies(g, clusters.runs)];
  const byDir = new Map(dirs.map((d) => [d.dir, d]));
  for (const d of dirs) {
    const bytes = directoryBytes(d, byDir, clusters.fileCluster, plan, g);
    segments.push({ offset: d.isRoot ? g.rootStart * SECTOR : clusterOffset(g, d.cluster), bytes });
  }
  for (const [file, cluster] of clusters.fileCluster)
    if (file.input.size > 0) segments.push({ offset: clusterOffset(g, cluster), input: file.input });
  return new ImageStream('vfat', g.totalSectors * SECTOR, segments);
}

function clustersFor(bytes: number, g: FatGeometry): number {
  return Math.ceil(bytes / clusterBytes(g));
}

function neededClusters(g: FatGeometry, dirs: readonly DirPlan[]): number {
  let n = 0;
  for (const [i, d] of dirs.entries()) {
    if (i > 0) n += clustersFor(d.slots * 32, g);
    for (const c of d.dir.children) if (c.kind === 'file') n += clustersFor(c.input.size, g);
  }
  return n;
}

function chooseGeometry(plan: FatVolumePlan, dirs: readonly DirPlan[], rootEntries: number): FatGeometry {
  if (plan.totalSectors !== undefined) {
    const g = geometryFor(plan.totalSectors, rootEntries);
    const capacity = g === undefined ? 0 : g.clusterCount * clusterBytes(g);
    const needed = g === undefined ? Number.POSITIVE_INFINITY : neededClusters(g, dirs) * clusterBytes(g);
    if (g === undefined || needed > capacity)
      throw new ImageCreationFailed({
        imageType: 'vfat',
        error: `the contents need ${kib(needed)} of clusters but a ${kib(plan.totalSectors * SECTOR)} image holds ${kib(capacity)}`,
      });
    return g;
  }
  let total = Math.ceil(
    (plan.slackBytes + dirs.reduce((n, d) => n + contentBytes(d), 0)) / SECTOR + 1 + 2 + rootEntries / 16 + 8,
  );
  for (;;) {
    const g = geometryFor(total, rootEntries);
    if (g === undefined)
      throw new ImageCreationFailed({ imageType: 'vfat', error: 'the contents are too large for FAT16' });
    const free = (g.clusterCount - neededClusters(g, dirs)) * clusterBytes(g);
    if (free >= plan.slackBytes) return g;
    total += Math.ceil((plan.slackBytes - free) / SECTOR) + g.sectorsPerCluster;
  }
}

function contentBytes(d: DirPlan): number {
  return d.slots * 32 + d.dir.children.reduce((n, c) => n + (c.kind === 'file' ? c.input.size : 0), 0);
}

interface Allocation {
  /** Runs of consecutive clusters, each one chain: `[first, count]`. */
  readonly runs: Array<readonly [number, number]>;
  readonly fileCluster: Map<TreeFile, number>;
}

/** Gives out clusters in directory order: each directory, then its files, contiguously. */
function allocate(g: FatGeometry, dirs: DirPlan[]): Allocation {
  const runs: Array<readonly [number, number]> = [];
  const fileCluster = new Map<TreeFile, number>();
  const byDir = new Map(dirs.map((d) => [d.dir, d]));
  let next = 2;
  for (const [i, d] of dirs.entries()) {
    if (i > 0) {
      const count = clustersFor(d.slots * 32, g);
      d.cluster = next;
      runs.push([next, count]);
      next += count;
    }
    for (const child of d.dir.children) {
      if (child.kind === 'dir') {
        byDir.get(child)!.parentCluster = d.cluster;
        continue;
      }
      const count = clustersFor(child.input.size, g);
      fileCluster.set(child, count === 0 ? 0 : next);
      if (count > 0) runs.push([next, count]);
      next += count;
    }
  }
  return { runs, fileCluster };
}

function bootSector(g: FatGeometry, plan: FatVolumePlan): Uint8Array {
  const b = new Uint8Array(SECTOR);
  const v = new DataView(b.buffer);
  b.set([0xeb, 0x3c, 0x90]);
  b.set(ascii('MSWIN4.1'), 3);
  v.setUint16(11, SECTOR, true);
  b[13] = g.sectorsPerCluster;
  v.setUint16(14, 1, true);
  b[16] = 2;
  v.setUint16(17, g.rootEntries, true);
  v.setUint16(19, g.totalSectors < 0x10000 ? g.totalSectors : 0, true);
  b[21] = MEDIA;
  v.setUint16(22, g.fatSectors, true);
  v.setUint16(24, 32, true);
  v.setUint16(26, 64, true);
  v.setUint32(32, g.totalSectors < 0x10000 ? 0 : g.totalSectors, true);
  b[36] = 0x80;
  b[38] = 0x29;
  v.setUint32(39, plan.volumeId >>> 0, true);
  b.set(ascii(plan.label.padEnd(11)), 43);
  b.set(ascii(g.fatType === 12 ? 'FAT12   ' : 'FAT16   '), 54);
  // Not bootable: INT 18h hands the boot over to the firmware's next device.
  b.set([0xcd, 0x18, 0xeb, 0xfe], 62);
  b[510] = 0x55;
  b[511] = 0xaa;
  return b;
}

function fatCopies(g: FatGeometry, runs: ReadonlyArray<readonly [number, number]>): Segment[] {
  const table = new Uint8Array(g.fatSectors * SECTOR);
  const eoc = g.fatType === 12 ? 0xfff : 0xffff;
  const set = (n: number, value: number): void => {
    if (g.fatType === 16) {
      table[n * 2] = value & 0xff;
      table[n * 2 + 1] = value >> 8;
      return;
    }
    const at = Math.floor((n * 3) / 2);
    if (n % 2 === 0) {
      table[at] = value & 0xff;
      table[at + 1] = (table[at + 1]! & 0xf0) | (value >> 8);
    } else {
      table[at] = (table[at]! & 0x0f) | ((value & 0x0f) << 4);
      table[at + 1] = value >> 4;
    }
  };
  set(0, (eoc & ~0xff) | MEDIA);
  set(1, eoc);
  for (const [first, count] of runs)
    for (let n = first; n < first + count; n++) set(n, n === first + count - 1 ? eoc : n + 1);
  return [0, 1].map((copy) => ({ offset: (1 + copy * g.fatSectors) * SECTOR, bytes: table }));
}

function directoryBytes(
  d: DirPlan,
  byDir: ReadonlyMap<TreeDir, DirPlan>,
  fileCluster: ReadonlyMap<TreeFile, number>,
  plan: FatVolumePlan,
  g: FatGeometry,
): Uint8Array {
  const { isRoot, names } = d;
  const length = isRoot ? g.rootEntries * 32 : clustersFor(d.slots * 32, g) * clusterBytes(g);
  const out = new Uint8Array(length);
  let at = 0;
  const put = (entry: Uint8Array): void => {
    out.set(entry, at);
    at += 32;
  };
  const stamp = dosTimestamp(plan.timestamp);
  if (isRoot) put(shortEntry(ascii(plan.label.padEnd(11)), ATTR_LABEL, 0, 0, stamp));
  else {
    put(shortEntry(ascii('.'.padEnd(11)), ATTR_DIR, d.cluster, 0, stamp));
    put(shortEntry(ascii('..'.padEnd(11)), ATTR_DIR, d.parentCluster, 0, stamp));
  }
  for (const [i, child] of d.dir.children.entries()) {
    const name = names[i]!;
    const short = ascii(name.short);
    if (name.needsLfn) for (const e of longNameEntries(name.long, shortNameChecksum(short))) put(e);
    if (child.kind === 'dir') put(shortEntry(short, ATTR_DIR, byDir.get(child)!.cluster, 0, stamp));
    else put(shortEntry(short, ATTR_ARCHIVE, fileCluster.get(child)!, child.input.size, stamp));
  }
  return out;
}

function shortEntry(
  name: Uint8Array,
  attr: number,
  cluster: number,
  size: number,
  stamp: { date: number; time: number },
): Uint8Array {
  const e = new Uint8Array(32);
  const v = new DataView(e.buffer);
  e.set(name);
  e[11] = attr;
  for (const at of [14, 22]) v.setUint16(at, stamp.time, true);
  for (const at of [16, 18, 24]) v.setUint16(at, stamp.date, true);
  v.setUint16(26, cluster, true);
  v.setUint32(28, size, true);
  return e;
}

/** DOS date and time fields (UTC, two-second resolution). */
export function dosTimestamp(date: Date): { date: number; time: number } {
  const year = Math.min(Math.max(date.getUTCFullYear(), 1980), 2107);
  return {
    date: ((year - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate(),
    time: (date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | (date.getUTCSeconds() >> 1),
  };
}

function ascii(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff);
}

function kib(bytes: number): string {
  return Number.isFinite(bytes) ? `${Math.ceil(bytes / 1024)} KiB` : 'more space than there is';
}
