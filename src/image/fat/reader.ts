import type { OperationOptions } from '../../contracts/index.js';
import { ImageReadFailed } from '../../errors/index.js';
import { openRandomAccess, type RandomAccessSource, type ReadableImage } from '../random-access.js';
import { concatBytes } from '../source.js';
import { splitPath } from '../tree.js';
import { LFN_CHAR_OFFSETS, shortNameChecksum } from './names.js';

/** A file or directory of a FAT image. */
export interface FatEntry {
  /** Absolute path, `/`-separated (`/` for the root). */
  readonly path: string;
  /** The long name when there is one, else the 8.3 name (`NAME.EXT`). */
  readonly name: string;
  /** The 8.3 name as `NAME.EXT`. */
  readonly shortName: string;
  /** What it is. */
  readonly type: 'file' | 'directory';
  /** Length of a file in bytes (0 for directories). */
  readonly size: number;
  /** First cluster (0 for an empty file and for the root). */
  readonly firstCluster: number;
}

interface Bpb {
  bytesPerSector: number;
  sectorsPerCluster: number;
  reservedSectors: number;
  fatCount: number;
  rootEntries: number;
  totalSectors: number;
  fatSectors: number;
  fatType: 12 | 16;
  label: string;
}

/**
 * An opened FAT12/16 image (a virtual floppy or an ESP): its label, tree and files, with long
 * names. Used to check what {@link buildFloppyImage} wrote, or to look inside an `efiboot.img`.
 *
 * @example
 * ```ts
 * const fat = await openFatImage(await collect(floppy));
 * console.log(fat.label, new TextDecoder().decode(await fat.readFile('/parameters.txt')));
 * await fat.close();
 * ```
 */
export class FatImage {
  /** Volume label (from the root directory's label entry, else the boot sector). */
  readonly label: string;
  /** 12 or 16. */
  readonly fatType: 12 | 16;
  readonly #source: RandomAccessSource;
  readonly #bpb: Bpb;
  readonly #fat: Uint8Array;
  readonly #root: Uint8Array;

  /** @internal Use {@link openFatImage}. */
  constructor(source: RandomAccessSource, bpb: Bpb, fat: Uint8Array, root: Uint8Array) {
    this.#source = source;
    this.#bpb = bpb;
    this.#fat = fat;
    this.#root = root;
    this.fatType = bpb.fatType;
    this.label = rootLabel(root) ?? bpb.label;
  }

