/**
 * A Swift all-in-one from Debian's packages on 127.0.0.1, for the integration suites and the
 * store benchmark: rings with one replica on a plain directory (built in one Python process),
 * `mount_check = false`, tempauth + tempurl in the proxy pipeline, memcached for tempauth's
 * tokens, the object expirer run on demand. Every server runs in the foreground (`workers = 0`)
 * as a child of this process and is stopped by its PID; all state lives in one temp directory.
 *
 * Swift always reads /etc/swift/swift.conf (the `swift` package ships it) for its hash prefix and
 * storage policies; everything else comes from the generated configs.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Socket } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import type { PeerRequirements } from './peers.js';
import { answers, freePorts, run, startProcess, stopProcess, waitFor } from './processes.js';

/** Debian's Python, which has the swift modules (a pyenv python3 earlier on PATH may not). */
export const PYTHON = '/usr/bin/python3';

/** What the Swift suites need. */
export const SWIFT_PEERS: PeerRequirements = {
  commands: [
    'swift-proxy-server',
    'swift-account-server',
    'swift-container-server',
    'swift-object-server',
    'swift-container-updater',
    'swift-object-expirer',
    'memcached',
  ],
  files: [PYTHON, '/etc/swift/swift.conf', '/usr/lib/python3/dist-packages/swiftclient/utils.py'],
};

/** A running all-in-one. */
export interface SwiftAio {
  /** Its state directory. */
  dir: string;
  /** Tempauth URL (`/auth/v1.0`). */
  authUrl: string;
  /** Tempauth user (`test:tester`, an account admin). */
  user: string;
  /** Its key. */
  key: string;
  /** The account's storage URL. */
  storageUrl: string;
  /** Proxy base URL. */
  proxyUrl: string;
  /** Runs the container updater, then the object expirer, once each (expiry needs both, in that order). */
  expire(): Promise<void>;
  /** Drops every tempauth token (a `flush_all` to memcached): the next request with an old token gets 401. */
  flushTokens(): Promise<void>;
  /** Stops every server by PID and removes the state directory. */
  stop(): Promise<void>;
}

const USER = 'test:tester';
const KEY = 'testing';

const RINGS_PY = `
import sys
from swift.common.ring import RingBuilder
swift_dir = sys.argv[1]
for spec in sys.argv[2:]:
    name, port = spec.split('=')
    b = RingBuilder(4, 1, 1)
    b.add_dev({'id': 0, 'region': 1, 'zone': 1, 'ip': '127.0.0.1', 'port': int(port), 'device': 'd1', 'weight': 1.0})
    b.rebalance()
    b.get_ring().save('%s/%s.ring.gz' % (swift_dir, name))
`;

function common(dir: string): string {
  return `swift_dir = ${dir}/etc
user = ${userInfo().username}
log_level = WARNING
recon_cache_path = ${dir}/run
`;
}

function serverConf(dir: string, kind: string, port: number): string {
  return `[DEFAULT]
bind_ip = 127.0.0.1
bind_port = ${port}
workers = 0
devices = ${dir}/node
mount_check = false
${common(dir)}
[pipeline:main]
pipeline = healthcheck ${kind}-server

[app:${kind}-server]
use = egg:swift#${kind}

[filter:healthcheck]
use = egg:swift#healthcheck

[${kind}-replicator]
[${kind}-auditor]
[container-updater]
[object-updater]
`;
}

function proxyConf(dir: string, port: number, memcached: number): string {
  return `[DEFAULT]
bind_ip = 127.0.0.1
bind_port = ${port}
workers = 0
${common(dir)}
[pipeline:main]
pipeline = catch_errors gatekeeper healthcheck proxy-logging cache listing_formats tempurl tempauth copy proxy-logging proxy-server

[app:proxy-server]
use = egg:swift#proxy
account_autocreate = true

[filter:tempauth]
use = egg:swift#tempauth
user_test_tester = ${KEY} .admin

[filter:tempurl]
use = egg:swift#tempurl
allowed_digests = sha1 sha256 sha512

[filter:cache]
use = egg:swift#memcache
memcache_servers = 127.0.0.1:${memcached}
# The defaults (2 pooled connections, 0.3 s to connect) make tempauth answer 503 and reject
# valid tokens when dozens of requests arrive at once on a busy machine.
memcache_max_connections = 64
pool_timeout = 10
connect_timeout = 5
io_timeout = 10

[filter:catch_errors]
use = egg:swift#catch_errors
[filter:gatekeeper]
use = egg:swift#gatekeeper
[filter:healthcheck]
use = egg:swift#healthcheck
[filter:proxy-logging]
use = egg:swift#proxy_logging
[filter:listing_formats]
use = egg:swift#listing_formats
[filter:copy]
use = egg:swift#copy
`;
}

