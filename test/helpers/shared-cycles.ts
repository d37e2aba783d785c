import { setTimeout as sleep } from 'node:timers/promises';
import { type ImageStore, publishShared } from '../../src/index.js';

/** What {@link sharedCycles} observed. */
export interface SharedCyclesResult {
  /** Holders that found the object missing or not served while they held it. */
  violations: string[];
  /** How many times the object was (re)built because it had gone. */
  created: number;
  /** The most holders at once (proves the cycles overlapped). */
  maxHeld: number;
}

/**
 * `cycles` concurrent holders of one shared boot ISO, each: start after a random delay, acquire
 * it (building it if it is gone, as the boot interface will), fetch its URL while holding it
 * (it must answer 200 with the content), then release it.
 */
export async function sharedCycles(
  store: ImageStore,
  name: string,
  content: Buffer,
  options: { cycles?: number; maxStartDelayMs?: number; maxHoldMs?: number } = {},
): Promise<SharedCyclesResult> {
  const { cycles = 50, maxStartDelayMs = 300, maxHoldMs = 30 } = options;
  const result: SharedCyclesResult = { violations: [], created: 0, maxHeld: 0 };
  let held = 0;
  await Promise.all(
    Array.from({ length: cycles }, async (_, i) => {
      await sleep(Math.random() * maxStartDelayMs);
      const holder = `node-${i}`;
      const shared = await publishShared(store, name, holder, () => content);
      if (shared.created) result.created++;
      result.maxHeld = Math.max(result.maxHeld, ++held);
      if ((await store.head(name)) === undefined) result.violations.push(`${holder}: missing after acquire`);
      await sleep(Math.random() * maxHoldMs);
      const res = await fetch(shared.url);
      const body = Buffer.from(await res.arrayBuffer());
      if (res.status !== 200 || !body.equals(content))
        result.violations.push(`${holder}: GET ${res.status} while held`);
      held--;
      await store.release(name, holder);
    }),
  );
  return result;
}
