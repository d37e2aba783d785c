import { createHash, randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ImageNotFound,
  ImageUploadFailed,
  InvalidParameterValue,
  imageStoreFromConfig,
  MissingParameterValue,
  parseConfig,
  WebServerStore,
} from '../../../src/index.js';
import { captureLogger } from '../../helpers/capture-logger.js';
import { fakeClock } from '../../helpers/fake-clock.js';

/** Every file under dir, relative, including dot-files (to prove nothing is left behind). */
function tree(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tree(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
  );
}

describe('WebServerStore', () => {
  let root: string;
  const clock = fakeClock();
  const logger = captureLogger();
  let store: WebServerStore;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'web-store-'));
    store = new WebServerStore({ httpRoot: root, httpUrl: 'http://10.0.0.1:8080/images', clock, logger });
  });
  afterEach(async () => rm(root, { recursive: true, force: true }));

  it('publishes a file with mode 0644 under http_root and a URL that keeps every segment of http_url', async () => {
    const data = randomBytes(10_000);
    const published = await store.publish('ilo/boot-1.iso', data);
    expect(published).toMatchObject({
      name: 'ilo/boot-1.iso',
      url: 'http://10.0.0.1:8080/images/ilo/boot-1.iso',
      size: data.length,
      md5: createHash('md5').update(data).digest('hex'),
    });
    expect(readFileSync(join(root, 'ilo', 'boot-1.iso')).equals(data)).toBe(true);
    expect(statSync(join(root, 'ilo', 'boot-1.iso')).mode & 0o777).toBe(0o644);
    expect(await store.urlFor('a b.iso'.replace(' ', '_'))).toBe('http://10.0.0.1:8080/images/a_b.iso');
  });

  it('applies the configured file mode whatever the umask', async () => {
    const old = process.umask(0o077);
    try {
      const s = new WebServerStore({ httpRoot: root, httpUrl: 'http://h/', fileMode: 0o640 });
      await s.publish('x.img', randomBytes(10));
      expect(statSync(join(root, 'x.img')).mode & 0o777).toBe(0o640);
    } finally {
      process.umask(old);
    }
  });

  it('gives secret images 128 random bits in their name, and hides them from the state directory', async () => {
    const a = await store.publish('image-node1', randomBytes(10), { secret: true, ttlSeconds: 900 });
    const b = await store.publish('image-node1', randomBytes(10), { secret: true, ttlSeconds: 900 });
    expect(a.name).toMatch(/^image-node1-[A-Za-z0-9_-]{22}$/);
    expect(a.name).not.toBe(b.name);
    const state = tree(join(root, '.ironic-ilo')).join('\n');
    expect(state).not.toContain(a.name);
    expect(statSync(join(root, '.ironic-ilo')).mode & 0o777).toBe(0o700);
  });

  it('keeps the random part of a secret name out of logs and errors', async () => {
    const { name } = await store.publish('image-node2', randomBytes(10), { secret: true, ttlSeconds: 900 });
    const suffix = name.slice('image-node2-'.length);
    await store.remove(name);
    await store.remove(name);
    writeFileSync(join(root, 'blocker'), 'x');
    const broken = new WebServerStore({ httpRoot: join(root, 'blocker'), httpUrl: 'http://h/', logger });
    const e = await broken.publish('image-node3', randomBytes(1), { secret: true }).catch((x: unknown) => x);
    expect((e as Error).message).toMatch(/image-node3-\*\*\*/);
    expect(logger.lines.join('\n')).toContain('image-node2-***');
    expect(logger.lines.join('\n')).not.toContain(suffix);
  });

  it.each([['../outside.iso'], ['/etc/passwd'], ['a/../../b'], ['.hidden'], ['a\\b'], ['a//b'], ['']])(
    'rejects the name %j',
    async (name) => {
      await expect(store.publish(name, randomBytes(1))).rejects.toBeInstanceOf(InvalidParameterValue);
      await expect(store.remove(name)).rejects.toBeInstanceOf(InvalidParameterValue);
      expect(tree(root)).toEqual([]);
    },
  );

  it('refuses to follow a symbolic link out of http_root, and creates nothing outside', async () => {
    const outside = await mkdtemp(join(tmpdir(), 'outside-'));
    try {
      symlinkSync(outside, join(root, 'link'));
      for (const name of ['link/evil.iso', 'link/sub/dir/evil.iso']) {
        const error = await store.publish(name, randomBytes(10)).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(InvalidParameterValue);
        expect((error as InvalidParameterValue).fields).toEqual([
          { field: 'name', problem: 'escapes http_root' },
        ]);
      }
      expect(readdirSync(outside)).toEqual([]);
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });

  it('publishes atomically: the old content stays visible until the new one is complete', async () => {
    await store.publish('boot.iso', Buffer.from('old'));
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    async function* slow() {
      yield Buffer.from('new-');
      await gate;
      yield Buffer.from('content');
    }
    const pending = store.publish('boot.iso', slow());
    await sleep(20);
    expect(readFileSync(join(root, 'boot.iso'), 'utf8')).toBe('old');
    release();
    await pending;
    expect(readFileSync(join(root, 'boot.iso'), 'utf8')).toBe('new-content');
    expect(tree(root).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('leaves nothing behind when a publish is aborted, its stream fails or its length is wrong', async () => {
    await store.publish('keep.iso', Buffer.from('keep'));
    const controller = new AbortController();
    async function* aborted() {
      yield randomBytes(1000);
      controller.abort(new Error('cancelled by the test'));
      await sleep(10);
      yield randomBytes(1000);
    }
    await expect(store.publish('keep.iso', aborted(), { signal: controller.signal })).rejects.toThrow(
      'cancelled by the test',
    );
    async function* broken() {
      yield randomBytes(1000);
      throw new Error('read error');
    }
    await expect(store.publish('broken.iso', broken())).rejects.toBeInstanceOf(ImageUploadFailed);
    async function* short() {
      yield randomBytes(10);
    }
    const e = await store.publish('short.iso', short(), { contentLength: 20 }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ImageUploadFailed);
    expect((e as Error).message).toMatch(/short\.iso.*10 bytes, 20 were announced/);
    await expect(store.publish('long.iso', randomBytes(30), { contentLength: 20 })).rejects.toBeInstanceOf(
      InvalidParameterValue,
    );
    async function* failsInNewDir() {
      yield randomBytes(10);
      throw new Error('read error');
    }
    await expect(store.publish('new/deep/x.iso', failsInNewDir())).rejects.toBeInstanceOf(ImageUploadFailed);
    expect(readdirSync(root)).toEqual(['keep.iso']);
    expect(tree(root).filter((f) => !f.startsWith('.ironic-ilo/'))).toEqual(['keep.iso']);
    expect(readFileSync(join(root, 'keep.iso'), 'utf8')).toBe('keep');
  });

  it('reports a failed write as ImageUploadFailed naming the image and the web server', async () => {
    writeFileSync(join(root, 'file'), 'x');
    const s = new WebServerStore({ httpRoot: join(root, 'file'), httpUrl: 'http://10.0.0.1/' });
    const e = await s.publish('a.iso', randomBytes(1)).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ImageUploadFailed);
    expect((e as Error).message).toMatch(
      /^Failed to upload a\.iso image to web server http:\/\/10\.0\.0\.1\/, reason: /,
    );
  });

  it('expires images: head/list hide and remove them once due, sweep removes the rest and stale temp files', async () => {
    await store.publish('floppy-a', randomBytes(10), { ttlSeconds: 60 });
    await store.publish('floppy-b', randomBytes(10), { ttlSeconds: 600 });
    await store.publish('boot.iso', randomBytes(10));
    expect((await store.head('floppy-a'))?.expiresAt?.getTime()).toBe(clock.now() + 60_000);
    clock.advance(61_000);
    expect(await store.head('floppy-a')).toBeUndefined();
    expect(existsSync(join(root, 'floppy-a'))).toBe(false);
    clock.advance(600_000);
    writeFileSync(join(root, '.tmp-crashed'), 'partial');
    utimesSync(
      join(root, '.tmp-crashed'),
      new Date(clock.now() - 7_200_000),
      new Date(clock.now() - 7_200_000),
    );
    writeFileSync(join(root, '.tmp-in-progress'), 'partial');
    utimesSync(join(root, '.tmp-in-progress'), new Date(clock.now()), new Date(clock.now()));
    expect(await store.sweep()).toEqual({ expired: ['floppy-b'], temporary: ['.tmp-crashed'] });
    expect((await store.list()).map((o) => o.name)).toEqual(['boot.iso']);
    expect(readdirSync(join(root, '.ironic-ilo', 'expiry'))).toEqual([]);
  });

  it('publishing again without a TTL clears the old expiry', async () => {
    await store.publish('x.iso', randomBytes(10), { ttlSeconds: 60 });
    await store.publish('x.iso', randomBytes(10));
    clock.advance(120_000);
    expect(await store.head('x.iso')).toBeDefined();
  });

  it('lists by prefix, sorted, without temp files or its own state', async () => {
    for (const n of ['boot-2.iso', 'ilo/boot-1.iso', 'boot-1.iso', 'image-x'])
      await store.publish(n, randomBytes(5));
    writeFileSync(join(root, 'not a valid name'), 'x');
    writeFileSync(join(root, '.tmp-abc'), 'x');
    expect((await store.list()).map((o) => o.name)).toEqual([
      'boot-1.iso',
      'boot-2.iso',
      'ilo/boot-1.iso',
      'image-x',
    ]);
    expect((await store.list('boot-')).map((o) => o.name)).toEqual(['boot-1.iso', 'boot-2.iso']);
    expect((await store.list('ilo/'))[0]).toMatchObject({ name: 'ilo/boot-1.iso', size: 5, metadata: {} });
  });

  it('removes idempotently, logging a missing image', async () => {
    await store.publish('x.iso', randomBytes(10));
    expect(await store.remove('x.iso')).toBe(true);
    expect(await store.remove('x.iso')).toBe(false);
    expect(logger.lines.some((l) => l.includes('x.iso was already removed'))).toBe(true);
    expect(await store.remove('never/there.iso')).toBe(false);
  });

  it('counts holders and deletes the object with the last release', async () => {
    await store.publish('boot-shared.iso', randomBytes(10));
    expect(await store.acquire('boot-shared.iso', 'node-a')).toBe(1);
    expect(await store.acquire('boot-shared.iso', 'node-b')).toBe(2);
    expect(await store.acquire('boot-shared.iso', 'node-b')).toBe(2);
    expect(await store.holders('boot-shared.iso')).toEqual(['node-a', 'node-b']);
    expect(await store.release('boot-shared.iso', 'node-a')).toBe(1);
    expect(await store.head('boot-shared.iso')).toBeDefined();
    expect(await store.release('boot-shared.iso', 'node-b')).toBe(0);
    expect(await store.head('boot-shared.iso')).toBeUndefined();
    expect(await store.release('boot-shared.iso', 'node-b')).toBe(0);
    await expect(store.acquire('boot-shared.iso', 'node-a')).rejects.toBeInstanceOf(ImageNotFound);
    expect(await store.holders('boot-shared.iso')).toEqual([]);
    await expect(store.acquire('x.iso', 'bad holder')).rejects.toBeInstanceOf(InvalidParameterValue);
  });

  it('names every bad constructor option', () => {
    let error: unknown;
    try {
      new WebServerStore({ httpRoot: '', httpUrl: 'ftp://x/', fileMode: 0o1777 });
    } catch (e) {
      error = e;
    }
    expect((error as InvalidParameterValue).fields.map((f) => f.field)).toEqual([
      'httpRoot',
      'httpUrl',
      'fileMode',
    ]);
  });
});

describe('imageStoreFromConfig', () => {
  it('builds a WebServerStore from [deploy] and [ilo] when use_web_server_for_images is set', () => {
    const config = parseConfig({
      ilo: { useWebServerForImages: true, filePermission: 0o600 },
      deploy: { httpRoot: '/srv/http', httpUrl: 'http://10.0.0.1:8080/boot' },
    });
    const store = imageStoreFromConfig(config);
    expect(store).toBeInstanceOf(WebServerStore);
    expect(store).toMatchObject({
      httpRoot: '/srv/http',
      httpUrl: 'http://10.0.0.1:8080/boot',
      fileMode: 0o600,
    });
  });

  it('names what is missing', () => {
    expect(() => imageStoreFromConfig(parseConfig({ ilo: { useWebServerForImages: true } }))).toThrow(
      MissingParameterValue,
    );
    expect(() => imageStoreFromConfig(parseConfig({}))).toThrow(/swiftAuth/);
  });

  it('builds a SwiftStore on [ilo] swift_ilo_container otherwise', () => {
    const store = imageStoreFromConfig(parseConfig({ ilo: { swiftIloContainer: 'my_container' } }), {
      swiftAuth: { version: 1, url: 'http://127.0.0.1:1/auth/v1.0', user: 'a:b', key: 'k' },
    });
    expect(store.kind).toBe('swift');
    expect((store as { container?: string }).container).toBe('my_container');
  });
});

describe('WebServerStore state directory', () => {
  it('can live outside http_root', async () => {
    const root = await mkdtemp(join(tmpdir(), 'web-root-'));
    const state = await mkdtemp(join(tmpdir(), 'web-state-'));
    try {
      mkdirSync(join(root, 'sub'));
      const store = new WebServerStore({ httpRoot: root, httpUrl: 'http://h/', stateDir: state });
      await store.publish('sub/f', randomBytes(3), { ttlSeconds: 10 });
      expect(existsSync(join(root, '.ironic-ilo'))).toBe(false);
      expect(readdirSync(join(state, 'expiry'))).toHaveLength(1);
    } finally {
      await rm(root, { recursive: true, force: true });
      await rm(state, { recursive: true, force: true });
    }
  });
});
