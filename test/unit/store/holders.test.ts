import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  acquireHolder,
  type Clock,
  type HolderTiming,
  ImageNotFound,
  type MarkerBackend,
  releaseHolder,
} from '../../../src/index.js';

/**
 * The protocol's primitives in memory, each one scheduled by fast-check's scheduler so that the
 * property explores arbitrary interleavings of concurrent acquirers and releasers. The listing
 * lags like Swift's: a put is listed one scheduled step later (and `putMarker` waits for it, as
 * SwiftMarkers does), a deletion leaves the listing whenever the scheduler decides.
 * `deleteObject` checks the invariant at the only moment it can break: nobody may hold the
 * object then.
 */
class ModelBackend implements MarkerBackend {
  exists = false;
  readonly markers = new Set<string>();
  readonly listed = new Set<string>();
  readonly holding = new Set<string>();
  readonly violations: string[] = [];
  constructor(private readonly schedule: <T>(label: string, f: () => T) => Promise<T>) {}

  async putMarker(_name: string, marker: string) {
    await this.schedule(`put ${marker}`, () => void this.markers.add(marker));
    await this.schedule(`listed ${marker}`, () => void this.listed.add(marker));
  }
  async removeMarker(_name: string, marker: string) {
    await this.schedule(`remove ${marker}`, () => void this.markers.delete(marker));
    void this.schedule(`unlisted ${marker}`, () => {
      if (!this.markers.has(marker)) this.listed.delete(marker);
    });
  }
  listMarkers() {
    return this.schedule('list', () => [...this.listed]);
  }
  markerExists(_name: string, marker: string) {
    return this.schedule(`exists ${marker}`, () => this.markers.has(marker));
  }
  objectExists() {
    return this.schedule('exists', () => this.exists);
  }
  deleteObject() {
    return this.schedule('delete', () => {
      if (this.holding.size > 0) this.violations.push(`deleted while held by ${[...this.holding].join(',')}`);
      this.exists = false;
    });
  }
  publish() {
    return this.schedule('publish', () => {
      this.exists = true;
    });
  }
}

/** Time stands still: staleness never kicks in, so only the protocol's ordering is tested. */
const stillClock: Clock = { now: () => 1_000_000, sleep: () => new Promise((r) => setImmediate(r)) };
const timing: HolderTiming = { clock: stillClock, staleAfterMs: 60_000, pollMs: 100 };

describe('reference counting of shared objects (acquireHolder / releaseHolder)', () => {
  it('never deletes a held object and always deletes it at zero, under any interleaving', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.integer({ min: 2, max: 4 }),
        fc.boolean(),
        async (s, holders, prePublished) => {
          const model = new ModelBackend((label, f) => s.schedule(Promise.resolve(label), label).then(f));
          model.exists = prePublished;
          const cycle = async (holder: string) => {
            for (;;) {
              try {
                await acquireHolder(model, 'iso', holder, timing, {});
                break;
              } catch (e) {
                if (!(e instanceof ImageNotFound)) throw e;
                await model.publish();
              }
            }
            model.holding.add(holder);
            if (!model.exists) model.violations.push(`${holder} holds a missing object`);
            await s.schedule(Promise.resolve('hold'), `hold ${holder}`);
            model.holding.delete(holder);
            await releaseHolder(model, 'iso', holder, timing, {});
          };
          // Each holder acquires and releases three times, so acquisitions overlap releases.
          const rounds = async (holder: string) => {
            for (let r = 0; r < 3; r++) await cycle(holder);
          };
          const all = Promise.all(Array.from({ length: holders }, (_, i) => rounds(`h${i}`)));
          await s.waitFor(all);
          await s.waitAll();
          expect(model.violations).toEqual([]);
          expect(model.exists).toBe(false);
          expect([...model.markers]).toEqual([]);
        },
      ),
      { numRuns: 300, seed: 20260401 },
    );
  });

  it('returns the holder counts a caller expects', async () => {
    const model = new ModelBackend((_l, f) => Promise.resolve(f()));
    model.exists = true;
    expect(await acquireHolder(model, 'iso', 'a', timing, {})).toBe(1);
    expect(await acquireHolder(model, 'iso', 'b', timing, {})).toBe(2);
    expect(await acquireHolder(model, 'iso', 'a', timing, {})).toBe(2);
    expect(await releaseHolder(model, 'iso', 'a', timing, {})).toBe(1);
    expect(model.exists).toBe(true);
    expect(await releaseHolder(model, 'iso', 'b', timing, {})).toBe(0);
    expect(model.exists).toBe(false);
  });

  it('ignores a deletion intent abandoned by a crashed releaser once it is stale', async () => {
    let now = 1_000_000;
    const clock: Clock = {
      now: () => now,
      sleep: async (ms) => {
        now += ms;
      },
    };
    const model = new ModelBackend((_l, f) => Promise.resolve(f()));
    model.exists = true;
    for (const set of [model.markers, model.listed]) set.add(`d.${now}.abandoned`);
    expect(await acquireHolder(model, 'iso', 'a', { clock, staleAfterMs: 60_000, pollMs: 1000 }, {})).toBe(1);
    expect(now).toBeGreaterThanOrEqual(1_000_000 + 60_000);
  });

  it('stops waiting when its signal aborts and withdraws its marker', async () => {
    const model = new ModelBackend((_l, f) => Promise.resolve(f()));
    model.exists = true;
    for (const set of [model.markers, model.listed]) set.add(`d.${stillClock.now()}.in-progress`);
    const controller = new AbortController();
    const clock: Clock = {
      now: stillClock.now,
      sleep: async (_ms, signal) => {
        controller.abort(new Error('give up'));
        signal?.throwIfAborted();
      },
    };
    await expect(
      acquireHolder(
        model,
        'iso',
        'a',
        { clock, staleAfterMs: 60_000, pollMs: 10 },
        { signal: controller.signal },
      ),
    ).rejects.toThrow('give up');
    expect([...model.markers]).toEqual([`d.${stillClock.now()}.in-progress`]);
  });
});
