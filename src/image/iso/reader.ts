import type { OperationOptions } from '../../contracts/index.js';
import { ImageReadFailed } from '../../errors/index.js';
import { openRandomAccess, type RandomAccessSource, type ReadableImage } from '../random-access.js';
import { concatBytes } from '../source.js';
import { splitPath } from '../tree.js';
import { type ElToritoEntry, readBootCatalog } from './catalog-reader.js';
import { BLOCK } from './encoding.js';
import { parseSystemUse, type RockRidgeFields, recordTime, type SuspState } from './susp-reader.js';

/** One extent of a file: where it starts (in 2048-byte blocks) and how many bytes it holds. */
export interface IsoExtent {
  /** First block. */
  readonly block: number;
  /** Length in bytes. */
  readonly size: number;
}

/** A file, directory or symbolic link found in an ISO image. */
export interface IsoEntry {
  /** Absolute path inside the image, `/`-separated (`/` for the root). */
  readonly path: string;
  /** The entry's name in the namespace read (Rock Ridge, Joliet or plain ISO 9660). */
  readonly name: string;
  /** What it is. */
  readonly type: 'file' | 'directory' | 'symlink';
  /** Length in bytes (a file's data; a directory's extent). */
  readonly size: number;
  /** POSIX mode bits from Rock Ridge, when present. */
  readonly mode: number | undefined;
  /** Modification time (Rock Ridge `TF`, else the record's date). */
  readonly mtime: Date;
  /** Target of a Rock Ridge symbolic link. */
  readonly symlinkTarget: string | undefined;
  /** Where the data is; several extents for level-3 files over 4 GiB. */
  readonly extents: readonly IsoExtent[];
}

/** Which directory tree names come from. */
export type IsoNamespace = 'rock-ridge' | 'joliet' | 'iso9660';

/** Options of {@link openIsoImage}. */
export interface OpenIsoOptions extends OperationOptions {
  /** Which tree to read names from. Default: Rock Ridge, else Joliet, else plain ISO 9660. */
  namespace?: IsoNamespace;
}

const RRIP_IDS = new Set(['RRIP_1991A', 'IEEE_P1282', 'IEEE_1282']);
const READ_CHUNK = 1 << 20;

interface Descriptors {
  label: string;
  primaryRoot: Uint8Array;
  jolietRoot: Uint8Array | undefined;
  catalogBlock: number | undefined;
}

/**
 * An opened ISO 9660 image: its tree (Rock Ridge, Joliet or plain names), its El Torito boot
 * entries, and its files as streams. What Ironic did by loop-mounting a deploy ISO, without
 * root. Close it when done.
 *
 * @example
 * ```ts
 * const iso = await openIsoImage('deploy.iso');
 * try {
 *   const esp = (await iso.walk()).find((e) => e.name === 'efiboot.img');
 *   if (esp) await writeImageFile(iso.chunks(esp.path), 'efiboot.img');
 * } finally {
 *   await iso.close();
 * }
 * ```
 */
export class IsoImage {
  /** Volume label of the primary descriptor. */
  readonly volumeLabel: string;
  /** The namespace names are read from. */
  readonly namespace: IsoNamespace;
  /** El Torito entries, in catalog order (empty when the image is not bootable). */
  readonly bootEntries: readonly ElToritoEntry[];
  readonly #source: RandomAccessSource;
  readonly #root: IsoEntry;
  readonly #useRockRidge: boolean;
  readonly #joliet: boolean;
  readonly #suspSkip: number;
  readonly #cache = new Map<number, IsoEntry[]>();

  /** @internal Use {@link openIsoImage}. */
  constructor(
    source: RandomAccessSource,
    label: string,
    namespace: IsoNamespace,
    root: IsoEntry,
    suspSkip: number,
    bootEntries: readonly ElToritoEntry[],
  ) {
    this.#source = source;
    this.bootEntries = bootEntries;
    this.volumeLabel = label;
    this.namespace = namespace;
    this.#root = root;
    this.#useRockRidge = namespace === 'rock-ridge';
    this.#joliet = namespace === 'joliet';
    this.#suspSkip = suspSkip;
  }

  /** The root directory. */
  get root(): IsoEntry {
    return this.#root;
  }

  /**
   * The entries of a directory, in on-disc order.
   *
   * @example
   * ```ts
   * for (const e of await iso.readdir('/isolinux')) console.log(e.name, e.size);
   * ```
   */
  async readdir(path: string | IsoEntry, options: OperationOptions = {}): Promise<IsoEntry[]> {
    const dir = typeof path === 'string' ? await this.stat(path, options) : path;
    if (dir?.type !== 'directory')
      throw new ImageReadFailed({
        imageType: 'iso',
        error: `${String(typeof path === 'string' ? path : path.path)} is not a directory`,
      });
    return this.#readDirectory(dir, options.signal);
  }

