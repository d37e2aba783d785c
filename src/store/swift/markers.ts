import type { OperationOptions } from '../../contracts/index.js';
import { type MarkerBackend, markerDirOf, RESERVED_PREFIX } from '../holders.js';
import type { SwiftObjects } from './objects.js';

const EMPTY = new Uint8Array(0);

/**
 * Holder markers as zero-byte objects `.ironic-ilo/holders/<name>/<marker>` in the store's
 * container. Deletion intents carry `X-Delete-After`, so one abandoned by a crashed process
 * disappears on its own.
 */
export class SwiftMarkers implements MarkerBackend {
  readonly #objects: SwiftObjects;
  readonly #tombstoneTtl: number;

  constructor(objects: SwiftObjects, tombstoneTtlSeconds: number) {
    this.#objects = objects;
    this.#tombstoneTtl = tombstoneTtlSeconds;
  }

  #dir(name: string): string {
    return `${RESERVED_PREFIX}/holders/${markerDirOf(name)}/`;
  }

  async putMarker(name: string, marker: string, options: OperationOptions): Promise<void> {
    await this.#objects.put(this.#dir(name) + marker, EMPTY, {
      ...(marker.startsWith('d.') ? { ttlSeconds: this.#tombstoneTtl } : {}),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
  }

  async removeMarker(name: string, marker: string, options: OperationOptions): Promise<void> {
    await this.#objects.delete(this.#dir(name) + marker, options.signal);
  }

  async listMarkers(name: string, options: OperationOptions): Promise<string[]> {
    const dir = this.#dir(name);
    return (await this.#objects.list(dir, options.signal)).map((o) => o.name.slice(dir.length));
  }

  async objectExists(name: string, options: OperationOptions): Promise<boolean> {
    return (await this.#objects.head(name, options.signal)) !== undefined;
  }

  async deleteObject(name: string, options: OperationOptions): Promise<void> {
    await this.#objects.delete(name, options.signal);
  }
}
