import type { Clock } from '../../src/index.js';

/** A clock the test moves: `sleep` advances it instead of waiting. */
export interface FakeClock extends Clock {
  advance(ms: number): void;
}

/** Creates a {@link FakeClock} starting at `start` (Unix ms). */
export function fakeClock(start = Date.UTC(2026, 0, 1)): FakeClock {
  let now = start;
  return {
    now: () => now,
    sleep: async (ms: number, signal?: AbortSignal) => {
      signal?.throwIfAborted();
      now += ms;
      await new Promise((r) => setImmediate(r));
    },
    advance: (ms: number) => {
      now += ms;
    },
  };
}
