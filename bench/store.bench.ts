/**
 * `npm run bench -- store [sizeMiB…]` (default 64 and 512): one file uploaded to a local Swift
 * all-in-one by SwiftStore.publish (the built package, in a Node process of its own) and by
 * python-swiftclient's `swift upload`, alternately, three rounds each, in the same run. Each
 * upload runs under a small Python wrapper that reports its wall time, CPU time and peak RSS
 * (`getrusage(RUSAGE_CHILDREN)`). Wall and CPU times include process start-up for both tools.
 * On a shared machine wall times vary from run to run; CPU time per upload varies much less.
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { PYTHON, startSwiftAio } from '../test/helpers/swift-aio.js';

export const description =
  'SwiftStore.publish vs `swift upload` (python-swiftclient) of one file to a local Swift: throughput and peak RSS';

const WRAPPER = `
import json, resource, subprocess, sys, time
start = time.monotonic()
p = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
wall = time.monotonic() - start
if p.returncode != 0:
    sys.stderr.write(p.stderr.decode()); sys.exit(p.returncode)
u = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({'wall': wall, 'cpu': u.ru_utime + u.ru_stime, 'peakRssMiB': u.ru_maxrss / 1024, 'stdout': p.stdout.decode()}))
`;

interface Measured {
  wall: number;
  /** User + system CPU seconds of the tool's process. */
  cpu: number;
  peakRssMiB: number;
  stdout: string;
}

function measure(command: readonly string[]): Promise<Measured> {
  const env = { ...process.env };
  // They would override python-requests' TLS settings (not used here, but keep runs comparable).
  delete env.REQUESTS_CA_BUNDLE;
  delete env.CURL_CA_BUNDLE;
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, ['-c', WRAPPER, ...command], { env });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.on('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out) as Measured) : reject(new Error(`${command.join(' ')}: ${err}`)),
    );
  });
}

function makeFile(path: string, mib: number): void {
  const block = randomBytes(1024 * 1024);
  const fd = openSync(path, 'w');
  try {
    for (let i = 0; i < mib; i++) writeSync(fd, block);
  } finally {
    closeSync(fd);
  }
}

const best = (runs: Measured[]) => runs.reduce((a, b) => (a.wall <= b.wall ? a : b));
const leastCpu = (runs: Measured[]) => Math.min(...runs.map((r) => r.cpu));
const peak = (runs: Measured[]) => Math.max(...runs.map((r) => r.peakRssMiB));

export async function run(args: readonly string[]): Promise<void> {
  const sizes = args.length > 0 ? args.map(Number) : [64, 512];
  process.stdout.write('building the package (the benchmark runs dist/, as a user would)…\n');
  execFileSync('npm', ['run', '--silent', 'build'], { stdio: 'ignore' });
  const aio = await startSwiftAio();
  const rows: string[] = [];
  try {
    const upload = join(import.meta.dirname, 'store-upload.mjs');
    for (const size of sizes) {
      const file = join(aio.dir, `bench-${size}.bin`);
      makeFile(file, size);
      const cli: Measured[] = [];
      const lib: Measured[] = [];
      for (let round = 0; round < 3; round++) {
        cli.push(
          await measure([
            PYTHON,
            '/usr/bin/swift',
            '-A',
            aio.authUrl,
            '-U',
            aio.user,
            '-K',
            aio.key,
            'upload',
            '--object-name',
            'bench-cli',
            'bench',
            file,
          ]),
        );
        lib.push(
          await measure([
            process.execPath,
            upload,
            aio.authUrl,
            aio.user,
            aio.key,
            'bench',
            'bench-lib',
            file,
          ]),
        );
      }
      rmSync(file);
      const c = best(cli);
      const l = best(lib);
      const child = lib.map((m) => JSON.parse(m.stdout) as { transferSeconds: number; rssBeforeMiB: number });
      const transfer = Math.min(...child.map((x) => x.transferSeconds));
      const before = Math.max(...child.map((x) => x.rssBeforeMiB));
      rows.push(
        `| ${size} MiB | \`swift upload\` | ${c.wall.toFixed(2)} s | ${(size / c.wall).toFixed(0)} MiB/s | ${leastCpu(cli).toFixed(2)} s | ${peak(cli).toFixed(0)} MiB | 1.00 |`,
        `| ${size} MiB | SwiftStore.publish | ${l.wall.toFixed(2)} s (upload alone ${transfer.toFixed(2)} s) | ${(size / l.wall).toFixed(0)} MiB/s | ${leastCpu(lib).toFixed(2)} s | ${peak(lib).toFixed(0)} MiB (${before.toFixed(0)} MiB before the upload) | ${(c.wall / l.wall).toFixed(2)} |`,
      );
    }
  } finally {
    await aio.stop();
  }
  process.stdout.write(
    `| file | tool | wall time, best of 3 | throughput | CPU time, least of 3 | peak RSS | throughput vs swift upload |\n|---|---|---|---|---|---|---|\n${rows.join('\n')}\n`,
  );
}
