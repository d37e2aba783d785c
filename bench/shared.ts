/**
 * Pieces the benchmarks share: the simulator in its own process (from `dist/`), child processes
 * run to completion, peak RSS from /proc, latency summaries.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { SimulatedConnection } from '../src/testing/index.js';

const ROOT = resolve(import.meta.dirname, '..');
const CLI = join(ROOT, 'dist/cli/main.js');

/** Starts `ironic-ilo simulator` in its own process and reads its JSON lines. */
export async function simulator(
  nodes: number,
  model: string,
): Promise<{ child: ChildProcess; nodes: SimulatedConnection[] }> {
  const child = spawn(
    process.execPath,
    [CLI, 'simulator', '--nodes', String(nodes), '--model', model, '--json'],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const out: SimulatedConnection[] = [];
  for await (const line of createInterface({ input: child.stdout! })) {
    out.push(JSON.parse(line) as SimulatedConnection);
    if (out.length === nodes) break;
  }
  return { child, nodes: out };
}

/** Stops a child process with SIGTERM and waits for it. */
export async function stop(child: ChildProcess): Promise<void> {
  const done = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await done;
}

/** Peak resident memory of a live process, from /proc. */
export function peakRssKb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
}

/** Runs a command to completion and returns its stdout (Python's CA overrides removed). */
export function exec(cmd: string, args: string[], input?: string): string {
  const env: NodeJS.ProcessEnv = { ...process.env, PYTHONWARNINGS: 'ignore' };
  delete env.REQUESTS_CA_BUNDLE;
  delete env.CURL_CA_BUNDLE;
  return execFileSync(cmd, args, { env, input, maxBuffer: 64 * 1024 * 1024 }).toString();
}

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

/** Count, p50 and p99 in ms, operations per second and mean in ms of latencies in seconds. */
export function summary(latencies: number[]) {
  const sorted = [...latencies].sort((a, b) => a - b);
  const mean = latencies.reduce((s, v) => s + v, 0) / latencies.length;
  return {
    n: latencies.length,
    p50: quantile(sorted, 0.5) * 1000,
    p99: quantile(sorted, 0.99) * 1000,
    perSecond: 1 / mean,
    meanMs: mean * 1000,
  };
}

/** A file of `bytes` random bytes (no zero runs a writer could skip), written 8 MiB at a time. */
export function makeImage(path: string, bytes: number): void {
  const fd = openSync(path, 'w');
  const chunk = Buffer.allocUnsafe(8 << 20);
  for (let at = 0; at < bytes; at += chunk.length) {
    randomFillSync(chunk);
    writeSync(fd, chunk, 0, Math.min(chunk.length, bytes - at));
  }
  closeSync(fd);
}

/** The median of some numbers. */
export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

/**
 * Runs `fn`, sampling every 20 ms the RSS of this process, or of process `pid` (from /proc);
 * returns seconds and the peak RSS growth in MiB.
 */
export async function measure(
  fn: () => Promise<unknown>,
  pid?: number,
): Promise<{ seconds: number; peakMiB: number }> {
  const rss = (): number =>
    pid === undefined
      ? process.memoryUsage().rss
      : Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
  const base = rss();
  let peak = base;
  const timer = setInterval(() => {
    peak = Math.max(peak, rss());
  }, 20);
  const t0 = performance.now();
  try {
    await fn();
  } finally {
    clearInterval(timer);
  }
  peak = Math.max(peak, rss());
  return { seconds: (performance.now() - t0) / 1000, peakMiB: (peak - base) / (1 << 20) };
}
