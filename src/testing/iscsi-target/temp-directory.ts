/**
 * The simulator's directory of temp backing files: made on first use, removed by `close()`, and
 * removed at process exit even when a test forgot to close.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const live = new Set<string>();
let exitHook = false;

export class TempDirectory {
  private dir: string | undefined;

  constructor(private readonly base: string) {}

  /** The directory, made now if need be. */
  async path(): Promise<string> {
    if (this.dir === undefined) {
      this.dir = mkdtempSync(join(this.base, 'ironic-ilo-iscsi-'));
      live.add(this.dir);
      if (!exitHook) {
        exitHook = true;
        process.once('exit', () => {
          for (const d of live) rmSync(d, { recursive: true, force: true });
        });
      }
    }
    return this.dir;
  }

  /** Removes the directory and what is in it. */
  remove(): void {
    if (this.dir === undefined) return;
    rmSync(this.dir, { recursive: true, force: true });
    live.delete(this.dir);
    this.dir = undefined;
  }
}
