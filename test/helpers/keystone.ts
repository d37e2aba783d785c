/**
 * A Keystone-shaped test server: no Keystone runs here, so this serves only what SwiftStore's
 * Keystone auth reads — `POST /v2.0/tokens` (`access.token.id`, `access.token.expires`,
 * `access.serviceCatalog[].endpoints[].{region, publicURL, internalURL, adminURL}`) and
 * `POST /v3/auth/tokens` (`X-Subject-Token`, `token.expires_at`,
 * `token.catalog[].endpoints[].{interface, region, region_id, url}`). The token it hands out is
 * a real Swift token obtained from the all-in-one's tempauth, and the catalog's matching
 * endpoint is the real storage URL, so the store then talks to the real Swift. Decoy endpoints
 * (another region, other interfaces) point at a closed port.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The credentials the server accepts and the Swift it fronts. */
export interface KeystoneOptions {
  username: string;
  password: string;
  project: string;
  domain: string;
  region: string;
  swift: { authUrl: string; user: string; key: string };
}

/** A running Keystone-shaped server. */
export interface FakeKeystone {
  url: string;
  /** Bodies of the token requests received (they contain the password: tests only). */
  requests: unknown[];
  stop(): Promise<void>;
}

const DECOY = 'http://127.0.0.1:9/v1/AUTH_decoy';

async function bodyOf(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as unknown;
}

/** `obj.a.b.c` of parsed JSON, or undefined. */
function at(obj: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>(
      (o, k) => (o !== null && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined),
      obj,
    );
}

async function swiftToken(o: KeystoneOptions): Promise<{ token: string; storageUrl: string }> {
  const res = await fetch(o.swift.authUrl, {
    headers: { 'x-auth-user': o.swift.user, 'x-auth-key': o.swift.key },
  });
  const token = res.headers.get('x-auth-token');
  const storageUrl = res.headers.get('x-storage-url');
  if (token === null || storageUrl === null) throw new Error(`tempauth answered ${res.status}`);
  return { token, storageUrl };
}

/** Starts the server on 127.0.0.1 (ephemeral port). */
export async function startKeystone(o: KeystoneOptions): Promise<FakeKeystone> {
  const requests: unknown[] = [];
  const expires = new Date(Date.now() + 3_600_000).toISOString();
  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await bodyOf(req);
      requests.push(body);
      if (req.method === 'POST' && req.url === '/v2.0/tokens') {
        const ok =
          at(body, 'auth.passwordCredentials.username') === o.username &&
          at(body, 'auth.passwordCredentials.password') === o.password &&
          at(body, 'auth.tenantName') === o.project;
        if (!ok) return res.writeHead(401).end('{"error":{"code":401}}');
        const { token, storageUrl } = await swiftToken(o);
        const endpoints = [
          { region: 'Elsewhere', publicURL: DECOY, internalURL: DECOY, adminURL: DECOY },
          { region: o.region, publicURL: storageUrl, internalURL: DECOY, adminURL: DECOY },
        ];
        return res.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            access: {
              token: { id: token, expires },
              serviceCatalog: [
                { type: 'identity', endpoints: [] },
                { type: 'object-store', endpoints },
              ],
            },
          }),
        );
      }
      if (req.method === 'POST' && req.url === '/v3/auth/tokens') {
        const user = at(body, 'auth.identity.password.user');
        const project = at(body, 'auth.scope.project');
        const ok =
          at(user, 'name') === o.username &&
          at(user, 'password') === o.password &&
          at(user, 'domain.name') === o.domain &&
          at(project, 'name') === o.project &&
          at(project, 'domain.name') === o.domain;
        if (!ok) return res.writeHead(401).end('{"error":{"code":401}}');
        const { token, storageUrl } = await swiftToken(o);
        const endpoints = [
          { interface: 'public', region: 'Elsewhere', region_id: 'Elsewhere', url: DECOY },
          { interface: 'internal', region: o.region, region_id: o.region, url: DECOY },
          { interface: 'public', region: o.region, region_id: o.region, url: storageUrl },
        ];
        return res.writeHead(201, { 'content-type': 'application/json', 'x-subject-token': token }).end(
          JSON.stringify({
            token: { expires_at: expires, catalog: [{ type: 'object-store', endpoints }] },
          }),
        );
      }
      res.writeHead(404).end();
    })().catch((e) => res.writeHead(500).end(String(e)));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    requests,
    stop: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
