import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** An HTTP server on 127.0.0.1 serving files from memory, counting requests per path. */
export interface FileServer {
  /** Base URL, without a trailing slash. */
  url: string;
  /** Files by path (`/kernel`); change them at will. */
  files: Map<string, Uint8Array>;
  /** `GET /path` and `HEAD /path` counts. */
  hits: Map<string, number>;
  close(): Promise<void>;
}

/** Starts a {@link FileServer}; `Last-Modified` is fixed so that HEADs are stable. */
export async function startFileServer(files: Record<string, Uint8Array> = {}): Promise<FileServer> {
  const map = new Map(Object.entries(files));
  const hits = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const key = `${req.method} ${path}`;
    hits.set(key, (hits.get(key) ?? 0) + 1);
    const body = map.get(path);
    if (body === undefined) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, {
      'content-length': body.length,
      'last-modified': 'Wed, 01 Jan 2026 00:00:00 GMT',
      'content-type': 'application/octet-stream',
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    files: map,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
