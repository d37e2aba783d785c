import type { FieldIssue } from '../../errors/index.js';
import { SwiftOperationError } from '../../errors/index.js';
import {
  describeError,
  discard,
  isTransientError,
  isTransientStatus,
  pause,
  type RetryPolicy,
  readText,
  send,
  type Transport,
} from '../http.js';

/**
 * Which catalog endpoint to use.
 *
 * @example
 * ```ts
 * const iface: EndpointInterface = 'internal'; // a conductor inside the cloud
 * ```
 */
export type EndpointInterface = 'public' | 'internal' | 'admin';

/** Swift's own `tempauth` (or swauth): `GET <url>` with `X-Auth-User` / `X-Auth-Key`. */
export interface SwiftTempAuth {
  /** Auth version 1. */
  version: 1;
  /** The auth URL, for example `http://swift:8080/auth/v1.0`. */
  url: string;
  /** `account:user`. */
  user: string;
  /** The user's key. Never logged. */
  key: string;
}

/** Keystone v2 (password credentials and a tenant name). */
export interface SwiftKeystoneV2Auth {
  /** Auth version 2. */
  version: 2;
  /** Keystone URL, for example `http://keystone:5000/v2.0` (`/v2.0` is added when missing). */
  url: string;
  /** User name. */
  username: string;
  /** Password. Never logged. */
  password: string;
  /** Tenant (project) name. */
  tenantName: string;
  /** Catalog region to pick the object-store endpoint from (default: the first). */
  region?: string;
  /** Catalog interface (default `public`). */
  interface?: EndpointInterface;
}

/** Keystone v3 (password method, project-scoped). */
export interface SwiftKeystoneV3Auth {
  /** Auth version 3. */
  version: 3;
  /** Keystone URL, for example `http://keystone:5000/v3` (`/v3` is added when missing). */
  url: string;
  /** User name. */
  username: string;
  /** Password. Never logged. */
  password: string;
  /** Project name. */
  projectName: string;
  /** Domain of the user (usually `Default`). */
  userDomainName: string;
  /** Domain of the project (usually `Default`). */
  projectDomainName: string;
  /** Catalog region to pick the object-store endpoint from (default: the first). */
  region?: string;
  /** Catalog interface (default `public`). */
  interface?: EndpointInterface;
}

/**
 * How {@link SwiftStore} authenticates: Swift tempauth (v1), Keystone v2 or Keystone v3.
 *
 * @example
 * ```ts
 * const auth: SwiftAuth = {
 *   version: 3, url: 'https://keystone.example.com:5000/v3', username: 'ironic', password,
 *   projectName: 'service', userDomainName: 'Default', projectDomainName: 'Default', region: 'RegionOne',
 * };
 * ```
 */
export type SwiftAuth = SwiftTempAuth | SwiftKeystoneV2Auth | SwiftKeystoneV3Auth;

/** A token and the storage URL it is valid for. */
export interface SwiftSession {
  token: string;
  storageUrl: string;
  /** Unix ms after which the token is expired, when the server said. */
  expiresAt: number | undefined;
}

const REQUIRED: Record<1 | 2 | 3, readonly string[]> = {
  1: ['url', 'user', 'key'],
  2: ['url', 'username', 'password', 'tenantName'],
  3: ['url', 'username', 'password', 'projectName', 'userDomainName', 'projectDomainName'],
};

/** Every problem of an auth option object, with `auth.`-prefixed field names. */
export function swiftAuthIssues(auth: unknown): FieldIssue[] {
  if (auth === null || typeof auth !== 'object') return [{ field: 'auth', problem: 'required' }];
  const a = auth as Record<string, unknown>;
  const version = a.version;
  if (version !== 1 && version !== 2 && version !== 3)
    return [{ field: 'auth.version', problem: 'must be 1, 2 or 3' }];
  const issues: FieldIssue[] = [];
  for (const key of REQUIRED[version]) {
    if (typeof a[key] !== 'string' || a[key] === '')
      issues.push({ field: `auth.${key}`, problem: 'required' });
  }
  if (typeof a.url === 'string' && a.url !== '' && !URL.canParse(a.url))
    issues.push({ field: 'auth.url', problem: 'must be an absolute URL' });
  if (a.interface !== undefined && !['public', 'internal', 'admin'].includes(a.interface as string))
    issues.push({ field: 'auth.interface', problem: 'must be public, internal or admin' });
  return issues;
}

function fail(error: string, cause?: unknown): SwiftOperationError {
  return new SwiftOperationError({ operation: 'authenticate', error, cause });
}

/** An answer worth asking again (5xx, 429, 408): tempauth answers 503 when memcached is busy. */
class TransientAuthFailure extends Error {
  constructor(readonly failure: SwiftOperationError) {
    super(failure.message);
  }
}

function failStatus(status: number, from: string): Error {
  const failure = fail(`HTTP ${status} from ${from}`);
  return isTransientStatus(status) ? new TransientAuthFailure(failure) : failure;
}

function withSuffix(url: string, versionSegment: string, tail: string): string {
  const base = url.replace(/\/+$/, '');
  return base.endsWith(`/${versionSegment}`) ? `${base}/${tail}` : `${base}/${versionSegment}/${tail}`;
}