function expirerConf(dir: string, memcached: number): string {
  return `[DEFAULT]
${common(dir)}
[object-expirer]

[pipeline:main]
pipeline = catch_errors proxy-logging cache proxy-server

[app:proxy-server]
use = egg:swift#proxy

[filter:cache]
use = egg:swift#memcache
memcache_servers = 127.0.0.1:${memcached}
[filter:catch_errors]
use = egg:swift#catch_errors
[filter:proxy-logging]
use = egg:swift#proxy_logging
`;
}

async function memcachedCommand(port: number, command: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const socket = new Socket();
    socket.setTimeout(2000, () => socket.destroy(new Error('memcached timed out')));
    socket.once('error', reject);
    socket.connect(port, '127.0.0.1', () => socket.write(`${command}\r\n`));
    socket.on('data', (d) => {
      if (d.toString().includes('OK')) {
        socket.end();
        resolve();
      }
    });
  });
}

async function startOnce(dir: string): Promise<SwiftAio> {
  mkdirSync(join(dir, 'etc'), { recursive: true });
  mkdirSync(join(dir, 'node', 'd1'), { recursive: true });
  mkdirSync(join(dir, 'run'), { recursive: true });
  const [proxy = 0, account = 0, container = 0, object = 0, memcached = 0] = await freePorts(5);
  const etc = join(dir, 'etc');
  const servers: Record<string, number> = { account, container, object };
  for (const [kind, port] of Object.entries(servers))
    writeFileSync(join(etc, `${kind}.conf`), serverConf(dir, kind, port));
  writeFileSync(join(etc, 'proxy.conf'), proxyConf(dir, proxy, memcached));
  writeFileSync(join(etc, 'expirer.conf'), expirerConf(dir, memcached));
  writeFileSync(join(etc, 'rings.py'), RINGS_PY);
  await run(
    PYTHON,
    [join(etc, 'rings.py'), etc, `account=${account}`, `container=${container}`, `object=${object}`],
    join(dir, 'run', 'rings.log'),
  );

  const children: ChildProcess[] = [];
  const stopAll = async () => {
    await Promise.all(children.map((c) => stopProcess(c)));
  };
  try {
    const mc = startProcess(
      'memcached',
      [
        '-l',
        '127.0.0.1',
        '-p',
        String(memcached),
        '-U',
        '0',
        '-u',
        userInfo().username === 'root' ? 'nobody' : userInfo().username,
        '-m',
        '16',
      ],
      join(dir, 'run', 'memcached.log'),
    );
    children.push(mc);
    const started: Array<[string, ChildProcess, number]> = [];
    for (const kind of ['account', 'container', 'object', 'proxy']) {
      const log = join(dir, 'run', `${kind}.log`);
      const child = startProcess(PYTHON, [`/usr/bin/swift-${kind}-server`, join(etc, `${kind}.conf`)], log);
      children.push(child);
      started.push([kind, child, kind === 'proxy' ? proxy : (servers[kind] ?? 0)]);
    }
    writeFileSync(join(dir, 'run', 'pids'), children.map((c) => c.pid).join('\n'));
    await Promise.all(
      started.map(([kind, child, port]) =>
        waitFor(
          `swift-${kind}-server`,
          () => answers(`http://127.0.0.1:${port}/healthcheck`),
          child,
          join(dir, 'run', `${kind}.log`),
        ),
      ),
    );
    const proxyUrl = `http://127.0.0.1:${proxy}`;
    const auth = await fetch(`${proxyUrl}/auth/v1.0`, {
      headers: { 'x-auth-user': USER, 'x-auth-key': KEY },
    });
    const storageUrl = auth.headers.get('x-storage-url');
    if (auth.status !== 200 || storageUrl === null) throw new Error(`tempauth answered ${auth.status}`);
    return {
      dir,
      authUrl: `${proxyUrl}/auth/v1.0`,
      user: USER,
      key: KEY,
      storageUrl,
      proxyUrl,
      async expire() {
        const log = join(dir, 'run', 'expirer.log');
        await run(PYTHON, ['/usr/bin/swift-container-updater', join(etc, 'container.conf'), 'once'], log);
        await run(PYTHON, ['/usr/bin/swift-object-expirer', join(etc, 'expirer.conf'), 'once'], log);
      },
      flushTokens: () => memcachedCommand(memcached, 'flush_all'),
      async stop() {
        await stopAll();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await stopAll();
    throw e;
  }
}

/**
 * Starts an all-in-one in a new temp directory (or `dir`). Retries with other ports if one was
 * taken between choosing it and binding it.
 */
export async function startSwiftAio(dir?: string): Promise<SwiftAio> {
  let last: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const d = dir ?? mkdtempSync(join(tmpdir(), 'ironic-ilo-swift-'));
    try {
      return await startOnce(d);
    } catch (e) {
      last = e;
      if (dir === undefined) rmSync(d, { recursive: true, force: true });
    }
  }
  throw last;
}
