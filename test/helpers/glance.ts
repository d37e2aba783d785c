/**
 * A Glance-v2-shaped test server. It serves only what ImageService reads:
 * `GET /v2/images/{id}` (image show: `id`, `name`, `status`, `size`, `checksum`, `os_hash_algo`,
 * `os_hash_value`, `disk_format`, `container_format`, and the custom properties at the top
 * level as Glance v2 does — `kernel_id`, `ramdisk_id`, `boot_iso`) and
 * `GET /v2/images/{id}/file` (image data). 404 for unknown ids, 401 without the expected
 * `X-Auth-Token`.
 */
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One image the server knows. */
export interface GlanceFixture {
  id: string;
  data: Buffer;
  status?: string;
  properties?: Record<string, string>;
  /** Publish the sha512 multihash (default) or only the legacy md5. */
  multihash?: boolean;
}

/** A running server. */
export interface FakeGlance {
  url: string;
  /** Paths requested, in order. */
  requests: string[];
  stop(): Promise<void>;
}

/** Starts the server on 127.0.0.1; requests must carry `X-Auth-Token: <token>`. */
export async function startGlance(images: readonly GlanceFixture[], token: string): Promise<FakeGlance> {
  const requests: string[] = [];
  const byId = new Map(images.map((i) => [i.id, i]));
  const server = createServer((req, res) => {
    const path = req.url ?? '';
    requests.push(path);
    if (req.headers['x-auth-token'] !== token) return void res.writeHead(401).end();
    const m = /^\/v2\/images\/([^/]+)(\/file)?$/.exec(path);
    const image = m === null ? undefined : byId.get(decodeURIComponent(m[1] ?? ''));
    if (image === undefined) return void res.writeHead(404).end('{"message":"not found"}');
    if (m?.[2] === '/file') {
      return void res
        .writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': image.data.length })
        .end(image.data);
    }
    const doc: Record<string, unknown> = {
      id: image.id,
      name: `image ${image.id.slice(0, 8)}`,
      status: image.status ?? 'active',
      size: image.data.length,
      checksum: createHash('md5').update(image.data).digest('hex'),
      disk_format: 'raw',
      container_format: 'bare',
      ...image.properties,
    };
    if (image.multihash !== false) {
      doc.os_hash_algo = 'sha512';
      doc.os_hash_value = createHash('sha512').update(image.data).digest('hex');
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(doc));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    stop: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
