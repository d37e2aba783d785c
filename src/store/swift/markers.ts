import type { Clock, OperationOptions } from '../../contracts/index.js';
import { type MarkerBackend, markerDirOf, RESERVED_PREFIX } from '../holders.js';
import { pause } from '../http.js';
import type { SwiftConnection } from './connection.js';
import type { SwiftObjects } from './objects.js';

const EMPTY = new Uint8Array(0);

/** Timing of {@link SwiftMarkers}. */
export interface SwiftMarkerTiming {
  clock: Clock;
  /** Deletion intents get `X-Delete-After` of this many seconds. */
  tombstoneTtlSeconds: number;
  /** How long to wait for the container listing to show a new marker. */
  visibleTimeoutMs: number;
  /** How often to look. */
  pollMs: number;
}

/**
 * Holder markers as zero-byte objects `.ironic-ilo/holders/<name>/<marker>` in the store's
 * container. Swift updates container listings asynchronously (an object server waits about a
 * second for the update, then lets it finish in the background), so `putMarker` returns only
 * once the listing shows the marker, and `markerExists` asks the object itself. Deletion intents
 * carry `X-Delete-After`, so one abandoned by a crashed process disappears on its own.
 */
export class SwiftMarkers implements MarkerBackend {
  readonly #objects: SwiftObjects;
  readonly #conn: SwiftConnection;
  readonly #timing: SwiftMarkerTiming;

  constructor(objects: SwiftObjects, conn: SwiftConnection, timing: SwiftMarkerTiming) {
    this.#objects = objects;
    this.#conn = conn;
    this.#timing = timing;
  }

  #dir(name: string): string {
    return `${RESERVED_PREFIX}/holders/${markerDirOf(name)}/`;
  }

  async putMarker(name: string, marker: string, options: OperationOptions): Promise<void> {
    const key = this.#dir(name) + marker;
    await this.#objects.put(key, EMPTY, {
      ...(marker.startsWith('d.') ? { ttlSeconds: this.#timing.tombstoneTtlSeconds } : {}),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
    const { clock } = this.#timing;
    const deadline = clock.now() + this.#timing.visibleTimeoutMs;
    while (!(await this.#objects.list(key, options.signal)).some((o) => o.name === key)) {
      if (clock.now() >= deadline) {
        await this.#objects.delete(key, undefined).catch(() => false);
        throw this.#conn.error(
          'put marker',
          `the container listing did not show ${marker} within ${this.#timing.visibleTimeoutMs} ms (container updates are lagging); try again`,
        );
      }
      await pause(clock, this.#timing.pollMs, options.signal);
    }
  }

  async removeMarker(name: string, marker: string, options: OperationOptions): Promise<void> {
    await this.#objects.delete(this.#dir(name) + marker, options.signal);
  }

  async listMarkers(name: string, options: OperationOptions): Promise<string[]> {
    const dir = this.#dir(name);
    return (await this.#objects.list(dir, options.signal)).map((o) => o.name.slice(dir.length));
  }

  async markerExists(name: string, marker: string, options: OperationOptions): Promise<boolean> {
    return (await this.#objects.head(this.#dir(name) + marker, options.signal)) !== undefined;
  }

  async objectExists(name: string, options: OperationOptions): Promise<boolean> {
    return (await this.#objects.head(name, options.signal)) !== undefined;
  }

  async deleteObject(name: string, options: OperationOptions): Promise<void> {
    await this.#objects.delete(name, options.signal);
  }
}
