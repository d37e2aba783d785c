import { mkdir, realpath, rmdir } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { InvalidParameterValue } from '../../errors/index.js';
import { validateImageName } from '../names.js';

/** Mode of the directories the store creates: traversable by the web server's user. */
export const DIR_MODE = 0o755;

/** Whether `child` is `root` or inside it. */
export function isInside(root: string, child: string): boolean {
  const rel = relative(root, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

function escapes(name: string): InvalidParameterValue {
  return new InvalidParameterValue(`Invalid image name ${JSON.stringify(name)}: it escapes http_root.`, {
    fields: [{ field: 'name', problem: 'escapes http_root' }],
  });
}

/** Where `name` lives under `root`. Lexical checks only (see {@link prepareParent}). */
export function pathOf(root: string, name: string): string {
  validateImageName(name);
  const path = resolve(root, ...name.split('/'));
  if (!isInside(root, path) || path === root) throw escapes(name);
  return path;
}

/**
 * Creates the parent directories of `path` one at a time, checking each (after resolving
 * symbolic links) is still inside `root`, so that a link planted in http_root can lead neither a
 * publish nor a `mkdir` elsewhere. Returns the first directory it created, if any, so that a
 * failed publish can remove what it made.
 */
export async function prepareParent(root: string, path: string, name: string): Promise<string | undefined> {
  // http_root itself is the operator's directory: create it if it is missing rather than fail.
  await mkdir(root, { recursive: true, mode: DIR_MODE });
  const realRoot = await realpath(root);
  const rel = relative(root, dirname(path));
  let current = root;
  let firstCreated: string | undefined;
  for (const segment of rel === '' ? [] : rel.split(sep)) {
    current = join(current, segment);
    try {
      await mkdir(current, { mode: DIR_MODE });
      firstCreated ??= current;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    if (!isInside(realRoot, await realpath(current))) throw escapes(name);
  }
  return firstCreated;
}

/** Removes the directories a failed publish created, deepest first, if they are still empty. */
export async function removeCreated(parent: string, firstCreated: string | undefined): Promise<void> {
  if (firstCreated === undefined) return;
  for (let dir = parent; isInside(firstCreated, dir); dir = dirname(dir)) {
    try {
      await rmdir(dir);
    } catch {
      return;
    }
    if (dir === firstCreated) return;
  }
}

/** Like {@link prepareParent} but creates nothing: false when the parent does not exist. */
export async function parentIsSafe(root: string, path: string, name: string): Promise<boolean> {
  try {
    const [realRoot, realParent] = await Promise.all([realpath(root), realpath(dirname(path))]);
    if (!isInside(realRoot, realParent)) throw escapes(name);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
}

/** The relative image name of an absolute path under root, `/`-separated. */
export function nameOf(root: string, path: string): string {
  return relative(root, path).split(sep).join('/');
}
