import { ImageCreationFailed } from '../../errors/index.js';
import { ImageStream, type Segment } from '../image-stream.js';
import type { ResolvedInput } from '../source.js';
import { buildTree, splitPath, type TreeDir, type TreeEntry, type TreeFile } from '../tree.js';
import { bootRecord, type TreeLocation, terminator, volumeDescriptor } from './descriptors.js';
import {
  type BootEntry,
  bootCatalog,
  efiSectors,
  PLATFORM_BIOS,
  PLATFORM_EFI,
  patchBootInfoTable,
} from './el-torito.js';
import { BLOCK, blocks, latin1, ucs2 } from './encoding.js';
import { compareIdentifiers, invalidIsoName, isoIdentifiers, jolietNames } from './names.js';
import {
  directorySize,
  encodeDirectory,
  encodePathTable,
  FLAG_DIRECTORY,
  FLAG_NOT_FINAL,
  type PathTableRow,
  pathTableSize,
  type RecordSpec,
  recordSpec,
} from './records.js';
import { er, nm, px, rr, S_IFDIR, S_IFREG, sp, tf } from './rock-ridge.js';

/** What the ISO writer needs; {@link buildIsoImage} fills it in from its options. */
export interface IsoVolumePlan {
  readonly entries: readonly TreeEntry[];
  readonly volumeLabel: string;
  readonly publisher: string;
  readonly applicationId: string;
  readonly timestamp: Date;
  readonly joliet: boolean;
  readonly rockRidge: boolean;
  /** BIOS no-emulation entry: the boot file's path, sectors to load, and whether to patch a boot-info table. */
  readonly bios:
    | { readonly path: string; readonly loadSectors: number; readonly bootInfoTable: boolean }
    | undefined;
  /** UEFI entry: the ESP image's path. */
  readonly uefi: { readonly path: string } | undefined;
  /** Largest extent of one file (level 3 splits bigger files); a multiple of 2048. */
  readonly maxExtentSize: number;
}

/** Largest extent a directory record can describe, rounded down to whole blocks. */
export const MAX_EXTENT_SIZE = 0xffff_f800;
/** Largest BIOS boot file that is patched in memory. */
const MAX_BIOS_IMAGE = 16 << 20;
const MAX_BLOCKS = 0xffff_ffff;
const MAX_DIRECTORIES = 0xffff;

type Node = TreeFile | TreeDir;
interface Extent {
  block: number;
  size: number;
}

/** One directory tree (primary or Joliet): its naming, order and extents. */
interface TreeView {
  readonly order: TreeDir[];
  readonly parent: Map<TreeDir, TreeDir>;
  readonly names: Map<Node, string>;
  readonly children: Map<TreeDir, Node[]>;
  readonly extents: Map<TreeDir, Extent>;
  readonly specs: Map<TreeDir, RecordSpec[]>;
}

function viewTree(root: TreeDir, joliet: boolean): TreeView {
  const view: TreeView = {
    order: [root],
    parent: new Map(),
    names: new Map(),
    children: new Map(),
    extents: new Map(),
    specs: new Map(),
  };
  for (let i = 0; i < view.order.length; i++) {
    const dir = view.order[i]!;
    const ids = joliet
      ? jolietNames(dir.children.map((c) => c.name))
      : isoIdentifiers(dir.children.map((c) => ({ name: c.name, isDir: c.kind === 'dir' })));
    for (const [k, c] of dir.children.entries()) view.names.set(c, ids[k]!);
    const sorted = [...dir.children].sort((a, b) =>
      joliet
        ? compareUcs2(view.names.get(a)!, view.names.get(b)!)
        : compareIdentifiers(view.names.get(a)!, view.names.get(b)!),
    );
    view.children.set(dir, sorted);
    for (const c of sorted)
      if (c.kind === 'dir') {
        view.parent.set(c, dir);
        view.order.push(c);
      }
  }
  return view;
}

