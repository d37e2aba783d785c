/**
 * A static HTTP server on 127.0.0.1 over a directory (a web-server store's http_root), with HEAD,
 * GET and single byte ranges as an iLO fetches, dot-paths denied. Used where the web server is
 * "embedded" rather than nginx.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize } from 'node:path';

/** A running directory server. */
export interface DirServer {
  /** `http://127.0.0.1:<port>/`. */
  url: string;
  /** Requests answered: `METHOD path status`. */
  requests: string[];
  close(): Promise<void>;
}

export async function startDirServer(root: string): Promise<DirServer> {
  const requests: string[] = [];
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const answer = (status: number) => {
      requests.push(`${req.method} ${path} ${status}`);
      res.writeHead(status).end();
    };
    if (path.split('/').some((s) => s.startsWith('.'))) return answer(403);
    const file = join(root, normalize(path));
    const info = await stat(file).catch(() => undefined);
    if (info === undefined || !info.isFile()) return answer(404);
    const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
    const start = range === null ? 0 : Number(range[1]);
    const end = range === null || range[2] === '' ? info.size - 1 : Math.min(Number(range[2]), info.size - 1);
    const status = range === null ? 200 : 206;
    requests.push(`${req.method} ${path} ${status}`);
    res.writeHead(status, {
      'content-length': end - start + 1,
      'accept-ranges': 'bytes',
      'last-modified': info.mtime.toUTCString(),
      ...(range === null ? {} : { 'content-range': `bytes ${start}-${end}/${info.size}` }),
    });
    if (req.method === 'HEAD') return res.end();
    createReadStream(file, { start, end }).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
