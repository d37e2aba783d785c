/**
 * SwiftStore's request policy (retries, re-authentication, token renewal, TLS) against a
 * scripted Swift-shaped server: the real all-in-one cannot be made to answer 503 or to expire a
 * token on cue. The server speaks tempauth (`GET /auth/v1.0` → `X-Auth-Token`,
 * `X-Storage-Url`, `X-Auth-Token-Expires`) and answers storage requests from a script.
 */
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SwiftOperationError, SwiftStore, type SwiftStoreOptions } from '../../../src/index.js';
import { captureLogger } from '../../helpers/capture-logger.js';
import { fakeClock } from '../../helpers/fake-clock.js';
import { describeWithPeers } from '../../helpers/peers.js';

type Handler = (req: IncomingMessage, res: ServerResponse, body: Buffer) => void;

interface FakeSwift {
  url: string;
  auths: number;
  /** Answer 503 to this many authentication requests first. */
  authFailures: number;
  tokenTtl: number;
  log: string[];
  /** Scripted answers, consumed in order; when empty, `fallback` answers. */
  script: Handler[];
  fallback: Handler;
}

function fakeSwift(): { swift: FakeSwift; server: Server } {
  const swift: FakeSwift = {
    url: '',
    auths: 0,
    authFailures: 0,
    tokenTtl: 3600,
    log: [],
    script: [],
    fallback: (_req, res) => res.writeHead(204).end(),
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.url === '/auth/v1.0') {
        if (swift.authFailures > 0) {
          swift.authFailures--;
          return void res.writeHead(503).end();
        }
        swift.auths++;
        return void res
          .writeHead(200, {
            'x-auth-token': `tok-${swift.auths}`,
            'x-storage-url': `${swift.url}/v1/AUTH_t`,
            'x-auth-token-expires': String(swift.tokenTtl),
          })
          .end();
      }
      swift.log.push(`${req.method} ${req.url} ${req.headers['x-auth-token']}`);
      (swift.script.shift() ?? swift.fallback)(req, res, Buffer.concat(chunks));
    });
  });
  return { swift, server };
}

const status =
  (code: number, headers: Record<string, string> = {}): Handler =>
  (_req, res) =>
    res.writeHead(code, headers).end();

