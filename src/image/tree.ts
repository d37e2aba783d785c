import { ImageCreationFailed } from '../errors/index.js';
import type { ResolvedInput } from './source.js';

/** A file placed in an image. */
export interface TreeFile {
  readonly kind: 'file';
  readonly name: string;
  readonly input: ResolvedInput;
  /** POSIX permission bits (Rock Ridge), when the caller set them. */
  readonly mode: number | undefined;
}

/** A directory of an image; children sorted by name so output does not depend on input order. */
export interface TreeDir {
  readonly kind: 'dir';
  readonly name: string;
  readonly children: Array<TreeFile | TreeDir>;
  mode: number | undefined;
}

/** One path to place: a file (with an input) or an explicit, possibly empty, directory. */
export interface TreeEntry {
  readonly path: string;
  readonly input?: ResolvedInput;
  readonly mode?: number;
}

/** Splits `a/b/c` into parts, refusing empty, `.` and `..` parts. */
export function splitPath(path: string): string[] | undefined {
  const parts = path.replace(/^\/+/, '').split('/');
  if (parts.some((p) => p === '' || p === '.' || p === '..')) return undefined;
  return parts;
}

/**
 * Builds the directory tree of an image from flat paths, creating parent directories.
 * `fold` maps a name to the key two names collide on (FAT ignores case; ISO does not).
 * Every bad path is named in one error.
 */
export function buildTree(
  entries: readonly TreeEntry[],
  imageType: string,
  checkName: (name: string) => string | undefined,
  fold: (name: string) => string = (n) => n,
): TreeDir {
  const root: TreeDir = { kind: 'dir', name: '', children: [], mode: undefined };
  const keys = new Map<TreeDir, Map<string, TreeFile | TreeDir>>([[root, new Map()]]);
  const problems: string[] = [];
  for (const entry of entries) {
    const parts = splitPath(entry.path);
    if (parts === undefined) {
      problems.push(`path '${entry.path}' has an empty, '.' or '..' part`);
      continue;
    }
    const bad = parts.map((p) => [p, checkName(p)] as const).find(([, why]) => why !== undefined);
    if (bad !== undefined) {
      problems.push(`name '${bad[0]}' in '${entry.path}' ${bad[1]}`);
      continue;
    }
    let dir = root;
    for (const [i, part] of parts.entries()) {
      const siblings = keys.get(dir)!;
      const existing = siblings.get(fold(part));
      const last = i === parts.length - 1;
      if (last && entry.input !== undefined) {
        if (existing !== undefined) {
          problems.push(`'${entry.path}' is given twice (or clashes with another name)`);
          break;
        }
        const file: TreeFile = { kind: 'file', name: part, input: entry.input, mode: entry.mode };
        siblings.set(fold(part), file);
        dir.children.push(file);
        break;
      }
      if (existing?.kind === 'file') {
        problems.push(
          `'${entry.path}' needs '${parts.slice(0, i + 1).join('/')}' as a directory, but it is a file`,
        );
        break;
      }
      let next = existing;
      if (next === undefined) {
        next = { kind: 'dir', name: part, children: [], mode: undefined };
        siblings.set(fold(part), next);
        keys.set(next, new Map());
        dir.children.push(next);
      }
      dir = next;
      if (last && entry.mode !== undefined) dir.mode = entry.mode;
    }
  }
  if (problems.length > 0) throw new ImageCreationFailed({ imageType, error: problems.join('; ') });
  sortTree(root);
  return root;
}

function sortTree(dir: TreeDir): void {
  dir.children.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const child of dir.children) if (child.kind === 'dir') sortTree(child);
}

/** Every directory of the tree, parents before children (root first). */
export function directoriesOf(root: TreeDir): TreeDir[] {
  const out: TreeDir[] = [root];
  for (let i = 0; i < out.length; i++)
    for (const child of out[i]!.children) if (child.kind === 'dir') out.push(child);
  return out;
}
