import { describe, expect, it } from 'vitest';
import { systemClock } from '../../src/index.js';

describe('systemClock', () => {
  it('sleeps, and rejects with the signal’s own reason when aborted', async () => {
    await expect(systemClock.sleep(1)).resolves.toBeUndefined();
    const reason = new Error('stop now');
    const controller = new AbortController();
    const sleeping = systemClock.sleep(60_000, controller.signal);
    controller.abort(reason);
    await expect(sleeping).rejects.toBe(reason);
    await expect(systemClock.sleep(1, controller.signal)).rejects.toBe(reason);
    expect(Math.abs(systemClock.now() - Date.now())).toBeLessThan(1000);
  });
});