describe('SwiftStore request policy', () => {
  let server: Server;
  let swift: FakeSwift;
  const logger = captureLogger();
  const stores: SwiftStore[] = [];
  const make = (extra: Partial<SwiftStoreOptions> = {}) => {
    const s = new SwiftStore({
      auth: { version: 1, url: `${swift.url}/auth/v1.0`, user: 'a:u', key: 'canary-key' },
      tempUrlKey: 'k',
      retryBackoffMs: 1,
      logger,
      ...extra,
    });
    stores.push(s);
    return s;
  };

  beforeAll(async () => {
    ({ swift, server } = fakeSwift());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    swift.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.close()));
    swift.script.length = 0;
    swift.log.length = 0;
  });
  afterAll(async () => new Promise<void>((r) => server.close(() => r())));

  it('retries an idempotent request on 5xx, maxRetries times, then fails', async () => {
    const store = make({ maxRetries: 2 });
    swift.script.push(status(503), status(500), status(200, { 'content-length': '5' }));
    expect(await store.head('x.iso')).toMatchObject({ size: 5 });
    swift.script.push(status(503), status(503), status(503));
    await expect(store.head('x.iso')).rejects.toThrow("Swift operation 'head object' failed: HTTP 503");
    expect(swift.log.filter((l) => l.startsWith('HEAD')).length).toBe(6);
  });

  it('never retries a POST, nor a PUT whose streamed body cannot be sent again', async () => {
    const store = make();
    swift.script.push(status(503));
    await expect(store.setTempUrlKey('new-key')).rejects.toThrow(/post account.*503/);
    expect(swift.log.filter((l) => l.startsWith('POST'))).toHaveLength(1);
    swift.script.push(status(201), status(503)); // container, then the object PUT
    await expect(store.publish('s.iso', Readable.from([Buffer.from('abc')]))).rejects.toThrow(
      /put object.*503/,
    );
    expect(swift.log.filter((l) => l.startsWith('PUT /v1/AUTH_t/ironic_ilo_container/s.iso'))).toHaveLength(
      1,
    );
  });

  it('retries a PUT of bytes or a file, and checks the ETag', async () => {
    const store = make();
    const data = Buffer.from('hello');
    swift.script.push(status(201), status(503), (_req, res, body) =>
      res.writeHead(201, { etag: `"${createHash('md5').update(body).digest('hex')}"` }).end(),
    );
    expect((await store.publish('b.iso', data)).size).toBe(5);
    swift.script.push(status(201, { etag: 'ffffffffffffffffffffffffffffffff' }), status(204));
    await expect(store.publish('b.iso', data)).rejects.toThrow(/ETag mismatch.*the object was deleted/);
    expect(swift.log.at(-1)).toMatch(/^DELETE \/v1\/AUTH_t\/ironic_ilo_container\/b\.iso/);
  });

  it('authenticates again once on 401, and gives up on a second 401', async () => {
    const store = make();
    swift.script.push(status(200, { 'content-length': '1' }));
    await store.head('x');
    const before = swift.auths;
    swift.script.push(status(401), status(200, { 'content-length': '1' }));
    expect(await store.head('x')).toBeDefined();
    expect(swift.auths).toBe(before + 1);
    expect(swift.log.slice(-2).map((l) => l.split(' ')[2])).toEqual([`tok-${before}`, `tok-${before + 1}`]);
    swift.script.push(status(401), status(401));
    await expect(store.head('x')).rejects.toThrow(/HTTP 401/);
  });

  it('renews a token shortly before it expires instead of waiting for a 401', async () => {
    const clock = fakeClock();
    swift.tokenTtl = 120;
    try {
      const store = make({ clock });
      await store.head('x');
      const before = swift.auths;
      clock.advance(100_000);
      await store.head('x');
      expect(swift.auths).toBe(before + 1);
    } finally {
      swift.tokenTtl = 3600;
    }
  });

  it('retries an authentication answered 503 (tempauth does when memcached is busy)', async () => {
    const store = make({ maxRetries: 2 });
    swift.authFailures = 2;
    expect(await store.head('x')).toBeDefined();
    const other = make({ maxRetries: 1 });
    swift.authFailures = 2;
    await expect(other.head('x')).rejects.toThrow(
      "Swift operation 'authenticate' failed: HTTP 503 from the auth URL",
    );
    swift.authFailures = 0;
  });

  it('shares one authentication among concurrent requests', async () => {
    const store = make();
    const before = swift.auths;
    await Promise.all(Array.from({ length: 10 }, () => store.head('x')));
    expect(swift.auths).toBe(before + 1);
  });

  it('lets one caller abort without failing the others that share its authentication', async () => {
    const store = make();
    const controller = new AbortController();
    const first = store.head('x', { signal: controller.signal });
    const second = store.head('y');
    controller.abort(new Error('first gave up'));
    await expect(first).rejects.toThrow('first gave up');
    await expect(second).resolves.toMatchObject({ name: 'y' });
  });

  it('stops at once when aborted, without retrying', async () => {
    const store = make({ retryBackoffMs: 60_000 });
    swift.script.push(status(503));
    const controller = new AbortController();
    const pending = store.head('x', { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('operator cancelled')), 50);
    await expect(pending).rejects.toThrow('operator cancelled');
  });

  it('keeps the key and the tokens out of errors and logs', async () => {
    const store = make({ auth: { version: 1, url: `${swift.url}/nope`, user: 'a:u', key: 'canary-key' } });
    const e = await store.head('x').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(SwiftOperationError);
    const text = `${(e as Error).message}\n${logger.lines.join('\n')}`;
    expect(text).not.toContain('canary-key');
    expect(text).not.toMatch(/tok-\d/);
  });
});

const withOpenssl = describeWithPeers('openssl', { commands: ['openssl'] });

withOpenssl('SwiftStore TLS', () => {
  let dir: string;
  let server: Server;
  let url: string;
  let cert: Buffer;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'swift-tls-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    cert = readFileSync(join(dir, 'cert.pem'));
    server = createHttpsServer({ key: readFileSync(join(dir, 'key.pem')), cert }, (req, res) => {
      if (req.url === '/auth/v1.0')
        return void res.writeHead(200, { 'x-auth-token': 't', 'x-storage-url': `${url}/v1/AUTH_t` }).end();
      res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((r) => server.close(() => r()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('verifies certificates by default, trusts a given CA, and logs when verification is off', async () => {
    const auth = {
      version: 1 as const,
      url: `${url}/auth/v1.0`,
      user: 'a:u',
      key: randomBytes(4).toString('hex'),
    };
    const strict = new SwiftStore({ auth, retryBackoffMs: 1, maxRetries: 0 });
    await expect(strict.head('x')).rejects.toThrow(/self[- ]signed|certificate/i);
    const trusting = new SwiftStore({ auth, tls: { ca: cert } });
    expect(await trusting.head('x')).toBeUndefined();
    const logger = captureLogger();
    const insecure = new SwiftStore({ auth, tls: { insecure: true }, logger });
    expect(await insecure.head('x')).toBeUndefined();
    expect(logger.lines).toContain('warn TLS certificate verification is disabled for Swift');
    await Promise.all([strict.close(), trusting.close(), insecure.close()]);
  });
});