  /**
   * The entry at `path`, or undefined. Plain ISO 9660 names match without regard to case.
   *
   * @example
   * ```ts
   * const cfg = await iso.stat('/EFI/BOOT/grub.cfg');
   * ```
   */
  async stat(path: string, options: OperationOptions = {}): Promise<IsoEntry | undefined> {
    const parts = path === '/' || path === '' ? [] : splitPath(path);
    if (parts === undefined) return undefined;
    let entry: IsoEntry | undefined = this.#root;
    for (const part of parts) {
      if (entry?.type !== 'directory') return undefined;
      const children: IsoEntry[] = await this.#readDirectory(entry, options.signal);
      entry =
        children.find((c) => c.name === part) ??
        (this.namespace === 'iso9660'
          ? children.find((c) => c.name.toUpperCase() === part.toUpperCase())
          : undefined);
    }
    return entry;
  }

  /**
   * Every entry below `path` (default: the whole tree), parents before children.
   *
   * @example
   * ```ts
   * const files = (await iso.walk()).filter((e) => e.type === 'file');
   * ```
   */
  async walk(path = '/', options: OperationOptions = {}): Promise<IsoEntry[]> {
    const start = await this.stat(path, options);
    if (start === undefined) throw new ImageReadFailed({ imageType: 'iso', error: `${path} does not exist` });
    const out: IsoEntry[] = [];
    const queue = start.type === 'directory' ? [start] : [];
    if (start.type !== 'directory') out.push(start);
    for (let dir = queue.shift(); dir !== undefined; dir = queue.shift()) {
      for (const child of await this.#readDirectory(dir, options.signal)) {
        out.push(child);
        if (child.type === 'directory') queue.push(child);
      }
    }
    return out;
  }

  /**
   * A file's bytes as a stream of chunks, read from the image as they are consumed.
   *
   * @example
   * ```ts
   * await writeImageFile(iso.chunks('/images/efiboot.img'), 'efiboot.img');
   * ```
   */
  async *chunks(path: string | IsoEntry, options: OperationOptions = {}): AsyncGenerator<Uint8Array> {
    const entry = typeof path === 'string' ? await this.stat(path, options) : path;
    if (entry?.type !== 'file')
      throw new ImageReadFailed({
        imageType: 'iso',
        error: `${typeof path === 'string' ? path : path.path} is not a file`,
      });
    yield* this.#extentChunks(entry.extents, options.signal);
  }

  /**
   * A whole file in memory (for small files such as `grub.cfg`).
   *
   * @example
   * ```ts
   * const cfg = new TextDecoder().decode(await iso.readFile('/EFI/BOOT/grub.cfg'));
   * ```
   */
  async readFile(path: string | IsoEntry, options: OperationOptions = {}): Promise<Uint8Array> {
    const parts: Uint8Array[] = [];
    for await (const chunk of this.chunks(path, options)) parts.push(chunk);
    return concatBytes(parts);
  }

  /**
   * The bytes of an El Torito boot image (its file's length, else its sector count).
   *
   * @example
   * ```ts
   * const uefi = iso.bootEntries.find((e) => e.platform === 'uefi');
   * if (uefi) await writeImageFile(iso.bootImage(uefi), 'efiboot.img');
   * ```
   */
  bootImage(entry: ElToritoEntry, options: OperationOptions = {}): AsyncGenerator<Uint8Array> {
    return this.#extentChunks([{ block: entry.block, size: entry.size }], options.signal);
  }

  /** Closes the underlying file. */
  close(): Promise<void> {
    return this.#source.close();
  }

