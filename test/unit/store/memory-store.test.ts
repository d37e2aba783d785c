import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ImageNotFound,
  ImageUploadFailed,
  InvalidParameterValue,
  publishShared,
} from '../../../src/index.js';
import { MemoryStore } from '../../../src/testing/index.js';
import { fakeClock } from '../../helpers/fake-clock.js';

describe('MemoryStore (ironic-ilo/testing)', () => {
  const stores: MemoryStore[] = [];
  const make = (...args: ConstructorParameters<typeof MemoryStore>) => {
    const s = new MemoryStore(...args);
    stores.push(s);
    return s;
  };
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.close()));
  });

  it('serves what it publishes over HTTP: HEAD, GET, single ranges, 416, 404', async () => {
    const store = make();
    const base = await store.listen();
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const data = randomBytes(10_000);
    const { url } = await store.publish('ilo/boot 1.iso'.replace(' ', '-'), Readable.from([data]));
    const head = await fetch(url, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe('10000');
    expect(head.headers.get('accept-ranges')).toBe('bytes');
    const cases: Array<[string, number, Buffer | undefined, string | null]> = [
      ['bytes=0-99', 206, data.subarray(0, 100), 'bytes 0-99/10000'],
      ['bytes=9990-', 206, data.subarray(9990), 'bytes 9990-9999/10000'],
      ['bytes=-10', 206, data.subarray(9990), 'bytes 9990-9999/10000'],
      ['bytes=9000-20000', 206, data.subarray(9000), 'bytes 9000-9999/10000'],
      ['bytes=10000-', 416, undefined, 'bytes */10000'],
      ['bytes=0-1,5-6', 200, data, null],
    ];
    for (const [range, status, body, contentRange] of cases) {
      const res = await fetch(url, { headers: { range } });
      expect([range, res.status]).toEqual([range, status]);
      expect(res.headers.get('content-range')).toBe(contentRange);
      const got = Buffer.from(await res.arrayBuffer());
      if (body !== undefined) expect(got.equals(body)).toBe(true);
    }
    expect((await fetch(`${base}missing.iso`)).status).toBe(404);
    expect((await fetch(url, { method: 'DELETE' })).status).toBe(405);
    expect(store.requests.filter((r) => r.range !== undefined).map((r) => r.status)).toEqual([
      206, 206, 206, 206, 416, 200,
    ]);
    expect(store.requests[0]).toEqual({ method: 'HEAD', name: 'ilo/boot-1.iso', status: 200 });
  });

  it('expires objects on its clock, for HTTP as for the API', async () => {
    const clock = fakeClock();
    const store = make({ clock });
    await store.listen();
    const { url, name, expiresAt } = await store.publish('floppy', new Uint8Array([1]), {
      ttlSeconds: 900,
      secret: true,
    });
    expect(name).toMatch(/^floppy-[A-Za-z0-9_-]{22}$/);
    expect(expiresAt?.getTime()).toBe(clock.now() + 900_000);
    expect(store.objects()).toMatchObject([{ name, ttlSeconds: 900, secret: true, size: 1 }]);
    clock.advance(900_000);
    expect((await fetch(url)).status).toBe(404);
    expect(await store.head(name)).toBeUndefined();
    expect(store.objects()).toEqual([]);
  });

  it('keeps the ImageStore contract: validation, idempotent remove, holders, list', async () => {
    const store = make();
    await expect(store.publish('../x', new Uint8Array(1))).rejects.toBeInstanceOf(InvalidParameterValue);
    await expect(store.publish('x', new Uint8Array(3), { contentLength: 4 })).rejects.toBeInstanceOf(
      InvalidParameterValue,
    );
    await store.publish('b.iso', new Uint8Array(2), { metadata: { Kernel: 'k1' } });
    await store.publish('a.iso', new Uint8Array(1));
    expect((await store.list()).map((o) => o.name)).toEqual(['a.iso', 'b.iso']);
    expect((await store.head('b.iso'))?.metadata).toEqual({ kernel: 'k1' });
    expect(await store.remove('a.iso')).toBe(true);
    expect(await store.remove('a.iso')).toBe(false);
    expect(await store.acquire('b.iso', 'n1')).toBe(1);
    expect(await store.acquire('b.iso', 'n2')).toBe(2);
    expect(await store.holders('b.iso')).toEqual(['n1', 'n2']);
    expect(await store.release('b.iso', 'n1')).toBe(1);
    expect(store.read('b.iso')).toBeDefined();
    expect(await store.release('b.iso', 'n2')).toBe(0);
    expect(store.read('b.iso')).toBeUndefined();
    await expect(store.acquire('b.iso', 'n1')).rejects.toBeInstanceOf(ImageNotFound);
  });

  it('publishShared builds once, then reuses', async () => {
    const store = make();
    let builds = 0;
    const produce = () => {
      builds++;
      return new Uint8Array([1, 2, 3]);
    };
    const a = await publishShared(store, 'boot-hash.iso', 'node-a', produce);
    const b = await publishShared(store, 'boot-hash.iso', 'node-b', produce);
    expect([a.created, b.created, b.holders, builds]).toEqual([true, false, 2, 1]);
  });

  it('injects failures once, for tests of error paths', async () => {
    const store = make();
    store.failNext(
      'publish',
      new ImageUploadFailed({ imageName: 'x', webServer: 'memory', reason: 'disk full' }),
    );
    await expect(store.publish('x', new Uint8Array(1))).rejects.toThrow('disk full');
    await expect(store.publish('x', new Uint8Array(1))).resolves.toMatchObject({ name: 'x' });
  });

  it('hands out URLs under its base URL before it listens', async () => {
    const store = make({ baseUrl: 'http://images.test/path' });
    expect((await store.publish('a b'.replace(' ', ''), new Uint8Array(1))).url).toBe(
      'http://images.test/path/ab',
    );
    store.clear();
    expect(store.objects()).toEqual([]);
  });
});
