import type { Clock, PowerState } from '../contracts/index.js';
import { InvalidParameterValue } from '../errors/index.js';

/**
 * How long a power action waits for its target state: `maxRetries` as Ironic's `power_retry`,
 * polling every `intervalMs` (`power_wait`).
 *
 * @example
 * ```ts
 * const plan: PowerWaitPlan = powerWaitPlan({ powerRetry: 6, powerWait: 2 }); // { maxRetries: 6, intervalMs: 2000 }
 * ```
 */
export interface PowerWaitPlan {
  /** Polls after the first one before giving up, minus one (Ironic's `power_retry`). */
  maxRetries: number;
  /** Between polls, in milliseconds. */
  intervalMs: number;
}

/**
 * The wait of a power action. Without a timeout, Ironic's: `power_retry` retries `power_wait`
 * seconds apart (at most `power_retry + 2` polls). With a timeout, as many intervals as fit in it
 * (at least one), so that the waiting never exceeds it; with `power_wait = 0` a timeout cannot be
 * divided into polls and `power_retry` applies.
 *
 * @example
 * ```ts
 * powerWaitPlan({ powerRetry: 6, powerWait: 2 }, 10_000); // { maxRetries: 4, intervalMs: 2000 }: 5 waits of 2 s
 * ```
 */
export function powerWaitPlan(
  ilo: { powerRetry: number; powerWait: number },
  timeoutMs?: number,
): PowerWaitPlan {
  const intervalMs = Math.round(ilo.powerWait * 1000);
  if (timeoutMs === undefined || intervalMs === 0) return { maxRetries: ilo.powerRetry, intervalMs };
  return { maxRetries: Math.max(0, Math.floor(timeoutMs / intervalMs) - 1), intervalMs };
}

/** Checks a caller's `timeoutMs`: a positive finite number of milliseconds, or absent. */
export function checkedTimeout(timeoutMs: unknown): number | undefined {
  if (timeoutMs === undefined) return undefined;
  if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new InvalidParameterValue(
      `Invalid timeoutMs ${JSON.stringify(timeoutMs)}: must be a positive number.`,
      {
        fields: [{ field: 'timeoutMs', problem: 'must be a positive number of milliseconds' }],
      },
    );
  }
  return timeoutMs;
}

/** What {@link waitForPowerState} saw. */
export interface PowerWaitOutcome {
  /** Whether the target state was seen on a poll after the first. */
  reached: boolean;
  /** The last state read. */
  last: PowerState;
  /** Polls made. */
  polls: number;
}

/**
 * Ironic's power wait loop: polls at once, then every `intervalMs`. The first poll never counts,
 * because during a reboot the state before the action equals the target; after `maxRetries + 1`
 * further polls without the target it gives up. Sleeps on the injected clock; an aborted signal
 * rejects with its reason.
 *
 * @example
 * ```ts
 * const { reached } = await waitForPowerState(() => readState(), PowerState.OFF, plan, clock, signal);
 * ```
 */
export async function waitForPowerState(
  read: () => Promise<PowerState>,
  target: PowerState,
  plan: PowerWaitPlan,
  clock: Clock,
  signal?: AbortSignal,
): Promise<PowerWaitOutcome> {
  for (let retries = 0; ; retries++) {
    const last = await read();
    if (retries !== 0 && last === target) return { reached: true, last, polls: retries + 1 };
    if (retries > plan.maxRetries) return { reached: false, last, polls: retries + 1 };
    await clock.sleep(plan.intervalMs, signal);
  }
}
