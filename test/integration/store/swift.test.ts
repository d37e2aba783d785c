import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ImageNotFound,
  InvalidParameterValue,
  SwiftOperationError,
  SwiftStore,
  type SwiftStoreOptions,
} from '../../../src/index.js';
import { captureLogger } from '../../helpers/capture-logger.js';
import { type FakeKeystone, startKeystone } from '../../helpers/keystone.js';
import { describeWithPeers } from '../../helpers/peers.js';
import { sharedCycles } from '../../helpers/shared-cycles.js';
import { SWIFT_PEERS, type SwiftAio, startSwiftAio } from '../../helpers/swift-aio.js';

const withSwift = describeWithPeers('swift', SWIFT_PEERS);
const TEMP_URL_KEY = `canary-tempurl-key-${randomBytes(6).toString('hex')}`;

async function get(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Buffer }> {
  const res = await fetch(url, { headers });
  return { status: res.status, body: Buffer.from(await res.arrayBuffer()) };
}

withSwift('SwiftStore against a real Swift all-in-one', () => {
  let aio: SwiftAio;
  let store: SwiftStore;
  const logger = captureLogger();
  const stores: SwiftStore[] = [];
  const make = (extra: Partial<SwiftStoreOptions> = {}): SwiftStore => {
    const s = new SwiftStore({
      auth: { version: 1, url: aio.authUrl, user: aio.user, key: aio.key },
      logger,
      retryBackoffMs: 10,
      ...extra,
    });
    stores.push(s);
    return s;
  };

  beforeAll(async () => {
    aio = await startSwiftAio();
    store = make();
    await store.setTempUrlKey(TEMP_URL_KEY);
  });
  afterAll(async () => {
    await Promise.all(stores.map((s) => s.close()));
    await aio?.stop();
  });

  it('creates its container on first use and lists nothing before', async () => {
    const fresh = make({ container: 'fresh_container' });
    expect(await fresh.list()).toEqual([]);
    await fresh.publish('first.img', new Uint8Array([1, 2, 3]));
    expect((await fresh.list()).map((o) => o.name)).toEqual(['first.img']);
  });

  it.each(['sha1', 'sha256', 'sha512'] as const)(
    'streams an upload and serves it through a %s temp URL (GET 200, HEAD 200, Range 206)',
    async (digest) => {
      const s = make({ tempUrlDigest: digest });
      const data = randomBytes(300_000);
      const published = await s.publish(
        `stream-${digest}.iso`,
        Readable.from([data.subarray(0, 1000), data.subarray(1000)]),
      );
      expect(published.size).toBe(data.length);
      expect(published.md5).toBe(createHash('md5').update(data).digest('hex'));
      expect(published.url).toContain('temp_url_sig=');
      if (digest === 'sha512') expect(published.url).toContain('temp_url_sig=sha512:');
      const full = await get(published.url);
      expect(full.status).toBe(200);
      expect(full.body.equals(data)).toBe(true);
      expect((await fetch(published.url, { method: 'HEAD' })).status).toBe(200);
      const part = await get(published.url, { range: 'bytes=1000-1999' });
      expect(part.status).toBe(206);
      expect(part.body.equals(data.subarray(1000, 2000))).toBe(true);
    },
  );

  it('answers 401 to a tampered signature and to an expired temp URL', async () => {
    const { name, url } = await store.publish('signed.img', randomBytes(1000));
    const sig = new URL(url).searchParams.get('temp_url_sig') ?? '';
    const flipped = sig.slice(0, -1) + (sig.endsWith('0') ? '1' : '0');
    expect((await get(url.replace(sig, flipped))).status).toBe(401);
    const expires = Number(new URL(url).searchParams.get('temp_url_expires'));
    expect(
      (await get(url.replace(`temp_url_expires=${expires}`, `temp_url_expires=${expires + 1}`))).status,
    ).toBe(401);
    const shortLived = await store.urlFor(name, { ttlSeconds: 1 });
    expect((await get(shortLived)).status).toBe(200);
    await sleep(2100);
    expect((await get(shortLived)).status).toBe(401);
  });

  it('gives a TTL object X-Delete-After: 404 once expired, out of the listing after one expirer pass', async () => {
    // X-Delete-After: 2, as Swift truncates now + 2 to whole seconds: at least 1 s to look at it.
    const published = await store.publish('floppy-ttl.img', randomBytes(2048), { ttlSeconds: 2 });
    expect(published.expiresAt).toBeInstanceOf(Date);
    const head = await store.head(published.name);
    expect(head?.expiresAt).toBeInstanceOf(Date);
    while ((await store.head(published.name)) !== undefined) await sleep(250);
    expect((await get(await store.urlFor(published.name))).status).toBe(404);
    // Expired objects stay listed until the expirer has run.
    expect((await store.list('floppy-ttl')).map((o) => o.name)).toEqual(['floppy-ttl.img']);
    await aio.expire();
    expect(await store.list('floppy-ttl')).toEqual([]);
  });

  it('round-trips metadata, size, md5 and content type', async () => {
    const file = join(aio.dir, 'source.bin');
    const data = randomBytes(70_000);
    writeFileSync(file, data);
    await store.publish('meta.iso', file, {
      metadata: { 'Boot-Mode': 'uefi', kernel: 'abc123' },
      contentType: 'application/x-iso9660-image',
    });
    const head = await store.head('meta.iso');
    expect(head).toMatchObject({
      name: 'meta.iso',
      size: data.length,
      md5: createHash('md5').update(data).digest('hex'),
      metadata: { 'boot-mode': 'uefi', kernel: 'abc123' },
    });
    expect(head?.expiresAt).toBeUndefined();
    expect(head?.lastModified).toBeInstanceOf(Date);
  });

  it('handles 404s: head undefined, remove false and logged, acquire ImageNotFound, GET 404', async () => {
    expect(await store.head('never-there.iso')).toBeUndefined();
    const before = logger.lines.length;
    expect(await store.remove('never-there.iso')).toBe(false);
    expect(logger.lines.slice(before).join('\n')).toContain('never-there.iso was already deleted');
    await expect(store.acquire('never-there.iso', 'node-1')).rejects.toBeInstanceOf(ImageNotFound);
    expect(await store.holders('never-there.iso')).toEqual([]);
    expect((await get(await store.urlFor('never-there.iso'))).status).toBe(404);
    const { name } = await store.publish('gone.iso', randomBytes(10));
    expect(await store.remove(name)).toBe(true);
    expect(await store.remove(name)).toBe(false);
  });

  it('authenticates again, once, when Swift stops accepting its token', async () => {
    await store.publish('before-expiry.img', randomBytes(10));
    const auths = () => logger.lines.filter((l) => l.includes('Authenticated to Swift')).length;
    const before = auths();
    await aio.flushTokens();
    expect(await store.head('before-expiry.img')).toBeDefined();
    expect(auths()).toBe(before + 1);
    expect(logger.lines.some((l) => l.includes('authenticating again'))).toBe(true);
  });

  it('gives secret images a name with 128 random bits, different each time', async () => {
    const a = await store.publish('image-node1', randomBytes(10), { secret: true, ttlSeconds: 900 });
    const b = await store.publish('image-node1', randomBytes(10), { secret: true, ttlSeconds: 900 });
    expect(a.name).toMatch(/^image-node1-[A-Za-z0-9_-]{22}$/);
    expect(a.name).not.toBe(b.name);
    expect((await get(a.url)).status).toBe(200);
  });

  it('asks Swift for a download file name or inline display when told to', async () => {
    const { name } = await store.publish('named.iso', randomBytes(10));
    const attachment = await fetch(await store.urlFor(name, { filename: 'deploy image.iso' }));
    expect(attachment.headers.get('content-disposition')).toMatch(
      /^attachment; filename="deploy image\.iso"/,
    );
    const inline = await fetch(await store.urlFor(name, { inline: true }));
    expect(inline.headers.get('content-disposition')).toMatch(/^inline/);
  });

  it('signs the decoded path and sends the encoded one, for names with reserved characters', async () => {
    const { url } = await store.publish('ilo/boot:1@x+y~z.iso', randomBytes(100));
    expect(url).toContain('/ilo/boot%3A1%40x%2By~z.iso?');
    expect((await get(url)).status).toBe(200);
    expect((await store.list('ilo/')).map((o) => o.name)).toEqual(['ilo/boot:1@x+y~z.iso']);
  });

  it('rejects bad input naming every field, before any request', async () => {
    const error = await store
      .publish('../escape', randomBytes(1), {
        ttlSeconds: -1,
        contentLength: 2,
        metadata: { 'bad key': 'x' },
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidParameterValue);
    expect((error as InvalidParameterValue).fields.map((f) => f.field)).toEqual([
      'name',
      'ttlSeconds',
      'metadata.bad key',
    ]);
    const ctor = (() => {
      try {
        return new SwiftStore({ auth: { version: 3, url: 'x' } as never, container: 'a/b' });
      } catch (e) {
        return e;
      }
    })();
    expect(ctor).toBeInstanceOf(InvalidParameterValue);
    expect((ctor as InvalidParameterValue).fields.map((f) => f.field).sort()).toEqual([
      'auth.password',
      'auth.projectDomainName',
      'auth.projectName',
      'auth.url',
      'auth.userDomainName',
      'auth.username',
      'container',
    ]);
  });

  it('leaves no object behind when an upload is aborted or its stream fails', async () => {
    const controller = new AbortController();
    async function* slow() {
      yield randomBytes(65536);
      controller.abort(new Error('stop'));
      await sleep(50);
      yield randomBytes(65536);
    }
    await expect(store.publish('aborted.iso', slow(), { signal: controller.signal })).rejects.toThrow('stop');
    async function* broken() {
      yield randomBytes(65536);
      throw new Error('disk read error');
    }
    await expect(store.publish('broken.iso', broken())).rejects.toThrow();
    await expect(
      store.publish('short.iso', Readable.from([randomBytes(100)]), { contentLength: 200 }),
    ).rejects.toThrow();
    await sleep(200);
    expect(await store.head('aborted.iso')).toBeUndefined();
    expect(await store.head('broken.iso')).toBeUndefined();
    expect(await store.head('short.iso')).toBeUndefined();
  });

  it('fails clearly with a wrong key, without the key in the error', async () => {
    const bad = new SwiftStore({
      auth: { version: 1, url: aio.authUrl, user: aio.user, key: 'canary-wrong-key-123' },
    });
    stores.push(bad);
    const error = await bad.head('x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SwiftOperationError);
    expect(String((error as Error).message)).toMatch(/authenticate.*401/);
    expect(JSON.stringify(error)).not.toContain('canary-wrong-key-123');
  });

  it('keeps one shared ISO alive while held and deletes it at zero, under 50 concurrent cycles', async () => {
    const name = 'boot-shared-0123abcd.iso';
    const { violations, created, maxHeld } = await sharedCycles(store, name, randomBytes(32 * 1024));
    expect(violations).toEqual([]);
    expect(created).toBeGreaterThanOrEqual(1);
    expect(maxHeld).toBeGreaterThan(1); // the cycles did overlap
    expect(await store.head(name)).toBeUndefined();
    expect(await store.holders(name)).toEqual([]);
    expect((await store.list()).map((o) => o.name)).not.toContain(name);
  }, 120_000);

  it('never lets the key, the token or a signature reach a log line', async () => {
    const text = logger.lines.join('\n');
    expect(text).not.toContain(TEMP_URL_KEY);
    expect(text).not.toContain(aio.key);
    expect(text).not.toMatch(/AUTH_tk[0-9a-f]{10}/);
    expect(text).not.toMatch(/temp_url_sig=[0-9a-f]{20}/);
  });

  describe('with Keystone auth (a Keystone-shaped server in front of the real Swift)', () => {
    let keystone: FakeKeystone;
    const password = `canary-keystone-${randomBytes(4).toString('hex')}`;
    beforeAll(async () => {
      keystone = await startKeystone({
        username: 'ironic',
        password,
        project: 'service',
        domain: 'Default',
        region: 'RegionOne',
        swift: { authUrl: aio.authUrl, user: aio.user, key: aio.key },
      });
    });
    afterAll(async () => keystone?.stop());

    it('v2: picks the object-store endpoint of the region and publishes', async () => {
      const s = make({
        auth: {
          version: 2,
          url: `${keystone.url}/v2.0`,
          username: 'ironic',
          password,
          tenantName: 'service',
          region: 'RegionOne',
        },
        tempUrlKey: TEMP_URL_KEY,
      });
      const { url } = await s.publish('via-keystone-v2.img', randomBytes(100));
      expect(url.startsWith(aio.storageUrl)).toBe(true);
      expect((await get(url)).status).toBe(200);
    });

    it('v3: picks the public endpoint of the region (URL without /v3) and publishes', async () => {
      const s = make({
        auth: {
          version: 3,
          url: keystone.url,
          username: 'ironic',
          password,
          projectName: 'service',
          userDomainName: 'Default',
          projectDomainName: 'Default',
          region: 'RegionOne',
        },
      });
      const { url } = await s.publish('via-keystone-v3.img', randomBytes(100));
      expect(url.startsWith(aio.storageUrl)).toBe(true);
      expect((await get(url)).status).toBe(200);
    });

    it('reports a wrong password and a missing region without the password', async () => {
      const wrong = make({
        auth: {
          version: 2,
          url: keystone.url,
          username: 'ironic',
          password: 'canary-wrong-pw',
          tenantName: 'service',
        },
      });
      const e1 = await wrong.head('x').catch((e: unknown) => e);
      expect(e1).toBeInstanceOf(SwiftOperationError);
      expect((e1 as Error).message).toMatch(/401/);
      const nowhere = make({
        auth: {
          version: 2,
          url: keystone.url,
          username: 'ironic',
          password,
          tenantName: 'service',
          region: 'Mars',
        },
      });
      const e2 = await nowhere.head('x').catch((e: unknown) => e);
      expect((e2 as Error).message).toMatch(/no object-store endpoint.*region Mars/);
      expect(`${(e1 as Error).message}${(e2 as Error).message}${logger.lines.join('')}`).not.toContain(
        password,
      );
    });
  });

  it('works in a fresh temp dir the test owns', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'swift-src-'));
    try {
      writeFileSync(join(dir, 'kernel'), randomBytes(5000));
      const { size } = await store.publish('from-file', join(dir, 'kernel'));
      expect(size).toBe(5000);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
