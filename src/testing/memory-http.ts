import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the {@link MemoryStore}'s HTTP server answered. */
export interface MemoryStoreRequest {
  /** `GET` or `HEAD` (anything else is answered 405). */
  method: string;
  /** The object name requested (decoded). */
  name: string;
  /** The `Range` header, when sent. */
  range?: string;
  /** The status answered. */
  status: number;
}

/** What the server needs of a stored object. */
export interface ServedObject {
  data: Buffer;
  md5: string;
  contentType: string;
  modified: number;
}

/** A byte range, inclusive, or the reason it cannot be served. */
type RangeResult = { start: number; end: number } | 'unsatisfiable' | 'ignore';

/**
 * Reads a `Range` header (RFC 9110 §14.2) for an object of `size` bytes. Only one range is
 * served; several ranges or a malformed header are ignored (a full 200 is allowed then).
 */
export function parseRange(header: string, size: number): RangeResult {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (m === null) return 'ignore';
  const [, first = '', last = ''] = m;
  if (first === '' && last === '') return 'ignore';
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  if (start >= size) return 'unsatisfiable';
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (end < start) return 'ignore';
  return { start, end };
}

/** The embedded HTTP server of {@link MemoryStore}: HEAD and GET with single ranges. */
export class MemoryHttpServer {
  /** Requests answered, oldest first. */
  readonly requests: MemoryStoreRequest[] = [];
  readonly #lookup: (name: string) => ServedObject | undefined;
  #server: Server | undefined;

  constructor(lookup: (name: string) => ServedObject | undefined) {
    this.#lookup = lookup;
  }

  async listen(port: number): Promise<string> {
    if (this.#server !== undefined) throw new Error('the memory store is already listening');
    const server = createServer((req, res) => this.#handle(req, res));
    this.#server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    const address = server.address() as AddressInfo;
    return `http://127.0.0.1:${address.port}/`;
  }

  async close(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    if (server === undefined) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  #handle(req: IncomingMessage, res: ServerResponse): void {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    let name: string;
    try {
      name = path.slice(1).split('/').map(decodeURIComponent).join('/');
    } catch {
      name = path.slice(1);
    }
    const range = req.headers.range;
    const record = (status: number) => {
      const r: MemoryStoreRequest = { method: req.method ?? '', name, status };
      if (range !== undefined) r.range = range;
      this.requests.push(r);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      record(405);
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    const object = this.#lookup(name);
    if (object === undefined) {
      record(404);
      res
        .writeHead(404, { 'content-type': 'text/plain' })
        .end(req.method === 'HEAD' ? undefined : 'Not Found\n');
      return;
    }
    const size = object.data.length;
    const headers: Record<string, string> = {
      'accept-ranges': 'bytes',
      'content-type': object.contentType,
      etag: `"${object.md5}"`,
      'last-modified': new Date(object.modified).toUTCString(),
    };
    const r = range === undefined ? 'ignore' : parseRange(range, size);
    if (r === 'unsatisfiable') {
      record(416);
      res.writeHead(416, { ...headers, 'content-range': `bytes */${size}` }).end();
      return;
    }
    const [status, body] =
      r === 'ignore' ? [200, object.data] : [206, object.data.subarray(r.start, r.end + 1)];
    if (r !== 'ignore') headers['content-range'] = `bytes ${r.start}-${r.end}/${size}`;
    headers['content-length'] = String(body.length);
    record(status);
    res.writeHead(status, headers);
    res.end(req.method === 'HEAD' ? undefined : body);
  }
}
