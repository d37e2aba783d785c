import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { IloClientOptions } from '../../index.js';
import { type CommandLogEntry, FaultInjector } from './faults.js';
import { answerRibcl } from './ribcl/handler.js';
import type { RisAnswer } from './ris/answer.js';
import { answerRis, basicUser } from './ris/router.js';
import type { SimulatedServer } from './server.js';
import { xmlData } from './xmldata.js';

/**
 * How to reach one simulated iLO: the JSON line `ironic-ilo simulator` prints for it.
 *
 * @example
 * ```ts
 * const { address, port, username, password, caFile } = node.connection;
 * ```
 */
export interface SimulatedConnection {
  /** Always `127.0.0.1`. */
  address: string;
  /** Its own HTTPS port. */
  port: number;
  /** Administrator login. */
  username: string;
  /** Administrator password (current: follows password changes). */
  password: string;
  /** Path of the CA certificate that signed the simulator's certificate. */
  caFile: string;
  /** Product name, for example `ProLiant DL380 Gen9`. */
  model: string;
}

/** Settings a node shares with its simulator. */
export interface NodeSettings {
  certPem: string;
  keyPem: string;
  caPem: string;
  caFile: string;
  resetDowntimeMs: number;
  chunkSize: number;
  logLimit: number;
}

const MAX_REQUEST_BYTES = 1024 * 1024;

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_REQUEST_BYTES) chunks.push(chunk);
    });
    req.on('end', () =>
      resolve(size > MAX_REQUEST_BYTES ? undefined : Buffer.concat(chunks).toString('utf8')),
    );
    req.on('error', reject);
  });
}

/**
 * One simulated iLO: its own HTTPS port on 127.0.0.1 serving `POST /ribcl`, `/rest/v1/…` (Gen9)
 * and `GET /xmldata?item=all`, over a {@link SimulatedServer} state, with fault injection and a
 * log of every command received.
 *
 * @example
 * ```ts
 * const node = sim.nodes[0]!;
 * await using client = new IloClient(node.clientOptions());
 * node.faults.busyNext(1);
 * await client.getHostPowerStatus(); // retried once, then 'ON'
 * expect(node.log.at(-1)?.command).toBe('GET_HOST_POWER_STATUS');
 * ```
 */
export class SimulatedIlo {
  /** Always `127.0.0.1`. */
  readonly address = '127.0.0.1';
  /** Fault injection for this iLO. */
  readonly faults = new FaultInjector();
  /** Every request received, oldest first (bounded; the oldest are dropped). */
  readonly log: CommandLogEntry[] = [];
  private downUntil = 0;
  private readonly https: Server;
  private readonly sockets = new Set<Socket>();

  /** The server's state. */
  readonly server: SimulatedServer;
  private readonly settings: NodeSettings;