function expiry(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const ms = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value}Z`);
  return Number.isFinite(ms) ? ms : undefined;
}

/**
 * Obtains a token and the storage URL. Secrets never reach the thrown errors. Asking for a token
 * has no effect but the token, so transport errors and 5xx answers are retried as idempotent
 * requests are, Keystone's POST included.
 */
export async function authenticate(
  auth: SwiftAuth,
  transport: Transport,
  retry: RetryPolicy,
  signal: AbortSignal | undefined,
): Promise<SwiftSession> {
  for (let attempt = 0; ; attempt++) {
    try {
      if (auth.version === 1) return await tempAuth(auth, transport, retry.clock.now(), signal);
      if (auth.version === 2) return await keystoneV2(auth, transport, signal);
      return await keystoneV3(auth, transport, signal);
    } catch (e) {
      if (signal?.aborted) throw signal.reason;
      const transient = e instanceof TransientAuthFailure || isTransientError(e);
      if (transient && attempt < retry.retries) {
        await pause(retry.clock, retry.backoffMs * 2 ** attempt, signal);
        continue;
      }
      if (e instanceof TransientAuthFailure) throw e.failure;
      if (e instanceof SwiftOperationError) throw e;
      throw fail(describeError(e), e);
    }
  }
}

async function tempAuth(
  auth: SwiftTempAuth,
  transport: Transport,
  now: number,
  signal: AbortSignal | undefined,
): Promise<SwiftSession> {
  const res = await send(transport, {
    method: 'GET',
    url: auth.url,
    headers: { 'x-auth-user': auth.user, 'x-auth-key': auth.key },
    signal,
  });
  await discard(res.body);
  if (res.status < 200 || res.status >= 300) throw failStatus(res.status, 'the auth URL');
  const token = res.headers['x-auth-token'] ?? res.headers['x-storage-token'];
  const storageUrl = res.headers['x-storage-url'];
  if (!token || !storageUrl) throw fail('the auth response lacks X-Auth-Token or X-Storage-Url');
  const ttl = Number(res.headers['x-auth-token-expires']);
  return { token, storageUrl, expiresAt: Number.isFinite(ttl) && ttl > 0 ? now + ttl * 1000 : undefined };
}

interface V2Endpoint {
  region?: string;
  publicURL?: string;
  internalURL?: string;
  adminURL?: string;
}
interface V3Endpoint {
  interface?: string;
  region?: string;
  region_id?: string;
  url?: string;
}
interface CatalogEntry<E> {
  type?: string;
  endpoints?: E[];
}

async function postJson(
  transport: Transport,
  url: string,
  body: unknown,
  signal: AbortSignal | undefined,
): Promise<{ headers: Record<string, string>; json: unknown }> {
  const res = await send(transport, {
    method: 'POST',
    url,
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
    signal,
  });
  if (res.status < 200 || res.status >= 300) {
    await discard(res.body);
    throw failStatus(res.status, 'Keystone');
  }
  try {
    return { headers: res.headers, json: JSON.parse(await readText(res.body)) as unknown };
  } catch (e) {
    throw fail('Keystone answered a body that is not JSON', e);
  }
}

function noEndpoint(region: string | undefined, iface: string): SwiftOperationError {
  return fail(
    `no object-store endpoint with interface ${iface}${region === undefined ? '' : ` in region ${region}`} in the catalog`,
  );
}

async function keystoneV2(
  auth: SwiftKeystoneV2Auth,
  transport: Transport,
  signal: AbortSignal | undefined,
): Promise<SwiftSession> {
  const { json } = await postJson(
    transport,
    withSuffix(auth.url, 'v2.0', 'tokens'),
    {
      auth: {
        passwordCredentials: { username: auth.username, password: auth.password },
        tenantName: auth.tenantName,
      },
    },
    signal,
  );
  const access = (
    json as { access?: { token?: { id?: string; expires?: string }; serviceCatalog?: unknown } }
  ).access;
  const token = access?.token?.id;
  if (typeof token !== 'string' || token === '') throw fail('the Keystone v2 response has no token id');
  const iface = auth.interface ?? 'public';
  const catalog = Array.isArray(access?.serviceCatalog)
    ? (access.serviceCatalog as CatalogEntry<V2Endpoint>[])
    : [];
  const key = `${iface}URL` as 'publicURL' | 'internalURL' | 'adminURL';
  const endpoint = catalog
    .filter((s) => s.type === 'object-store')
    .flatMap((s) => s.endpoints ?? [])
    .find((e) => (auth.region === undefined || e.region === auth.region) && typeof e[key] === 'string');
  const storageUrl = endpoint?.[key];
  if (storageUrl === undefined) throw noEndpoint(auth.region, iface);
  return { token, storageUrl, expiresAt: expiry(access?.token?.expires) };
}

async function keystoneV3(
  auth: SwiftKeystoneV3Auth,
  transport: Transport,
  signal: AbortSignal | undefined,
): Promise<SwiftSession> {
  const { headers, json } = await postJson(
    transport,
    withSuffix(auth.url, 'v3', 'auth/tokens'),
    {
      auth: {
        identity: {
          methods: ['password'],
          password: {
            user: { name: auth.username, password: auth.password, domain: { name: auth.userDomainName } },
          },
        },
        scope: { project: { name: auth.projectName, domain: { name: auth.projectDomainName } } },
      },
    },
    signal,
  );
  const token = headers['x-subject-token'];
  if (token === undefined || token === '') throw fail('the Keystone v3 response has no X-Subject-Token');
  const body = (json as { token?: { expires_at?: string; catalog?: unknown } }).token;
  const iface = auth.interface ?? 'public';
  const catalog = Array.isArray(body?.catalog) ? (body.catalog as CatalogEntry<V3Endpoint>[]) : [];
  const endpoint = catalog
    .filter((s) => s.type === 'object-store')
    .flatMap((s) => s.endpoints ?? [])
    .find(
      (e) =>
        e.interface === iface &&
        typeof e.url === 'string' &&
        (auth.region === undefined || e.region_id === auth.region || e.region === auth.region),
    );
  if (endpoint?.url === undefined) throw noEndpoint(auth.region, iface);
  return { token, storageUrl: endpoint.url, expiresAt: expiry(body?.expires_at) };
}