function compareUcs2(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Lays out an ISO 9660 volume with Joliet, Rock Ridge and El Torito; file data streams from the inputs. */
export async function buildIsoVolume(plan: IsoVolumePlan, signal?: AbortSignal): Promise<ImageStream> {
  const root = buildTree(plan.entries, 'iso', invalidIsoName);
  const bios = plan.bios && bootFile(root, plan.bios.path, 'BIOS boot image');
  const uefi = plan.uefi && bootFile(root, plan.uefi.path, 'UEFI boot image');
  const biosBytes =
    bios !== undefined && plan.bios?.bootInfoTable ? await readSmall(bios.input, signal) : undefined;
  const primary = viewTree(root, false);
  const joliet = plan.joliet ? viewTree(root, true) : undefined;
  if (primary.order.length > MAX_DIRECTORIES)
    throw new ImageCreationFailed({
      imageType: 'iso',
      error: `${primary.order.length} directories exceed the path table's ${MAX_DIRECTORIES}`,
    });
  const fileExtents = new Map<TreeFile, Extent[]>();

  for (const view of joliet ? [primary, joliet] : [primary]) {
    const isJoliet = view === joliet;
    for (const dir of view.order) view.specs.set(dir, directorySpecs(view, dir, isJoliet, plan, fileExtents));
  }

  // Allocation, in the order the blocks appear on the medium.
  let next = 16;
  const pvdBlock = next++;
  const bootRecordBlock = bios || uefi ? next++ : undefined;
  const svdBlock = joliet ? next++ : undefined;
  const terminatorBlock = next++;
  const catalogBlock = bios || uefi ? next++ : undefined;
  const tables = new Map<TreeView, { rows: PathTableRow[]; l: number; m: number }>();
  for (const view of joliet ? [primary, joliet] : [primary]) {
    const rows = pathTableRows(view, view === joliet);
    const size = blocks(pathTableSize(rows));
    tables.set(view, { rows, l: next, m: next + size });
    next += 2 * size;
  }
  for (const view of joliet ? [primary, joliet] : [primary])
    for (const dir of view.order) {
      const size = directorySize(view.specs.get(dir)!);
      view.extents.set(dir, { block: next, size });
      next += size / BLOCK;
    }
  const continuationBlocks: Uint8Array[] = [];
  let ceOffset = BLOCK;
  for (const dir of primary.order)
    for (const spec of primary.specs.get(dir)!) {
      if (spec.continued === undefined) continue;
      if (ceOffset + spec.continued.length > BLOCK) {
        continuationBlocks.push(new Uint8Array(BLOCK));
        ceOffset = 0;
      }
      const index = continuationBlocks.length - 1;
      continuationBlocks[index]!.set(spec.continued, ceOffset);
      spec.continuation = { block: next + index, offset: ceOffset };
      ceOffset += spec.continued.length;
    }
  const ceStart = next;
  next += continuationBlocks.length;
  const files: TreeFile[] = primary.order.flatMap((d) =>
    primary.children.get(d)!.filter((c): c is TreeFile => c.kind === 'file'),
  );
  for (const file of files) {
    const extents: Extent[] = [];
    let left = file.input.size;
    do {
      const size = Math.min(left, plan.maxExtentSize);
      extents.push({ block: size === 0 ? 0 : next, size });
      next += blocks(size);
      left -= size;
    } while (left > 0);
    fileExtents.set(file, extents);
    if (next > MAX_BLOCKS)
      throw new ImageCreationFailed({
        imageType: 'iso',
        error: `${file.input.label} (${file.input.size} bytes) takes the image past ISO 9660's limit of ${MAX_BLOCKS} blocks of 2048 bytes`,
      });
  }
  const volumeBlocks = next;

  const segments: Segment[] = [];
  const fields = { ...plan, volumeBlocks };
  const location = (view: TreeView): TreeLocation => {
    const table = tables.get(view)!;
    const rootSpec = view.specs.get(root)![0]!;
    const rootRecord = encodeDirectory(
      [recordSpec(Uint8Array.of(0), FLAG_DIRECTORY, rootSpec.extent, [])],
      plan.timestamp,
    ).subarray(0, 34);
    return { rootRecord, pathTableSize: pathTableSize(table.rows), lPathTable: table.l, mPathTable: table.m };
  };
  segments.push({ offset: pvdBlock * BLOCK, bytes: volumeDescriptor(fields, location(primary), false) });
  if (joliet && svdBlock !== undefined)
    segments.push({ offset: svdBlock * BLOCK, bytes: volumeDescriptor(fields, location(joliet), true) });
  segments.push({ offset: terminatorBlock * BLOCK, bytes: terminator() });
  if (bootRecordBlock !== undefined && catalogBlock !== undefined) {
    segments.push({ offset: bootRecordBlock * BLOCK, bytes: bootRecord(catalogBlock) });
    const entries: BootEntry[] = [];
    if (bios && plan.bios)
      entries.push({
        platform: PLATFORM_BIOS,
        block: fileExtents.get(bios)![0]!.block,
        sectors: plan.bios.loadSectors,
      });
    if (uefi)
      entries.push({
        platform: PLATFORM_EFI,
        block: fileExtents.get(uefi)![0]!.block,
        sectors: efiSectors(uefi.input.size),
      });
    segments.push({ offset: catalogBlock * BLOCK, bytes: bootCatalog(entries) });
  }
  for (const table of tables.values()) {
    segments.push({ offset: table.l * BLOCK, bytes: encodePathTable(table.rows, true) });
    segments.push({ offset: table.m * BLOCK, bytes: encodePathTable(table.rows, false) });
  }
  for (const view of joliet ? [primary, joliet] : [primary])
    for (const dir of view.order)
      segments.push({
        offset: view.extents.get(dir)!.block * BLOCK,
        bytes: encodeDirectory(view.specs.get(dir)!, plan.timestamp),
      });
  for (const [i, bytes] of continuationBlocks.entries())
    segments.push({ offset: (ceStart + i) * BLOCK, bytes });
  for (const file of files) {
    const first = fileExtents.get(file)![0]!;
    if (file.input.size === 0) continue;
    if (file === bios && biosBytes !== undefined)
      segments.push({
        offset: first.block * BLOCK,
        bytes: patchBootInfoTable(biosBytes, pvdBlock, first.block),
      });
    else segments.push({ offset: first.block * BLOCK, input: file.input });
  }
  return new ImageStream('iso', volumeBlocks * BLOCK, segments);
}

function directorySpecs(
  view: TreeView,
  dir: TreeDir,
  isJoliet: boolean,
  plan: IsoVolumePlan,
  fileExtents: ReadonlyMap<TreeFile, readonly Extent[]>,
): RecordSpec[] {
  const rockRidge = plan.rockRidge && !isJoliet;
  const time = tf(plan.timestamp);
  const parentDir = view.parent.get(dir) ?? dir;
  const isRoot = parentDir === dir;
  const dirPx = (d: TreeDir) =>
    px(S_IFDIR | (d.mode ?? 0o555), 2 + d.children.filter((c) => c.kind === 'dir').length);
  const specs = [
    recordSpec(
      Uint8Array.of(0),
      FLAG_DIRECTORY,
      () => view.extents.get(dir)!,
      rockRidge ? [...(isRoot ? [sp(), rr()] : []), dirPx(dir), time, ...(isRoot ? [er()] : [])] : [],
    ),
    recordSpec(
      Uint8Array.of(1),
      FLAG_DIRECTORY,
      () => view.extents.get(parentDir)!,
      rockRidge ? [dirPx(parentDir), time] : [],
    ),
  ];
  for (const child of view.children.get(dir)!) {
    const name = view.names.get(child)!;
    if (child.kind === 'dir') {
      const susp = rockRidge ? [dirPx(child), time, ...nm(child.name)] : [];
      specs.push(
        recordSpec(
          isJoliet ? ucs2(name) : latin1(name),
          FLAG_DIRECTORY,
          () => view.extents.get(child)!,
          susp,
        ),
      );
      continue;
    }
    const id = isJoliet ? ucs2(`${name};1`) : latin1(`${name};1`);
    const susp = rockRidge ? [px(S_IFREG | (child.mode ?? 0o444), 1), time, ...nm(child.name)] : [];
    const count = Math.max(1, Math.ceil(child.input.size / plan.maxExtentSize));
    for (let k = 0; k < count; k++)
      specs.push(recordSpec(id, k < count - 1 ? FLAG_NOT_FINAL : 0, () => fileExtents.get(child)![k]!, susp));
  }
  return specs;
}

function pathTableRows(view: TreeView, joliet: boolean): PathTableRow[] {
  const number = new Map(view.order.map((d, i) => [d, i + 1]));
  return view.order.map((dir, i) => ({
    id: i === 0 ? Uint8Array.of(0) : joliet ? ucs2(view.names.get(dir)!) : latin1(view.names.get(dir)!),
    parent: number.get(view.parent.get(dir) ?? dir)!,
    block: () => view.extents.get(dir)!.block,
  }));
}

/** The file at `path` in the tree, which a boot entry points at. */
function bootFile(root: TreeDir, path: string, what: string): TreeFile {
  let node: Node | undefined = root;
  for (const part of splitPath(path) ?? [''])
    node = node?.kind === 'dir' ? node.children.find((c) => c.name === part) : undefined;
  if (node?.kind !== 'file' || node.input.size === 0)
    throw new ImageCreationFailed({
      imageType: 'iso',
      error: `${what} ${path} is not a non-empty file of the image`,
    });
  return node;
}

/** Reads a small input whole (the BIOS boot file, which is patched). */
async function readSmall(input: ResolvedInput, signal: AbortSignal | undefined): Promise<Uint8Array> {
  if (input.size > MAX_BIOS_IMAGE)
    throw new ImageCreationFailed({
      imageType: 'iso',
      error: `${input.label} is ${input.size} bytes; a BIOS boot file with a boot-info table must be under ${MAX_BIOS_IMAGE}`,
    });
  const out = new Uint8Array(input.size);
  let at = 0;
  for await (const chunk of input.chunks(signal)) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}
