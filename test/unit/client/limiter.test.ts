import { describe, expect, it } from 'vitest';
import { Limiter } from '../../../src/client/transport/limiter.js';

describe('Limiter', () => {
  it('lets `limit` holders in and queues the rest in order', async () => {
    const limiter = new Limiter(2);
    const order: number[] = [];
    const a = await limiter.acquire();
    const b = await limiter.acquire();
    const waiting = [3, 4].map((n) =>
      limiter.acquire().then((release) => {
        order.push(n);
        return release;
      }),
    );
    await Promise.resolve();
    expect(order).toEqual([]);
    a();
    a(); // releasing twice frees one slot only
    const third = await waiting[0]!;
    expect(order).toEqual([3]);
    b();
    (await waiting[1]!)();
    third();
    expect(order).toEqual([3, 4]);
  });

  it('drops a waiter whose signal aborts, without losing the slot', async () => {
    const limiter = new Limiter(1);
    const held = await limiter.acquire();
    const controller = new AbortController();
    const aborted = limiter.acquire(controller.signal);
    controller.abort(new Error('gone'));
    await expect(aborted).rejects.toThrow('gone');
    held();
    const next = await limiter.acquire();
    next();
  });
});
