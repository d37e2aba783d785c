/**
 * `npm run bench -- client [calls] [fleet] [concurrency]`: getHostPowerStatus against the same
 * simulated iLO from IloClient, python-hpilo and proliantutils, each looping in its own process;
 * then power-status sweeps over a fleet of simulated iLOs with bounded concurrency. The package is
 * built first: our client and the simulator run from `dist/`, as users run them.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { SimulatedConnection } from '../src/testing/index.js';
import { exec, peakRssKb, simulator, stop, summary } from './shared.js';

export const description =
  'getHostPowerStatus latency and throughput: IloClient vs python-hpilo vs proliantutils on one simulator; a 1000-iLO power sweep';

const ROOT = resolve(import.meta.dirname, '..');
const PYTHON = '/usr/bin/python3';
const DRIVER = join(ROOT, 'test/integration/client/python/drive.py');
const LOOP = join(ROOT, 'bench/client/loop.mjs');

function python(kind: string, node: SimulatedConnection, calls: number): number[] {
  const args = [DRIVER, kind, node.address, String(node.port), node.username, node.password, node.caFile];
  const warm = JSON.stringify({ op: 'bench', args: [20] });
  const timed = JSON.stringify({ op: 'bench', args: [calls] });
  const lines = exec(PYTHON, args, `${warm}\n${timed}\n`).trim().split('\n');
  const answer = JSON.parse(lines[1]!) as { ok?: number[]; error?: string; message?: string };
  if (answer.ok === undefined) throw new Error(`${kind}: ${answer.error}: ${answer.message}`);
  return answer.ok;
}

export async function run(args: readonly string[]): Promise<void> {
  const calls = Number(args[0] ?? 500);
  const fleet = Number(args[1] ?? 1000);
  const concurrency = Number(args[2] ?? 32);
  process.stdout.write('building the package (the benchmark runs dist/, as users do)…\n');
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'ignore' });
  const dir = mkdtempSync(join(tmpdir(), 'ilo-bench-'));
  try {
    for (const model of ['ProLiant DL380 Gen8', 'ProLiant DL380 Gen9']) {
      const sim = await simulator(1, model);
      try {
        const file = join(dir, 'one.jsonl');
        writeFileSync(file, `${JSON.stringify(sim.nodes[0])}\n`);
        const ours = JSON.parse(exec(process.execPath, [LOOP, 'calls', String(calls), file])) as {
          latencies: number[];
        };
        const rows: Array<[string, ReturnType<typeof summary>]> = [
          ['ironic-ilo IloClient', summary(ours.latencies)],
        ];
        rows.push(['python-hpilo 4.4.3 (RIBCL)', summary(python('hpilo', sim.nodes[0]!, calls))]);
        rows.push([
          'proliantutils 2.14',
          summary(python('proliantutils', sim.nodes[0]!, Math.max(50, Math.round(calls / 5)))),
        ]);
        const base = rows[0]![1];
        process.stdout.write(
          `\n### getHostPowerStatus on a simulated ${model} (${model.endsWith('Gen9') ? 'ours and proliantutils: RIS; python-hpilo: RIBCL' : 'RIBCL'})\n\n`,
        );
        process.stdout.write(
          '| client | calls | p50 ms | p99 ms | ops/s | mean cost vs ours |\n|---|---|---|---|---|---|\n',
        );
        for (const [name, s] of rows) {
          process.stdout.write(
            `| ${name} | ${s.n} | ${s.p50.toFixed(2)} | ${s.p99.toFixed(2)} | ${s.perSecond.toFixed(0)} | ${(s.meanMs / base.meanMs).toFixed(2)}× |\n`,
          );
        }
      } finally {
        await stop(sim.child);
      }
    }

    const sim = await simulator(fleet, 'ProLiant DL380 Gen8');
    try {
      const file = join(dir, 'fleet.jsonl');
      writeFileSync(file, sim.nodes.map((n) => JSON.stringify(n)).join('\n'));
      const idleRss = peakRssKb(sim.child.pid!);
      const sweep = JSON.parse(exec(process.execPath, [LOOP, 'sweep', String(concurrency), file])) as {
        cold: { seconds: number; on: number };
        warm: { seconds: number; on: number };
        maxRssKb: number;
      };
      const simRss = peakRssKb(sim.child.pid!);
      process.stdout.write(
        `\n### Power-status sweep over ${fleet} simulated iLOs (Gen8, RIBCL), ${concurrency} at a time\n\n`,
      );
      process.stdout.write('| measure | value |\n|---|---|\n');
      for (const [name, s] of [
        ['first sweep, new clients (product name and power in one RIBCL script per iLO)', sweep.cold],
        ['second sweep, same clients (power: 1 RIBCL request per iLO)', sweep.warm],
      ] as const) {
        process.stdout.write(
          `| ${name} | ${s.seconds.toFixed(2)} s (${(fleet / s.seconds).toFixed(0)} iLOs/s), ${s.on}/${fleet} ON |\n`,
        );
      }
      process.stdout.write(`| sweeping process peak RSS | ${(sweep.maxRssKb / 1024).toFixed(0)} MiB |\n`);
      process.stdout.write(
        `| simulator process peak RSS (${fleet} iLOs), after start / after sweep | ${(idleRss / 1024).toFixed(0)} / ${(simRss / 1024).toFixed(0)} MiB |\n`,
      );
    } finally {
      await stop(sim.child);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
