/**
 * The demo's web server: a directory served on 127.0.0.1 with HEAD, GET and single byte ranges,
 * as an iLO fetches virtual media (and as nginx serves `http_root`). Dot-paths are refused, as
 * the web-server store asks of any server in front of it (its bookkeeping lives in `.ironic-ilo`).
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize, sep } from 'node:path';

/** A running directory server. */
export interface DirectoryServer {
  /** `http://127.0.0.1:<port>` (no trailing slash). */
  readonly url: string;
  /** Bytes sent in bodies so far. */
  readonly bytesSent: number;
  /** Stops listening and cuts every connection. Idempotent. */
  close(): Promise<void>;
}

/** `bytes=a-b`, `bytes=a-` or `bytes=-n` for a file of `size` bytes; `undefined` serves it whole. */
function rangeOf(
  header: string | undefined,
  size: number,
): { start: number; end: number } | 'bad' | undefined {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header ?? '');
  if (m === null || (m[1] === '' && m[2] === '')) return undefined;
  if (m[1] === '') return { start: Math.max(0, size - Number(m[2])), end: size - 1 };
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  return start >= size || end < start ? 'bad' : { start, end };
}

/** Serves `root` on 127.0.0.1, on an ephemeral port. */
export async function serveDirectory(root: string): Promise<DirectoryServer> {
  let bytesSent = 0;
  const end = (res: ServerResponse, status: number) => res.writeHead(status).end();
  const server: Server = createServer(async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return end(res, 405);
    let path: string;
    try {
      path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    } catch {
      return end(res, 400);
    }
    if (path.split('/').some((segment) => segment.startsWith('.'))) return end(res, 403);
    const file = join(root, normalize(path));
    if (!file.startsWith(root + sep)) return end(res, 403);
    const info = await stat(file).catch(() => undefined);
    if (info === undefined || !info.isFile()) return end(res, 404);
    const range = rangeOf(req.headers.range, info.size);
    if (range === 'bad') {
      return res.writeHead(416, { 'content-range': `bytes */${info.size}` }).end();
    }
    const { start, end: last } = range ?? { start: 0, end: info.size - 1 };
    res.writeHead(range === undefined ? 200 : 206, {
      'content-length': Math.max(0, last - start + 1),
      'accept-ranges': 'bytes',
      'last-modified': info.mtime.toUTCString(),
      ...(range === undefined ? {} : { 'content-range': `bytes ${start}-${last}/${info.size}` }),
    });
    if (req.method === 'HEAD' || info.size === 0) return res.end();
    const body = createReadStream(file, { start, end: last });
    body.on('data', (chunk) => {
      bytesSent += chunk.length;
    });
    body.on('error', () => res.destroy());
    body.pipe(res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    get bytesSent() {
      return bytesSent;
    },
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
      return closing;
    },
  };
}
