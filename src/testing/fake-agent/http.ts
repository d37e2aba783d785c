/**
 * The fake agent's HTTP API: the routes of ironic_python_agent.api.app (`/v1/status`,
 * `/v1/commands/` GET and POST with `wait` and `agent_token`, `/v1/commands/<id>`), its JSON
 * answers and its WSME-style faults (`faultcode`, `faultstring`).
 */
import { timingSafeEqual } from 'node:crypto';
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import type { JsonValue } from '../../index.js';
import type { CommandGate, CommandLog, CommandSpec } from './command-log.js';
import { IpaError, invalidCommand, notFound } from './ipa-errors.js';

/**
 * One request the fake agent received, for assertions. The token itself is not kept.
 *
 * @example
 * ```ts
 * expect(agent.requests.filter((r) => r.command === 'standby.power_off')).toHaveLength(1);
 * ```
 */
export interface FakeAgentRequest {
  /** `GET` or `POST`. */
  method: string;
  /** Path without the query. */
  path: string;
  /** The command name of a `POST /v1/commands`. */
  command?: string;
  /** The `wait` query parameter, when given. */
  wait?: string;
  /** Whether an `agent_token` was presented. */
  tokenPresented: boolean;
  /** The status answered. */
  status: number;
  /** When the request arrived (`Date.now()`). */
  at: number;
}

/** What the server needs from the agent. */
export interface AgentApi {
  running(): boolean;
  token(): string | undefined;
  /** A GET presented a token: from now on GETs must. */
  getTokenSeen(): void;
  getTokenRequired(): boolean;
  commands(): CommandLog;
  specs(): Record<string, CommandSpec>;
  gate: CommandGate;
  afterAsync(): void;
  status(): { [key: string]: JsonValue };
  record(request: FakeAgentRequest): void;
}

const MAX_BODY = 64 * 1024 * 1024;

class HttpFault extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function send(res: ServerResponse, status: number, body: JsonValue): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new HttpFault(413, '413 Request Entity Too Large');
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpFault(
      400,
      '400 Bad Request: The browser (or proxy) sent a request that this server could not understand.',
    );
  }
}

function sameToken(expected: string | undefined, given: string | null): boolean {
  if (expected === undefined) return true;
  if (given === null) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Routes one request; returns the status sent. */
async function route(
  api: AgentApi,
  req: IncomingMessage,
  res: ServerResponse,
  entry: FakeAgentRequest,
): Promise<number> {
  const url = new URL(req.url ?? '/', 'http://agent');
  const path = url.pathname.replace(/^\/v1(?=\/|$)/, '') || '/';
  const method = req.method ?? 'GET';
  const token = url.searchParams.get('agent_token');
  entry.tokenPresented = token !== null;
  const wait = url.searchParams.get('wait');
  if (wait !== null) entry.wait = wait;

  if (method === 'GET' && (path === '/' || path === '')) {
    send(res, 200, {
      name: 'OpenStack Ironic Python Agent API',
      versions: [{ id: 'v1' }],
      default_version: { id: 'v1' },
    });
    return 200;
  }
  if (method === 'GET' && path === '/status') {
    send(res, 200, api.status());
    return 200;
  }
  const commandId = /^\/commands\/([^/]+)$/.exec(path)?.[1];
  const isList = path === '/commands' || path === '/commands/';
  if (!isList && commandId === undefined) throw new HttpFault(404, `404 Not Found: ${path}`);
  if (method === 'GET') {
    // As the agent: GETs need the token only once a GET has presented one (older conductors send none).
    if (token !== null) api.getTokenSeen();
    if (api.getTokenRequired() && !sameToken(api.token(), token))
      throw new HttpFault(401, '401 Unauthorized: Token invalid.');
    if (isList) {
      send(res, 200, { commands: api.commands().results as unknown as JsonValue[] });
      return 200;
    }
    const result = api.commands().get(decodeURIComponent(commandId as string));
    if (result === undefined) throw notFound('Command Result', decodeURIComponent(commandId as string));
    if (wait?.toLowerCase() === 'true') await api.commands().join(result.id);
    send(res, 200, result as unknown as JsonValue);
    return 200;
  }
  if (method !== 'POST' || !isList) throw new HttpFault(405, '405 Method Not Allowed');
  const body = (await readJson(req)) as { name?: unknown; params?: unknown } | null;
  const params = body?.params;
  if (
    typeof body?.name !== 'string' ||
    params === null ||
    typeof params !== 'object' ||
    Array.isArray(params)
  )
    throw new HttpFault(400, '400 Bad Request: Missing or invalid name or params');
  entry.command = body.name;
  if (!sameToken(api.token(), token)) throw new HttpFault(401, '401 Unauthorized: Token invalid.');
  const name = body.name;
  const dot = name.indexOf('.');
  if (dot <= 0 || dot === name.length - 1)
    throw invalidCommand('Command name must be of the form <extension>.<name>');
  const spec = api.specs()[name];
  if (spec === undefined) {
    const extension = name.slice(0, dot);
    if (!Object.keys(api.specs()).some((n) => n.startsWith(`${extension}.`)))
      throw notFound('Extension', extension);
    throw invalidCommand(`Unknown command: ${name.slice(dot + 1)}`);
  }
  const result = await api
    .commands()
    .execute(name, spec, params as { [key: string]: JsonValue }, api.gate, api.afterAsync);
  if (wait?.toLowerCase() === 'true') await api.commands().join(result.id);
  send(res, 200, result as unknown as JsonValue);
  return 200;
}

/** The agent's HTTP(S) server; while the ramdisk is not running, connections are dropped. */
export function createAgentServer(api: AgentApi, tls?: { cert: string; key: string }): Server {
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const entry: FakeAgentRequest = {
      method: req.method ?? 'GET',
      path: new URL(req.url ?? '/', 'http://agent').pathname,
      tokenPresented: false,
      status: 0,
      at: Date.now(),
    };
    route(api, req, res, entry)
      .then((status) => {
        entry.status = status;
      })
      .catch((e: unknown) => {
        const status = e instanceof HttpFault ? e.status : e instanceof IpaError ? e.code : 500;
        const faultstring = e instanceof Error ? e.message : String(e);
        entry.status = status;
        if (!res.headersSent)
          send(res, status, { faultcode: status >= 500 ? 'Server' : 'Client', faultstring });
        else res.destroy();
      })
      .finally(() => api.record(entry));
  };
  const server = tls === undefined ? createHttpServer(handler) : createHttpsServer(tls, handler);
  server.on('connection', (socket: Socket) => {
    if (!api.running()) socket.destroy();
  });
  return server;
}
