import { setTimeout as delay } from 'node:timers/promises';
import type { Clock } from '../contracts/index.js';

/**
 * The real clock: `Date.now()` and an abortable timer.
 *
 * @example
 * ```ts
 * await systemClock.sleep(2000, signal);
 * ```
 */
export const systemClock: Clock = Object.freeze({
  now: () => Date.now(),
  sleep: async (ms: number, signal?: AbortSignal) => {
    await delay(ms, undefined, signal === undefined ? undefined : { signal });
  },
});