  async *#extentChunks(
    extents: readonly IsoExtent[],
    signal: AbortSignal | undefined,
  ): AsyncGenerator<Uint8Array> {
    for (const extent of extents) {
      for (let done = 0; done < extent.size; ) {
        const want = Math.min(READ_CHUNK, extent.size - done);
        const chunk = await this.#source.read(extent.block * BLOCK + done, want, signal);
        if (chunk.length < want)
          throw new ImageReadFailed({
            imageType: 'iso',
            error: `extent at block ${extent.block} runs past the end of the image`,
          });
        yield chunk;
        done += want;
      }
    }
  }

  async #read(offset: number, length: number, signal: AbortSignal | undefined): Promise<Uint8Array> {
    const bytes = await this.#source.read(offset, length, signal);
    if (bytes.length < length)
      throw new ImageReadFailed({
        imageType: 'iso',
        error: `read of ${length} bytes at ${offset} runs past the end`,
      });
    return bytes;
  }

  async #readDirectory(dir: IsoEntry, signal: AbortSignal | undefined): Promise<IsoEntry[]> {
    const block = dir.extents[0]?.block ?? 0;
    const cached = this.#cache.get(block);
    if (cached) return cached;
    const data = await this.#read(block * BLOCK, dir.size, signal);
    const out: IsoEntry[] = [];
    let pending: { entry: IsoEntry; extents: IsoExtent[] } | undefined;
    for (let at = 0; at < data.length; ) {
      const length = data[at]!;
      if (length === 0) {
        at = (Math.floor(at / BLOCK) + 1) * BLOCK;
        continue;
      }
      const record = data.subarray(at, at + length);
      at += length;
      const idLength = record[32]!;
      if (idLength === 1 && (record[33] === 0 || record[33] === 1)) continue;
      const parsed = await this.#parseRecord(record, dir.path, signal);
      if (parsed === undefined) continue;
      const { entry, final } = parsed;
      if (pending !== undefined) {
        pending.extents.push(...entry.extents);
        if (final) {
          out.push(withExtents(pending.entry, pending.extents));
          pending = undefined;
        }
        continue;
      }
      if (final) out.push(entry);
      else pending = { entry, extents: [...entry.extents] };
    }
    if (pending !== undefined) out.push(withExtents(pending.entry, pending.extents));
    this.#cache.set(block, out);
    return out;
  }

  async #parseRecord(
    record: Uint8Array,
    parentPath: string,
    signal: AbortSignal | undefined,
  ): Promise<{ entry: IsoEntry; final: boolean } | undefined> {
    const view = new DataView(record.buffer, record.byteOffset, record.byteLength);
    const idLength = record[32]!;
    const id = record.subarray(33, 33 + idLength);
    const flags = record[25]!;
    let block = view.getUint32(2, true);
    let size = view.getUint32(10, true);
    let name = this.#joliet ? decodeUcs2(id) : new TextDecoder('latin1').decode(id);
    name = name.replace(/;\d+$/, '');
    if (!this.#joliet && this.namespace === 'iso9660') name = name.replace(/\.$/, '');
    let isDir = (flags & 0x02) !== 0;
    let rr: RockRidgeFields = {};
    if (this.#useRockRidge) {
      rr = await this.#rockRidge(
        record.subarray(33 + idLength + ((idLength + 1) % 2) + this.#suspSkip),
        signal,
      );
      if (rr.relocated) return undefined;
      if (rr.name !== undefined) name = rr.name;
      if (rr.childLink !== undefined) {
        const dot = await this.#read(rr.childLink * BLOCK, 34, signal);
        const dotView = new DataView(dot.buffer, dot.byteOffset, dot.byteLength);
        block = rr.childLink;
        size = dotView.getUint32(10, true);
        isDir = true;
      }
    }
    const isLink = rr.symlink !== undefined && rr.mode !== undefined && (rr.mode & 0o170000) === 0o120000;
    const entry: IsoEntry = {
      path: parentPath === '/' ? `/${name}` : `${parentPath}/${name}`,
      name,
      type: isDir ? 'directory' : isLink ? 'symlink' : 'file',
      size,
      mode: rr.mode,
      mtime: rr.mtime ?? recordTime(record.subarray(18, 25)),
      symlinkTarget: isLink ? rr.symlink : undefined,
      extents: [{ block, size }],
    };
    return { entry, final: (flags & 0x80) === 0 };
  }

  async #rockRidge(area: Uint8Array, signal: AbortSignal | undefined): Promise<RockRidgeFields> {
    const fields: RockRidgeFields = {};
    const state: SuspState = { name: '', link: '', linkContinues: false };
    let next = parseSystemUse(area, fields, state);
    for (let hops = 0; next !== undefined && hops < 32; hops++) {
      const more = await this.#read(next.block * BLOCK + next.offset, next.length, signal);
      next = parseSystemUse(more, fields, state);
    }
    return fields;
  }
}

function withExtents(entry: IsoEntry, extents: IsoExtent[]): IsoEntry {
  return { ...entry, size: extents.reduce((n, e) => n + e.size, 0), extents };
}

function decodeUcs2(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i + 1 < bytes.length; i += 2) out += String.fromCharCode((bytes[i]! << 8) | bytes[i + 1]!);
  return out;
}

function rootEntry(record: Uint8Array): IsoEntry {
  const view = new DataView(record.buffer, record.byteOffset, record.byteLength);
  const block = view.getUint32(2, true);
  const size = view.getUint32(10, true);
  return {
    path: '/',
    name: '',
    type: 'directory',
    size,
    mode: undefined,
    mtime: recordTime(record.subarray(18, 25)),
    symlinkTarget: undefined,
    extents: [{ block, size }],
  };
}

