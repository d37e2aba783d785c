/**
 * `npm run bench -- oob [powerReads] [cycles] [inspections]`: the out-of-band interfaces against
 * what Ironic's iLO driver did over proliantutils, on the same simulated iLO (its own process),
 * each contender looping in its own process: a power-state read (Ironic's power sync), a power
 * cycle (hard off and on, each with Ironic's wait loop, power_wait = 0), and an inspection.
 * Ironic made a new proliantutils client (one product-name request) per operation and per poll;
 * ours makes one per operation by default (`perOperationClients`), or keeps it (`IloClientPool`).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { SimulatedConnection } from '../src/testing/index.js';
import { exec, simulator, stop, summary } from './shared.js';

export const description =
  'IloPower / Inspector vs Ironic over proliantutils: power read, power cycle, inspection (latency, memory)';

const ROOT = resolve(import.meta.dirname, '..');
const LOOP = join(ROOT, 'bench/oob/loop.mjs');
const PYTHON_LOOP = join(ROOT, 'bench/oob/ironic_style.py');

/** Each contender runs this many times, interleaved with the others. */
const ROUNDS = 4;

interface LoopResult {
  latencies: number[];
  maxRssKb: number;
}

type Operation = 'power' | 'cycle' | 'inspect';

const TITLES: Record<Operation, string> = {
  power: 'power-state read (getPowerState / Ironic _get_power_state)',
  cycle: 'power cycle: hard off then on, each with the wait loop (power_wait = 0)',
  inspect: 'inspection (Inspector.inspect / Ironic inspect_hardware: power state, essentials, capabilities)',
};

function ours(op: Operation, clients: string, n: string, file: string): LoopResult {
  return JSON.parse(exec(process.execPath, [LOOP, op, clients, n, file])) as LoopResult;
}

function ironic(op: Operation, n: string, node: SimulatedConnection): LoopResult {
  const args = [
    PYTHON_LOOP,
    op,
    n,
    node.address,
    String(node.port),
    node.username,
    node.password,
    node.caFile,
  ];
  return JSON.parse(exec('/usr/bin/python3', args)) as LoopResult;
}

export async function run(args: readonly string[]): Promise<void> {
  const counts: Record<Operation, number> = {
    power: Number(args[0] ?? 200),
    cycle: Number(args[1] ?? 40),
    inspect: Number(args[2] ?? 40),
  };
  process.stdout.write('building the package (the benchmark runs dist/, as users do)…\n');
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'ignore' });
  const dir = mkdtempSync(join(tmpdir(), 'oob-bench-'));
  try {
    for (const model of ['ProLiant DL380 Gen8', 'ProLiant DL380 Gen9']) {
      const sim = await simulator(1, model);
      try {
        const node = sim.nodes[0]!;
        const file = join(dir, 'node.json');
        writeFileSync(file, JSON.stringify(node));
        for (const op of ['power', 'cycle', 'inspect'] as const) {
          const n = String(Math.ceil(counts[op] / ROUNDS));
          const contenders: Array<[string, () => LoopResult]> = [
            ['ironic-ilo, a client per operation (default)', () => ours(op, 'per-operation', n, file)],
            ['ironic-ilo, IloClientPool', () => ours(op, 'pool', n, file)],
            ['Ironic over proliantutils 2.14 (a client per operation and poll)', () => ironic(op, n, node)],
          ];
          // Rounds interleave the contenders, so that the neighbours' load falls on all of them.
          const rows = contenders.map(
            ([name]) => [name, { latencies: [], maxRssKb: 0 }] as [string, LoopResult],
          );
          for (let round = 0; round < ROUNDS; round++) {
            contenders.forEach(([, loop], i) => {
              const r = loop();
              const row = rows[i]![1];
              row.latencies.push(...r.latencies);
              row.maxRssKb = Math.max(row.maxRssKb, r.maxRssKb);
            });
          }
          const base = summary(rows[0]![1].latencies).meanMs;
          process.stdout.write(`\n### ${model}: ${TITLES[op]}\n\n`);
          process.stdout.write(
            '| contender | runs | p50 ms | p99 ms | ops/s | peak RSS | mean cost vs default |\n',
          );
          process.stdout.write('|---|---|---|---|---|---|---|\n');
          for (const [name, r] of rows) {
            const s = summary(r.latencies);
            process.stdout.write(
              `| ${name} | ${s.n} | ${s.p50.toFixed(2)} | ${s.p99.toFixed(2)} | ${s.perSecond.toFixed(1)} | ${(r.maxRssKb / 1024).toFixed(0)} MiB | ${(s.meanMs / base).toFixed(2)}× |\n`,
            );
          }
        }
      } finally {
        await stop(sim.child);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
