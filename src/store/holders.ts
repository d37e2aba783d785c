import { createHash, randomBytes } from 'node:crypto';
import type { Clock, OperationOptions } from '../contracts/index.js';
import { ImageNotFound } from '../errors/index.js';
import { pause } from './http.js';
import { validateHolderId, validateImageName } from './names.js';

/**
 * The primitives a store must offer for the reference-counting protocol of
 * {@link acquireHolder} and {@link releaseHolder}. Nothing needs to be atomic; what the protocol
 * needs is that **a marker is listed once `putMarker` has returned** (a directory does that by
 * itself; `SwiftStore` waits for the container listing to show it, since Swift updates listings
 * asynchronously) and, when listings may lag deletions, a `markerExists` that tells the truth.
 *
 * @example
 * ```ts
 * const markers: MarkerBackend = {
 *   putMarker: (name, marker) => s3.putObject(`.holders/${name}/${marker}`, ''),
 *   removeMarker: (name, marker) => s3.deleteObject(`.holders/${name}/${marker}`),
 *   listMarkers: async (name) => (await s3.list(`.holders/${name}/`)).map((k) => k.split('/').pop()!),
 *   markerExists: (name, marker) => s3.exists(`.holders/${name}/${marker}`),
 *   objectExists: (name) => s3.exists(name),
 *   deleteObject: (name) => s3.deleteObject(name),
 * };
 * ```
 */
export interface MarkerBackend {
  /** Creates (or overwrites) the marker `marker` of object `name`; returns once `listMarkers` shows it. */
  putMarker(name: string, marker: string, options: OperationOptions): Promise<void>;
  /** Deletes the marker; a missing marker is not an error. */
  removeMarker(name: string, marker: string, options: OperationOptions): Promise<void>;
  /** Every marker of `name` (it may still show markers deleted a moment ago). */
  listMarkers(name: string, options: OperationOptions): Promise<string[]>;
  /** Whether a listed marker really exists; omit it when listings never lag deletions. */
  markerExists?(name: string, marker: string, options: OperationOptions): Promise<boolean>;
  /** Whether the object exists. */
  objectExists(name: string, options: OperationOptions): Promise<boolean>;
  /** Deletes the object; a missing object is not an error. */
  deleteObject(name: string, options: OperationOptions): Promise<void>;
}

/**
 * Timing of the reference-counting protocol.
 *
 * @example
 * ```ts
 * const timing: HolderTiming = { clock: systemClock, staleAfterMs: 60_000, pollMs: 200 };
 * ```
 */
export interface HolderTiming {
  /** Time source (sleep while waiting for a deletion in progress, tombstone ages). */
  clock: Clock;
  /** A deletion intent older than this was left by a crashed releaser and is ignored. */
  staleAfterMs: number;
  /** How often an acquirer re-checks a deletion in progress. */
  pollMs: number;
}

/** The reserved top-level name under which the stores keep their own bookkeeping. */
export const RESERVED_PREFIX = '.ironic-ilo';

/**
 * One flat key per object for its markers: the percent-encoded name (readable when an operator
 * lists the container), or a SHA-256 of it when that would be too long for a path segment.
 */
export function markerDirOf(name: string): string {
  const encoded = encodeURIComponent(name);
  return encoded.length <= 180 ? encoded : `sha256-${createHash('sha256').update(name).digest('hex')}`;
}

const HOLDER = 'h.';
const TOMBSTONE = 'd.';

/** The marker of a holder. */
export function holderMarker(holderId: string): string {
  return HOLDER + holderId;
}

/** Holder ids among markers. */
export function holdersOf(markers: readonly string[]): string[] {
  return markers
    .filter((m) => m.startsWith(HOLDER))
    .map((m) => m.slice(HOLDER.length))
    .sort();
}

/** The listing, without markers the backend says were deleted meanwhile (but never `keep`). */
async function liveMarkers(
  backend: MarkerBackend,
  name: string,
  keep: string | undefined,
  options: OperationOptions,
): Promise<string[]> {
  const listed = await backend.listMarkers(name, options);
  const exists = backend.markerExists?.bind(backend);
  if (exists === undefined) return listed;
  const checks = await Promise.all(listed.map((m) => (m === keep ? true : exists(name, m, options))));
  return listed.filter((_, i) => checks[i]);
}

/** Tombstones (`d.<created ms>.<nonce>`) younger than `staleAfterMs`. */
function liveTombstones(markers: readonly string[], now: number, staleAfterMs: number): string[] {
  return markers.filter((m) => {
    if (!m.startsWith(TOMBSTONE)) return false;
    const created = Number(m.slice(TOMBSTONE.length).split('.')[0]);
    return Number.isFinite(created) && now - created < staleAfterMs;
  });
}

