import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { WebServerStore } from '../../../src/index.js';
import { NGINX_PEERS, type Nginx, startNginx } from '../../helpers/nginx.js';
import { describeWithPeers } from '../../helpers/peers.js';
import { sharedCycles } from '../../helpers/shared-cycles.js';

const withNginx = describeWithPeers('nginx', NGINX_PEERS);

withNginx('WebServerStore behind a real nginx', () => {
  let root: string;
  let nginx: Nginx;
  let store: WebServerStore;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'httpboot-'));
    chmodSync(root, 0o755); // nginx's workers run as another user
    nginx = await startNginx(root);
    store = new WebServerStore({ httpRoot: root, httpUrl: nginx.url });
  });
  afterAll(async () => {
    await nginx?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('serves a published image by range (206 with the right bytes), then 404 once removed', async () => {
    const s = new WebServerStore({ httpRoot: root, httpUrl: nginx.url });
    const data = randomBytes(1_000_000);
    const { name, url } = await s.publish('ilo/boot-1be26c0b.iso', data);
    const head = await fetch(url, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(data.length));
    const part = await fetch(url, { headers: { range: 'bytes=1000-4095' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 1000-4095/${data.length}`);
    expect(Buffer.from(await part.arrayBuffer()).equals(data.subarray(1000, 4096))).toBe(true);
    const full = await fetch(url);
    expect(Buffer.from(await full.arrayBuffer()).equals(data)).toBe(true);
    await s.remove(name);
    expect((await fetch(url)).status).toBe(404);
  });

  it('keeps the path of http_url (no urljoin pitfall) and never serves its state directory', async () => {
    const s = new WebServerStore({ httpRoot: join(root, 'sub'), httpUrl: `${nginx.url}sub` });
    const { url, name } = await s.publish('image-x', randomBytes(10), { secret: true, ttlSeconds: 60 });
    expect(url).toBe(`${nginx.url}sub/${name}`);
    expect((await fetch(url)).status).toBe(200);
    expect((await fetch(`${nginx.url}sub/.ironic-ilo/`)).status).toBe(403);
  });

  it('keeps one shared ISO alive while held and deletes it at zero, under 50 concurrent cycles', async () => {
    const name = 'boot-shared-9f8e.iso';
    const { violations, created, maxHeld } = await sharedCycles(store, name, randomBytes(64 * 1024));
    expect(violations).toEqual([]);
    expect(created).toBeGreaterThanOrEqual(1);
    expect(maxHeld).toBeGreaterThan(1);
    expect(await store.head(name)).toBeUndefined();
    expect(await store.holders(name)).toEqual([]);
    expect((await fetch(await store.urlFor(name))).status).toBe(404);
  });
});
