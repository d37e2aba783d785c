import type { Clock } from '../index.js';

/**
 * A {@link Clock} for tests: `sleep` advances virtual time at once instead of waiting (yielding
 * to the event loop once), records every sleep, and calls {@link VirtualClock.onSleep} so that a
 * test can change the world between two polls of a wait loop. An aborted signal rejects.
 *
 * @example
 * ```ts
 * const clock = new VirtualClock();
 * clock.onSleep = (_ms, n) => { if (n === 1) sim.nodes[0]!.server.power = 'OFF'; };
 * const power = new IloPower({ clock });
 * await power.setPowerState(task, PowerState.REBOOT); // no real waiting
 * expect(clock.sleeps).toEqual([2000, 2000]);
 * ```
 */
export class VirtualClock implements Clock {
  /** Every sleep asked for, in milliseconds, oldest first. */
  readonly sleeps: number[] = [];
  /** Called after each sleep's time has passed, with its duration and its number (1 for the first). */
  onSleep: ((ms: number, count: number) => void | Promise<void>) | undefined;
  private time: number;

  /** Starts at `start` (Unix milliseconds; default 2026-01-01T00:00:00Z). */
  constructor(start = Date.UTC(2026, 0, 1)) {
    this.time = start;
  }

  /** The virtual time. */
  now(): number {
    return this.time;
  }

  /** Advances the virtual time by `ms` without waiting. */
  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    this.sleeps.push(ms);
    this.time += ms;
    await this.onSleep?.(ms, this.sleeps.length);
    await new Promise((resolve) => setImmediate(resolve));
    signal?.throwIfAborted();
  }

  /** Moves the virtual time forward. */
  advance(ms: number): void {
    this.time += ms;
  }
}