async function readDescriptors(
  source: RandomAccessSource,
  signal: AbortSignal | undefined,
): Promise<Descriptors> {
  let label: string | undefined;
  let primaryRoot: Uint8Array | undefined;
  let jolietRoot: Uint8Array | undefined;
  let catalogBlock: number | undefined;
  for (let block = 16; block < 16 + 64; block++) {
    const d = await source.read(block * BLOCK, BLOCK, signal);
    if (d.length < BLOCK || new TextDecoder().decode(d.subarray(1, 6)) !== 'CD001') break;
    const type = d[0]!;
    if (type === 255) break;
    if (type === 1 && primaryRoot === undefined) {
      primaryRoot = d.slice(156, 190);
      label = new TextDecoder('latin1').decode(d.subarray(40, 72)).trimEnd();
    } else if (type === 2 && d[88] === 0x25 && d[89] === 0x2f && [0x40, 0x43, 0x45].includes(d[90]!)) {
      jolietRoot = d.slice(156, 190);
    } else if (type === 0 && new TextDecoder().decode(d.subarray(7, 30)) === 'EL TORITO SPECIFICATION') {
      catalogBlock = new DataView(d.buffer, d.byteOffset).getUint32(71, true);
    }
  }
  if (primaryRoot === undefined || label === undefined)
    throw new ImageReadFailed({
      imageType: 'iso',
      error: 'no ISO 9660 primary volume descriptor from block 16 on',
    });
  return { label, primaryRoot, jolietRoot, catalogBlock };
}

/** Whether the primary tree carries Rock Ridge, and the SUSP skip length. */
async function detectRockRidge(source: RandomAccessSource, root: IsoEntry, signal: AbortSignal | undefined) {
  const dot = await source.read(root.extents[0]!.block * BLOCK, 255, signal);
  const length = dot[0] ?? 0;
  const record = dot.subarray(0, length);
  const fields: RockRidgeFields = {};
  const state: SuspState = { name: '', link: '', linkContinues: false };
  let next = parseSystemUse(record.subarray(34), fields, state);
  for (let hops = 0; next !== undefined && hops < 8; hops++)
    next = parseSystemUse(
      await source.read(next.block * BLOCK + next.offset, next.length, signal),
      fields,
      state,
    );
  const rockRidge =
    fields.suspSkip !== undefined &&
    (fields.extension === undefined || RRIP_IDS.has(fields.extension) || fields.mode !== undefined);
  return { rockRidge, skip: fields.suspSkip ?? 0 };
}

/**
 * Opens an ISO 9660 image (with Joliet and Rock Ridge when present) for reading, and reads its
 * El Torito catalog. Throws `ImageReadFailed` when it is not an ISO image.
 *
 * @example
 * ```ts
 * const iso = await openIsoImage('/srv/images/deploy.iso');
 * console.log(iso.volumeLabel, iso.namespace, iso.bootEntries.map((e) => e.platform));
 * await iso.close();
 * ```
 */
export async function openIsoImage(image: ReadableImage, options: OpenIsoOptions = {}): Promise<IsoImage> {
  const { signal } = options;
  const source = await openRandomAccess(image, 'iso');
  try {
    const d = await readDescriptors(source, signal);
    const primary = rootEntry(d.primaryRoot);
    const { rockRidge, skip } = await detectRockRidge(source, primary, signal);
    const wanted = options.namespace ?? (rockRidge ? 'rock-ridge' : d.jolietRoot ? 'joliet' : 'iso9660');
    if ((wanted === 'rock-ridge' && !rockRidge) || (wanted === 'joliet' && d.jolietRoot === undefined))
      throw new ImageReadFailed({ imageType: 'iso', error: `the image has no ${wanted} tree` });
    const root = wanted === 'joliet' && d.jolietRoot ? rootEntry(d.jolietRoot) : primary;
    const tree = new IsoImage(source, d.label, wanted, root, skip, []);
    if (d.catalogBlock === undefined) return tree;
    const raw = await readBootCatalog(source, d.catalogBlock, signal);
    const files = new Map<number, IsoEntry>();
    if (raw.length > 0)
      for (const e of await tree.walk('/', { signal }))
        if (e.type === 'file' && e.extents[0] !== undefined) files.set(e.extents[0].block, e);
    const entries = raw.map((e): ElToritoEntry => {
      const file = files.get(e.block);
      return { ...e, path: file?.path, size: file?.size ?? Math.max(1, e.sectorCount) * 512 };
    });
    return new IsoImage(source, d.label, wanted, root, skip, entries);
  } catch (error) {
    await source.close();
    throw error;
  }
}
