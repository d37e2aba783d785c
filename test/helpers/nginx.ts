/**
 * nginx from Debian serving a directory on 127.0.0.1, for the web-server store suites: a
 * generated config, pid file, logs and temp paths in a temp dir; the master runs in the
 * foreground as a child of this process and is stopped by its PID. Dot-paths are denied, as the
 * README recommends for a web-server store's http_root.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PeerRequirements } from './peers.js';
import { answers, freePorts, startProcess, stopProcess, waitFor } from './processes.js';

/** What the nginx suites need. */
export const NGINX_PEERS: PeerRequirements = { commands: ['nginx'] };

/** A running nginx. */
export interface Nginx {
  /** `http://127.0.0.1:<port>/`. */
  url: string;
  /** Stops it by PID and removes its temp dir (not the served root). */
  stop(): Promise<void>;
}

function config(dir: string, root: string, port: number): string {
  return `worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 256; }
http {
  access_log ${dir}/access.log;
  client_body_temp_path ${dir}/tmp/body;
  proxy_temp_path ${dir}/tmp/proxy;
  fastcgi_temp_path ${dir}/tmp/fastcgi;
  uwsgi_temp_path ${dir}/tmp/uwsgi;
  scgi_temp_path ${dir}/tmp/scgi;
  default_type application/octet-stream;
  sendfile on;
  server {
    listen 127.0.0.1:${port};
    root ${root};
    location ~ /\\. { deny all; }
    location = /__health { return 200 "ok"; }
  }
}
`;
}

/** Serves `root` (which must be readable by the worker user, e.g. mode 0755) on an ephemeral port. */
export async function startNginx(root: string): Promise<Nginx> {
  let last: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const dir = mkdtempSync(join(tmpdir(), 'ironic-ilo-nginx-'));
    mkdirSync(join(dir, 'tmp'));
    const [port = 0] = await freePorts(1);
    writeFileSync(join(dir, 'nginx.conf'), config(dir, root, port));
    const log = join(dir, 'error.log');
    let child: ChildProcess | undefined;
    try {
      child = startProcess(
        'nginx',
        ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', log],
        join(dir, 'stderr.log'),
      );
      const url = `http://127.0.0.1:${port}/`;
      await waitFor('nginx', () => answers(`${url}__health`), child, log);
      const running = child;
      return {
        url,
        async stop() {
          await stopProcess(running);
          rmSync(dir, { recursive: true, force: true });
        },
      };
    } catch (e) {
      last = e;
      if (child !== undefined) await stopProcess(child);
      rmSync(dir, { recursive: true, force: true });
    }
  }
  throw last;
}
