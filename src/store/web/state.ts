import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rmdir, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { OperationOptions } from '../../contracts/index.js';
import { type MarkerBackend, markerDirOf } from '../holders.js';

/** Mode of the state directory: private to the conductor, never served by the web server. */
const STATE_MODE = 0o700;

/** A recorded expiry. */
export interface Expiry {
  name: string;
  expiresAt: number;
}

function ignoreMissing(e: unknown): void {
  const code = (e as NodeJS.ErrnoException).code;
  if (code !== 'ENOENT') throw e;
}

/**
 * The web-server store's bookkeeping, kept outside what the web server should serve
 * (`<http_root>/.ironic-ilo`, mode 0700, by default): expiries (a web server has no
 * `X-Delete-After`), one file per object named by the SHA-256 of its name so that the names of
 * secret images do not show; and holder markers of shared objects.
 */
export class WebState {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = dir;
  }

  async #ensure(sub: string): Promise<string> {
    await mkdir(this.dir, { recursive: true, mode: STATE_MODE });
    const path = join(this.dir, sub);
    await mkdir(path, { recursive: true, mode: STATE_MODE });
    return path;
  }

  #expiryPath(name: string): string {
    return join(this.dir, 'expiry', `${createHash('sha256').update(name).digest('hex')}.json`);
  }

  /** Records (atomically) that `name` expires at `expiresAt` (Unix ms). */
  async setExpiry(name: string, expiresAt: number): Promise<void> {
    const dir = await this.#ensure('expiry');
    const path = this.#expiryPath(name);
    const tmp = join(dir, `.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`);
    try {
      await writeFile(tmp, JSON.stringify({ name, expiresAt } satisfies Expiry), { mode: 0o600 });
      await rename(tmp, path);
    } catch (e) {
      await unlink(tmp).catch(() => undefined);
      throw e;
    }
  }

  /** The expiry of `name` (Unix ms), if it has one. */
  async expiryOf(name: string): Promise<number | undefined> {
    try {
      const e = JSON.parse(await readFile(this.#expiryPath(name), 'utf8')) as Expiry;
      return e.name === name && Number.isFinite(e.expiresAt) ? e.expiresAt : undefined;
    } catch (e) {
      ignoreMissing(e);
      return undefined;
    }
  }

  /** Forgets the expiry of `name`. */
  async clearExpiry(name: string): Promise<void> {
    await unlink(this.#expiryPath(name)).catch(ignoreMissing);
  }

  /** Every recorded expiry (unreadable records are skipped). */
  async expiries(): Promise<Expiry[]> {
    let files: string[];
    try {
      files = await readdir(join(this.dir, 'expiry'));
    } catch (e) {
      ignoreMissing(e);
      return [];
    }
    const out: Expiry[] = [];
    for (const f of files.filter((f) => f.endsWith('.json'))) {
      try {
        const e = JSON.parse(await readFile(join(this.dir, 'expiry', f), 'utf8')) as Expiry;
        if (typeof e.name === 'string' && Number.isFinite(e.expiresAt)) out.push(e);
      } catch {
        // Removed or being replaced concurrently: the next sweep sees it.
      }
    }
    return out;
  }

  /** A {@link MarkerBackend} over marker files, for the reference-counting protocol. */
  markers(
    objectExists: (name: string) => Promise<boolean>,
    deleteObject: (name: string) => Promise<void>,
  ): MarkerBackend {
    const dirOf = (name: string) => join(this.dir, 'holders', markerDirOf(name));
    return {
      putMarker: async (name: string, marker: string, _options: OperationOptions) => {
        for (let attempt = 0; ; attempt++) {
          try {
            await this.#ensure(join('holders', markerDirOf(name)));
            await writeFile(join(dirOf(name), marker), '', { mode: 0o600 });
            return;
          } catch (e) {
            // A concurrent release removed the (then empty) directory while we created it or
            // before we wrote into it.
            if ((e as NodeJS.ErrnoException).code !== 'ENOENT' || attempt >= 10) throw e;
          }
        }
      },
      removeMarker: async (name: string, marker: string) => {
        await unlink(join(dirOf(name), marker)).catch(ignoreMissing);
        await rmdir(dirOf(name)).catch(() => undefined);
      },
      listMarkers: async (name: string) => {
        try {
          return await readdir(dirOf(name));
        } catch (e) {
          ignoreMissing(e);
          return [];
        }
      },
      objectExists: (name: string) => objectExists(name),
      deleteObject: (name: string) => deleteObject(name),
    };
  }
}

/** Whether `path` is a regular file. */
export async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch (e) {
    ignoreMissing(e);
    return false;
  }
}