  /** @internal iLOs are made by `IloSimulator`. */
  constructor(server: SimulatedServer, settings: NodeSettings) {
    this.server = server;
    this.settings = settings;
    this.https = createServer({ cert: settings.certPem, key: settings.keyPem }, (req, res) => {
      this.handle(req, res).catch(() => res.destroy());
    });
    this.https.on('connection', (socket: Socket) => {
      // A resetting iLO is off the network: connections die at once.
      if (this.isDown()) {
        socket.destroy();
        return;
      }
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
  }

  /** Listens on 127.0.0.1:`port` (0 for an ephemeral port). */
  async listen(port: number): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.https.once('error', reject);
      this.https.listen(port, this.address, () => {
        this.https.off('error', reject);
        resolve();
      });
    });
  }

  /** The port it listens on. */
  get port(): number {
    return (this.https.address() as AddressInfo).port;
  }

  /** The product name. */
  get model(): string {
    return this.server.productName;
  }

  /** The administrator login. */
  get username(): string {
    return this.server.users[0]?.login ?? '';
  }

  /** The administrator's current password. */
  get password(): string {
    return this.server.users[0]?.password ?? '';
  }

  /** How to reach it (the `ironic-ilo simulator` JSON line). */
  get connection(): SimulatedConnection {
    return {
      address: this.address,
      port: this.port,
      username: this.username,
      password: this.password,
      caFile: this.settings.caFile,
      model: this.model,
    };
  }

  /**
   * Options for an `IloClient` of this iLO, trusting the simulator's CA.
   *
   * @example
   * ```ts
   * const client = new IloClient(node.clientOptions({ timeoutMs: 5_000 }));
   * ```
   */
  clientOptions(extra: Partial<IloClientOptions> = {}): IloClientOptions {
    return {
      address: this.address,
      port: this.port,
      username: this.username,
      password: this.password,
      ca: this.settings.caPem,
      ...extra,
    };
  }

  /** Whether the iLO is resetting (unreachable). */
  isDown(): boolean {
    return Date.now() < this.downUntil;
  }

  /** Takes the iLO off the network as `RESET_RIB` does, for the simulator's downtime or until {@link SimulatedIlo.bringUp}. */
  resetIlo(): void {
    this.downUntil = this.faults.stayDownAfterReset
      ? Number.POSITIVE_INFINITY
      : Date.now() + this.settings.resetDowntimeMs;
    for (const socket of this.sockets) socket.destroy();
  }

  /** Ends a reset now. */
  bringUp(): void {
    this.downUntil = 0;
  }

  /** Stops listening and cuts every connection. */
  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.https.close(() => resolve()));
  }

  private record(entry: CommandLogEntry): void {
    this.log.push(entry);
    if (this.log.length > this.settings.logLimit)
      this.log.splice(0, this.log.length - this.settings.logLimit);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const method = req.method ?? 'GET';
    const path = req.url ?? '/';
    // Faults and the answer are decided when the request arrives; a delay only holds the answer
    // back, so that a late request never takes the faults queued for the next one.
    const delay = this.faults.takeDelay();
    const fault = this.faults.takeConnectionFault();
    const command = path.startsWith('/ribcl') ? ribclCommandOf(body ?? '') : `${method} ${path}`;
    const channel = path.startsWith('/rest/') ? 'ris' : path.startsWith('/xmldata') ? 'xmldata' : 'ribcl';
    if (fault.kind === 'drop' || this.isDown()) {
      this.record({ at: Date.now(), channel, command, outcome: 'dropped' });
      req.socket.destroy();
      return;
    }
    let reply: Reply;
    if (fault.kind === 'busy') {
      this.record({ at: Date.now(), channel, command, outcome: 'busy' });
      reply = {
        status: 503,
        headers: { 'Content-Type': 'text/plain', 'Retry-After': '1', Connection: 'close' },
        chunks: ['Busy\n'],
      };
    } else if (body === undefined) {
      reply = { status: 413, headers: { Connection: 'close' }, chunks: [] };
    } else if (method === 'POST' && path === '/ribcl') {
      reply = this.ribcl(body);
    } else if (method === 'GET' && /^\/xmldata\?item=all$/i.test(path)) {
      this.record({ at: Date.now(), channel: 'xmldata', command, outcome: 'ok' });
      reply = { status: 200, headers: { 'Content-Type': 'text/xml' }, chunks: [xmlData(this.server)] };
    } else if (path.toLowerCase().startsWith('/rest/v1') && this.server.personality.ris) {
      reply = this.ris(method, path, body, req.headers.authorization);
    } else {
      reply = {
        status: 404,
        headers: { 'Content-Type': 'text/html' },
        chunks: ['<html><body>Not Found</body></html>'],
      };
    }
    if (delay > 0) await sleep(delay);
    if (res.destroyed) return;
    res.setHeader('Server', this.server.personality.server);
    res.writeHead(reply.status, reply.headers);
    for (const chunk of method === 'HEAD' ? [] : reply.chunks) res.write(chunk);
    res.end();
    if (reply.resetAfter === true) res.once('finish', () => this.resetIlo());
  }

  /** Answers RIBCL chunked and closes, as iLO firmware does (python-hpilo relies on both). */
  private ribcl(body: string): Reply {
    let reset = false;
    const text = answerRibcl(body, {
      server: this.server,
      faults: this.faults,
      log: (e) => this.record(e),
      requestIloReset: () => {
        reset = true;
      },
    });
    const size = this.settings.chunkSize;
    const chunks: string[] = [];
    for (let i = 0; i < text.length; i += size) chunks.push(text.slice(i, i + size));
    return {
      status: 200,
      headers: {
        'Content-Type': 'text/xml',
        'Cache-Control': 'no-cache',
        Expires: 'Thu, 26 Oct 1995 00:00:00 GMT',
        Connection: 'close',
      },
      chunks,
      resetAfter: reset,
    };
  }

  private ris(method: string, path: string, body: string, auth: string | undefined): Reply {
    const user = basicUser(this.server, auth);
    let parsed: unknown;
    try {
      parsed = body === '' ? undefined : JSON.parse(body);
    } catch {
      parsed = null;
    }
    const entry: CommandLogEntry = {
      at: Date.now(),
      channel: 'ris',
      command: `${method} ${path}`,
      outcome: 'ok',
    };
    if (user !== undefined) entry.user = user;
    if (parsed !== undefined) entry.body = redactBody(parsed);
    let reset = false;
    const injected = user === undefined ? undefined : this.faults.takeFailure(`${method} ${path}`);
    const extended = (id: string) => ({ Type: 'ExtendedError.1.0.0', Messages: [{ MessageID: id }] });
    const answer: RisAnswer =
      user === undefined
        ? { status: 401, body: extended('Base.0.0.NoValidSession') }
        : injected !== undefined
          ? {
              status: injected.httpStatus ?? 500,
              body: extended(injected.message ?? 'Base.0.0.InternalError'),
            }
          : answerRis(
              { server: this.server, requestIloReset: () => (reset = true) },
              method,
              path,
              parsed ?? {},
            );
    entry.outcome = answer.status < 300 ? 'ok' : `HTTP ${answer.status}`;
    this.record(entry);
    const text = JSON.stringify(answer.body);
    return {
      status: answer.status,
      headers: {
        'Content-Type': 'application/json',
        'Content-Length': String(Buffer.byteLength(text)),
        'Cache-Control': 'no-cache',
        'X_HP-CHRP-Service-Version': '1.0.3',
        ...(answer.allow === undefined ? {} : { Allow: answer.allow }),
      },
      chunks: [text],
      resetAfter: reset,
    };
  }
}

/** An HTTP answer, computed when the request arrives and sent after any injected delay. */
interface Reply {
  status: number;
  headers: Record<string, string>;
  chunks: string[];
  /** Take the iLO down once the answer is sent (`RESET_RIB`, RIS `Reset`). */
  resetAfter?: boolean;
}

function ribclCommandOf(body: string): string {
  return (
    /<(?:SERVER_INFO|RIB_INFO|USER_INFO)\b[^>]*>\s*<([A-Za-z_]+)/.exec(body)?.[1]?.toUpperCase() ??
    'POST /ribcl'
  );
}

function redactBody(body: unknown): unknown {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return body;
  return Object.fromEntries(
    Object.entries(body as Record<string, unknown>).map(([k, v]) => [
      k,
      /password|licensekey/i.test(k) ? '***' : v,
    ]),
  );
}