/**
 * Registers a holder. Protocol, the counterpart of {@link releaseHolder}:
 *
 * 1. put the holder's marker (listed once put);
 * 2. while a live deletion intent (tombstone) is listed and still exists, wait: a releaser that
 *    put its tombstone before our marker was listed may be deleting the object;
 * 3. check the object exists. If it does, it cannot be deleted any more while our marker
 *    exists (every releaser re-lists after its tombstone and backs off when it sees a holder).
 *    If it does not, withdraw the marker and throw {@link ImageNotFound}; on any other failure
 *    or an abort, withdraw it too.
 *
 * For implementers of an {@link ImageStore}: the built-in stores call this from `acquire()`.
 *
 * @example
 * ```ts
 * const holders = await acquireHolder(myMarkers, 'boot-1.iso', node.uuid, { clock: systemClock, staleAfterMs: 60_000, pollMs: 200 }, {});
 * ```
 */
export async function acquireHolder(
  backend: MarkerBackend,
  name: string,
  holderId: string,
  timing: HolderTiming,
  options: OperationOptions,
): Promise<number> {
  const mine = holderMarker(holderId);
  await backend.putMarker(name, mine, options);
  let markers: string[];
  try {
    markers = await liveMarkers(backend, name, mine, options);
    while (liveTombstones(markers, timing.clock.now(), timing.staleAfterMs).length > 0) {
      await pause(timing.clock, timing.pollMs, options.signal);
      markers = await liveMarkers(backend, name, mine, options);
    }
    if (!(await backend.objectExists(name, options))) throw new ImageNotFound({ imageId: name });
  } catch (e) {
    // Not cancellable: a registration for an acquire that failed must not keep the object alive.
    await backend.removeMarker(name, mine, {}).catch(() => undefined);
    throw e;
  }
  const holders = holdersOf(markers);
  return holders.includes(holderId) ? holders.length : holders.length + 1;
}

/**
 * Withdraws a holder and deletes the object when it was the last. Protocol:
 *
 * 1. remove the holder's marker; list (confirming each listed marker still exists): other
 *    holders remain → return their count;
 * 2. put a tombstone `d.<now>.<nonce>` (a deletion intent; listed once put), then list again
 *    (the guarded re-check): a holder that registered meanwhile is seen → remove the
 *    tombstone, return;
 * 3. otherwise delete the object, unless this took so long that acquirers may already treat the
 *    tombstone as stale (then start over), and remove the tombstone.
 *
 * An acquirer's marker is listed before the acquirer's decisive listing. If that listing did not
 * show the tombstone, the tombstone was listed only later, so the releaser's re-check (made after
 * its tombstone was listed) shows the acquirer's marker and the release backs off; if it did, the
 * acquirer waits until the tombstone is gone and then finds the object, or publishes it again.
 * So the object is never deleted while a registration exists, and always deleted at zero.
 *
 * For implementers of an {@link ImageStore}: the built-in stores call this from `release()`.
 *
 * @example
 * ```ts
 * const remaining = await releaseHolder(myMarkers, 'boot-1.iso', node.uuid, { clock: systemClock, staleAfterMs: 60_000, pollMs: 200 }, {});
 * ```
 */
export async function releaseHolder(
  backend: MarkerBackend,
  name: string,
  holderId: string,
  timing: HolderTiming,
  options: OperationOptions,
): Promise<number> {
  await backend.removeMarker(name, holderMarker(holderId), options);
  // A listing may still show our own marker for a moment: never count it.
  const others = async () =>
    holdersOf(await liveMarkers(backend, name, undefined, options)).filter((h) => h !== holderId);
  for (;;) {
    const before = await others();
    if (before.length > 0) return before.length;
    const started = timing.clock.now();
    const tombstone = `${TOMBSTONE}${started}.${randomBytes(6).toString('hex')}`;
    await backend.putMarker(name, tombstone, options);
    try {
      const after = await others();
      if (after.length > 0) return after.length;
      if (timing.clock.now() - started < timing.staleAfterMs / 2) {
        await backend.deleteObject(name, options);
        return 0;
      }
    } finally {
      // Not cancellable: an abort must not leave a tombstone that makes acquirers wait.
      await backend.removeMarker(name, tombstone, {});
    }
  }
}

/**
 * `acquire`, `release` and `holders` of an {@link ImageStore}, over a {@link MarkerBackend}.
 * Async throughout, so that bad input rejects rather than throws.
 */
export class HolderRegistry {
  readonly #backend: MarkerBackend;
  readonly #timing: HolderTiming;

  constructor(backend: MarkerBackend, timing: HolderTiming) {
    this.#backend = backend;
    this.#timing = timing;
  }

  async acquire(name: string, holderId: string, options: OperationOptions): Promise<number> {
    validateImageName(name);
    validateHolderId(holderId);
    return acquireHolder(this.#backend, name, holderId, this.#timing, options);
  }

  async release(name: string, holderId: string, options: OperationOptions): Promise<number> {
    validateImageName(name);
    validateHolderId(holderId);
    return releaseHolder(this.#backend, name, holderId, this.#timing, options);
  }

  async holders(name: string, options: OperationOptions): Promise<string[]> {
    validateImageName(name);
    return holdersOf(await this.#backend.listMarkers(name, options));
  }
}
