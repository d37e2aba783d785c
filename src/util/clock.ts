import type { Clock } from '../contracts/index.js';

/**
 * The real clock: `Date.now()` and a timer that rejects with the signal's own reason when the
 * signal aborts (as the {@link Clock} contract says), so callers see why they were cancelled.
 *
 * @example
 * ```ts
 * await systemClock.sleep(2000, signal);
 * ```
 */
export const systemClock: Clock = Object.freeze({
  now: () => Date.now(),
  sleep: (ms: number, signal?: AbortSignal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
});