  /**
   * Every entry, parents before children.
   *
   * @example
   * ```ts
   * for (const e of await fat.walk()) console.log(e.path, e.size);
   * ```
   */
  async walk(options: OperationOptions = {}): Promise<FatEntry[]> {
    const out: FatEntry[] = [];
    const queue: Array<{ path: string; bytes: Uint8Array }> = [{ path: '', bytes: this.#root }];
    for (let dir = queue.shift(); dir !== undefined; dir = queue.shift()) {
      for (const entry of parseDirectory(dir.bytes, dir.path)) {
        out.push(entry);
        if (entry.type === 'directory')
          queue.push({
            path: entry.path,
            bytes: await this.#readChain(entry.firstCluster, undefined, options.signal),
          });
      }
    }
    return out;
  }

  /**
   * The entry at `path` (long or short names, without regard to case), or undefined.
   *
   * @example
   * ```ts
   * const params = await fat.stat('/parameters.txt');
   * ```
   */
  async stat(path: string, options: OperationOptions = {}): Promise<FatEntry | undefined> {
    const parts = splitPath(path);
    if (parts === undefined) return undefined;
    let bytes = this.#root;
    let parent = '';
    let found: FatEntry | undefined;
    for (const [i, part] of parts.entries()) {
      const want = part.toUpperCase();
      found = parseDirectory(bytes, parent).find(
        (e) => e.name.toUpperCase() === want || e.shortName.toUpperCase() === want,
      );
      if (found === undefined) return undefined;
      if (i < parts.length - 1) {
        if (found.type !== 'directory') return undefined;
        bytes = await this.#readChain(found.firstCluster, undefined, options.signal);
        parent = found.path;
      }
    }
    return found;
  }

  /**
   * A file's bytes.
   *
   * @example
   * ```ts
   * const text = new TextDecoder().decode(await fat.readFile('/parameters.txt'));
   * ```
   */
  async readFile(path: string, options: OperationOptions = {}): Promise<Uint8Array> {
    const entry = await this.stat(path, options);
    if (entry?.type !== 'file')
      throw new ImageReadFailed({ imageType: 'vfat', error: `${path} is not a file` });
    if (entry.size === 0) return new Uint8Array(0);
    return this.#readChain(entry.firstCluster, entry.size, options.signal);
  }

  /** Closes the underlying file. */
  close(): Promise<void> {
    return this.#source.close();
  }

  #next(cluster: number): number {
    if (this.#bpb.fatType === 16) return (this.#fat[cluster * 2]! | (this.#fat[cluster * 2 + 1]! << 8)) >>> 0;
    const at = Math.floor((cluster * 3) / 2);
    const pair = this.#fat[at]! | (this.#fat[at + 1]! << 8);
    return cluster % 2 === 0 ? pair & 0xfff : pair >> 4;
  }

  async #readChain(first: number, size: number | undefined, signal?: AbortSignal): Promise<Uint8Array> {
    const b = this.#bpb;
    const clusterBytes = b.sectorsPerCluster * b.bytesPerSector;
    const dataStart =
      (b.reservedSectors + b.fatCount * b.fatSectors + Math.ceil((b.rootEntries * 32) / b.bytesPerSector)) *
      b.bytesPerSector;
    const end = b.fatType === 12 ? 0xff8 : 0xfff8;
    const parts: Uint8Array[] = [];
    const seen = new Set<number>();
    for (let c = first; c >= 2 && c < end; c = this.#next(c)) {
      if (seen.has(c)) throw new ImageReadFailed({ imageType: 'vfat', error: `cluster chain loops at ${c}` });
      seen.add(c);
      parts.push(await this.#source.read(dataStart + (c - 2) * clusterBytes, clusterBytes, signal));
      if (size !== undefined && parts.length * clusterBytes >= size) break;
    }
    const all = concatBytes(parts);
    if (size !== undefined && all.length < size)
      throw new ImageReadFailed({
        imageType: 'vfat',
        error: `cluster chain from ${first} is shorter than the file`,
      });
    return size === undefined ? all : all.subarray(0, size);
  }
}

function rootLabel(root: Uint8Array): string | undefined {
  for (let at = 0; at + 32 <= root.length; at += 32) {
    if (root[at] === 0) return undefined;
    if (root[at] !== 0xe5 && (root[at + 11]! & 0x1f) === 0x08 && root[at + 11] !== 0x0f)
      return new TextDecoder('latin1').decode(root.subarray(at, at + 11)).trimEnd();
  }
  return undefined;
}

/** The entries of one directory's bytes, with long names checked against their short entry. */
function parseDirectory(bytes: Uint8Array, parent: string): FatEntry[] {
  const out: FatEntry[] = [];
  let lfn: string[] = [];
  let lfnChecksum = -1;
  for (let at = 0; at + 32 <= bytes.length; at += 32) {
    const e = bytes.subarray(at, at + 32);
    if (e[0] === 0) break;
    if (e[0] === 0xe5) {
      lfn = [];
      continue;
    }
    const view = new DataView(e.buffer, e.byteOffset, 32);
    if (e[11] === 0x0f) {
      if (e[0]! & 0x40) lfn = [];
      lfnChecksum = e[13]!;
      const units = LFN_CHAR_OFFSETS.map((o) => view.getUint16(o, true));
      const end = units.indexOf(0);
      lfn[(e[0]! & 0x1f) - 1] = String.fromCharCode(...(end < 0 ? units : units.slice(0, end)));
      continue;
    }
    const attr = e[11]!;
    const long =
      lfn.length > 0 && lfnChecksum === shortNameChecksum(e.subarray(0, 11)) ? lfn.join('') : undefined;
    lfn = [];
    if (attr & 0x08) continue;
    const base = new TextDecoder('latin1').decode(e.subarray(0, 8)).trimEnd();
    const ext = new TextDecoder('latin1').decode(e.subarray(8, 11)).trimEnd();
    if (base === '.' || base === '..') continue;
    const shortName = ext === '' ? base : `${base}.${ext}`;
    const name = long ?? shortName;
    out.push({
      path: `${parent}/${name}`,
      name,
      shortName,
      type: attr & 0x10 ? 'directory' : 'file',
      size: attr & 0x10 ? 0 : view.getUint32(28, true),
      firstCluster: view.getUint16(26, true),
    });
  }
  return out;
}

/**
 * Opens a FAT12/16 image for reading. Throws `ImageReadFailed` when it is not one.
 *
 * @example
 * ```ts
 * const fat = await openFatImage('/httpboot/image-1be26c0b');
 * const text = new TextDecoder().decode(await fat.readFile('parameters.txt'));
 * await fat.close();
 * ```
 */
export async function openFatImage(image: ReadableImage, options: OperationOptions = {}): Promise<FatImage> {
  const source = await openRandomAccess(image, 'vfat');
  try {
    const boot = await source.read(0, 512, options.signal);
    const v = new DataView(boot.buffer, boot.byteOffset, boot.byteLength);
    const bad = (why: string) => new ImageReadFailed({ imageType: 'vfat', error: why });
    if (boot.length < 512 || boot[510] !== 0x55 || boot[511] !== 0xaa) throw bad('no boot sector signature');
    const bytesPerSector = v.getUint16(11, true);
    const sectorsPerCluster = boot[13]!;
    const reservedSectors = v.getUint16(14, true);
    const fatCount = boot[16]!;
    const rootEntries = v.getUint16(17, true);
    const totalSectors = v.getUint16(19, true) || v.getUint32(32, true);
    const fatSectors = v.getUint16(22, true);
    if (![512, 1024, 2048, 4096].includes(bytesPerSector) || sectorsPerCluster === 0 || fatCount === 0)
      throw bad('the boot sector is not a FAT BIOS parameter block');
    if (fatSectors === 0 || rootEntries === 0) throw bad('FAT32 is not supported by this reader');
    const rootStart = (reservedSectors + fatCount * fatSectors) * bytesPerSector;
    const rootBytes = rootEntries * 32;
    const dataSectors = totalSectors - (rootStart + rootBytes) / bytesPerSector;
    const clusters = Math.floor(dataSectors / sectorsPerCluster);
    const bpb: Bpb = {
      bytesPerSector,
      sectorsPerCluster,
      reservedSectors,
      fatCount,
      rootEntries,
      totalSectors,
      fatSectors,
      fatType: clusters < 4085 ? 12 : 16,
      label: boot[38] === 0x29 ? new TextDecoder('latin1').decode(boot.subarray(43, 54)).trimEnd() : '',
    };
    const fat = await source.read(
      reservedSectors * bytesPerSector,
      fatSectors * bytesPerSector,
      options.signal,
    );
    const root = await source.read(rootStart, rootBytes, options.signal);
    return new FatImage(source, bpb, fat, root);
  } catch (error) {
    await source.close();
    throw error;
  }
}
