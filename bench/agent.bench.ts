/**
 * `npm run bench -- agent [commands] [nodes]` (default 500 and 20), in one run, with the built
 * package (dist/):
 *
 * 1. Agent commands: `standby.sync` (`?wait=true`) round trips to one fake agent (the
 *    `ironic-ilo fake-agent` command, in a process of its own) sent by AgentClient and by
 *    Ironic's own AgentClient (Debian's python3-ironic), alternately, three rounds each: commands
 *    per second, CPU per command and peak RSS of the client process.
 * 2. Boot ISOs for `nodes` nodes deployed at once from one image, published in a web-server
 *    directory: acquireSharedBootIso (one reference-counted ISO) against what Ironic did (every
 *    node downloads the kernel and ramdisk and builds and publishes `boot-<node>`): time, kernel
 *    and ramdisk downloads, bytes stored, peak RSS.
 *
 * On a shared machine wall times vary from run to run; compare the ratios of one run.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { startFileServer } from '../test/helpers/file-server.js';

/** Debian's Python (a pyenv `python3` earlier on PATH lacks the Debian modules). */
const PYTHON = '/usr/bin/python3';

export const description =
  "AgentClient vs Ironic's AgentClient (command round trips), and shared boot ISOs vs Ironic's one ISO per node";

const ROOT = join(import.meta.dirname, '..');

function runJson<T>(command: string, args: readonly string[]): Promise<T> {
  const env = { ...process.env };
  delete env.REQUESTS_CA_BUNDLE;
  delete env.CURL_CA_BUNDLE;
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], { env, cwd: ROOT });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.on('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(out.trim().split('\n').at(-1) ?? '') as T)
        : reject(new Error(`${args.join(' ')}: ${err}`)),
    );
  });
}

interface Loop {
  seconds: number;
  count: number;
  cpuSeconds: number;
  peakRssMiB: number;
}

async function startFakeAgent(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['dist/cli/main.js', 'fake-agent', '--disk-size', String(2 ** 20)], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const first = await createInterface({ input: child.stdout! })[Symbol.asyncIterator]().next();
  return { url: (JSON.parse(first.value as string) as { url: string }).url, child };
}

function ironicAvailable(): boolean {
  try {
    execFileSync(PYTHON, ['-c', 'import ironic.drivers.modules.agent_client'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

async function commands(count: number): Promise<void> {
  const { url, child } = await startFakeAgent();
  const ours: Loop[] = [];
  const ironic: Loop[] = [];
  const withIronic = ironicAvailable();
  try {
    for (let round = 0; round < 3; round++) {
      ours.push(await runJson<Loop>(process.execPath, ['bench/agent-client.mjs', url, String(count)]));
      if (withIronic)
        ironic.push(await runJson<Loop>(PYTHON, ['bench/agent_client_ironic.py', url, String(count)]));
    }
  } finally {
    child.kill('SIGTERM');
  }
  const row = (name: string, runs: Loop[]) => {
    const best = runs.reduce((a, b) => (a.seconds <= b.seconds ? a : b));
    const cpuMs = (Math.min(...runs.map((r) => r.cpuSeconds)) / count) * 1000;
    return { name, perSecond: count / best.seconds, cpuMs, rss: Math.max(...runs.map((r) => r.peakRssMiB)) };
  };
  const rows = [
    row('AgentClient (ironic-ilo)', ours),
    ...(withIronic ? [row("Ironic's AgentClient (python3-ironic)", ironic)] : []),
  ];
  process.stdout.write(
    `${count} standby.sync round trips (?wait=true) to one fake agent, best of 3 rounds:\n\n`,
  );
  process.stdout.write('| client | commands/s | CPU ms/command | peak RSS MiB |\n|---|---:|---:|---:|\n');
  for (const r of rows)
    process.stdout.write(
      `| ${r.name} | ${r.perSecond.toFixed(0)} | ${r.cpuMs.toFixed(3)} | ${r.rss.toFixed(0)} |\n`,
    );
  const [a, b] = rows;
  if (a !== undefined && b !== undefined) {
    process.stdout.write(
      `\nRatios (ironic-ilo / Ironic): throughput ×${(a.perSecond / b.perSecond).toFixed(2)}, CPU per command ×${(a.cpuMs / b.cpuMs).toFixed(2)}, peak RSS ×${(a.rss / b.rss).toFixed(2)}\n`,
    );
  } else process.stdout.write("\n(Ironic's AgentClient not installed: `npm run peers` as root)\n");
}

interface IsoRun {
  seconds: number;
  objects: number;
  storedBytes: number;
  peakRssMiB: number;
}

async function bootIsos(nodes: number): Promise<void> {
  const files = await startFileServer({
    '/vmlinuz': randomBytes(8 * 2 ** 20),
    '/initrd': randomBytes(48 * 2 ** 20),
  });
  const results: Array<{ name: string; run: IsoRun; downloads: number }> = [];
  try {
    for (const mode of ['shared', 'per-node'] as const) {
      const root = mkdtempSync(join(tmpdir(), `bench-http-${mode}-`));
      const before = (files.hits.get('GET /vmlinuz') ?? 0) + (files.hits.get('GET /initrd') ?? 0);
      try {
        const run = await runJson<IsoRun>(process.execPath, [
          'bench/boot-iso.mjs',
          mode,
          root,
          files.url,
          String(nodes),
        ]);
        const downloads =
          (files.hits.get('GET /vmlinuz') ?? 0) + (files.hits.get('GET /initrd') ?? 0) - before;
        results.push({
          name: mode === 'shared' ? 'acquireSharedBootIso (ironic-ilo)' : "one ISO per node (Ironic's way)",
          run,
          downloads,
        });
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    }
  } finally {
    await files.close();
  }
  process.stdout.write(
    `\nBoot ISOs for ${nodes} nodes deployed at once from one image (8 MiB kernel, 48 MiB ramdisk, BIOS):\n\n`,
  );
  process.stdout.write(
    '| how | seconds | kernel+ramdisk downloads | ISOs stored | MiB stored | peak RSS MiB |\n|---|---:|---:|---:|---:|---:|\n',
  );
  for (const r of results) {
    process.stdout.write(
      `| ${r.name} | ${r.run.seconds.toFixed(2)} | ${r.downloads} | ${r.run.objects} | ${(r.run.storedBytes / 2 ** 20).toFixed(0)} | ${r.run.peakRssMiB.toFixed(0)} |\n`,
    );
  }
  const [s, p] = results;
  if (s !== undefined && p !== undefined) {
    process.stdout.write(
      `\nRatios (shared / per node): time ×${(s.run.seconds / p.run.seconds).toFixed(3)}, bytes stored ×${(s.run.storedBytes / p.run.storedBytes).toFixed(3)}, peak RSS ×${(s.run.peakRssMiB / p.run.peakRssMiB).toFixed(2)}\n`,
    );
  }
}

export async function run(args: readonly string[]): Promise<void> {
  const count = Number(args[0] ?? 500);
  const nodes = Number(args[1] ?? 20);
  process.stdout.write('building the package (the benchmark runs dist/, as a user would)…\n');
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'ignore' });
  await commands(count);
  await bootIsos(nodes);
}
