import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bootIsoToReattach,
  PowerState,
  powerStateOf,
  powerWaitPlan,
  waitForPowerState,
} from '../../../src/index.js';
import { VirtualClock } from '../../../src/testing/index.js';

/** Reads states from a script; the last one repeats. */
const script = (...states: PowerState[]) => {
  let i = 0;
  return async () => states[Math.min(i++, states.length - 1)] as PowerState;
};

describe('waitForPowerState', () => {
  it('never accepts the first poll', async () => {
    const clock = new VirtualClock();
    const plan = powerWaitPlan({ powerRetry: 6, powerWait: 2 });
    const outcome = await waitForPowerState(
      script(PowerState.ON, PowerState.OFF, PowerState.ON),
      PowerState.ON,
      plan,
      clock,
    );
    expect(outcome).toEqual({ reached: true, last: PowerState.ON, polls: 3 });
    expect(clock.sleeps).toEqual([2000, 2000]);
  });

  it('gives up after power_retry + 2 polls', async () => {
    const clock = new VirtualClock();
    const outcome = await waitForPowerState(
      script(PowerState.ON),
      PowerState.OFF,
      powerWaitPlan({ powerRetry: 2, powerWait: 0 }),
      clock,
    );
    expect(outcome).toEqual({ reached: false, last: PowerState.ON, polls: 4 });
    expect(clock.sleeps).toEqual([0, 0, 0]);
  });

  it('with a timeout, never sleeps longer than it, and at least once', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3_600_000 }),
        fc.integer({ min: 1, max: 60 }),
        (timeoutMs, wait) => {
          const plan = powerWaitPlan({ powerRetry: 6, powerWait: wait }, timeoutMs);
          const sleeps = plan.maxRetries + 1;
          expect(sleeps * plan.intervalMs <= timeoutMs || sleeps === 1).toBe(true);
          expect((sleeps + 1) * plan.intervalMs > timeoutMs).toBe(true);
        },
      ),
    );
  });
});

describe('power state helpers', () => {
  it("maps the iLO's status as Ironic", () => {
    expect(['ON', 'OFF', 'RESET', ''].map(powerStateOf)).toEqual(['power on', 'power off', 'error', 'error']);
  });

  it('re-attaches the boot ISO of active nodes only', () => {
    const node = (provisionState: string, iso?: string) =>
      ({ provisionState, instanceInfo: iso === undefined ? {} : { ilo_boot_iso: iso } }) as Parameters<
        typeof bootIsoToReattach
      >[0];
    expect(bootIsoToReattach(node('active', 'swift:boot-1'))).toBe('swift:boot-1');
    expect(bootIsoToReattach(node('deploying', 'swift:boot-1'))).toBeUndefined();
    expect(bootIsoToReattach(node('rebuild', 'swift:boot-1'))).toBeUndefined();
    expect(bootIsoToReattach(node('active', ''))).toBeUndefined();
    expect(bootIsoToReattach(node('active'))).toBeUndefined();
  });
});
