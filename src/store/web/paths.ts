import { mkdir, realpath } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
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
 * Creates the parent directories of `path` and checks, after resolving symbolic links, that
 * they are still inside `root` (a link planted in http_root must not lead a publish elsewhere).
 */
export async function prepareParent(root: string, path: string, name: string): Promise<void> {
  const parent = dirname(path);
  await mkdir(parent, { recursive: true, mode: DIR_MODE });
  const [realRoot, realParent] = await Promise.all([realpath(root), realpath(parent)]);
  if (!isInside(realRoot, realParent)) throw escapes(name);
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
