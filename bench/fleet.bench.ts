/**
 * `npm run bench -- fleet [iLOs] [concurrency] [rounds]`: the operator's fleet read, end to end,
 * as a person runs it from a shell — `ironic-ilo fleet … power status` (the built CLI, one
 * process) against what they would run instead: python-hpilo's `hpilo_cli get_host_power_status`
 * once per iLO, in parallel with `xargs -P` and one after another in a shell loop. Every
 * contender reads the same simulated iLOs (Gen8, RIBCL; the simulator in its own process) with
 * TLS verified against the simulator's CA, and must find every iLO on. Wall time and peak RSS
 * come from GNU time; start-up is included, since an operator pays it. Run `npm run build` first.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { simulator, stop } from './shared.js';

export const description =
  'ironic-ilo fleet power status vs hpilo_cli per iLO (xargs -P, a shell loop): wall time and memory';

const ROOT = resolve(import.meta.dirname, '..');
const CLI = join(ROOT, 'dist/cli/main.js');

interface Timed {
  /** Wall time of the whole command. */
  seconds: number;
  /** Peak RSS of the largest single process (GNU time's %M), in KiB. */
  maxRssKb: number;
  /** iLOs reported ON. */
  on: number;
}

/** Runs `sh -c script` under GNU time, the password in the environment; counts the `ON` lines. */
function timed(script: string, dir: string, env: NodeJS.ProcessEnv, onPattern: RegExp): Timed {
  const clean: NodeJS.ProcessEnv = { ...process.env, ...env };
  delete clean.REQUESTS_CA_BUNDLE;
  delete clean.CURL_CA_BUNDLE;
  const report = join(dir, 'time');
  const stdout = execFileSync('/usr/bin/time', ['-o', report, '-f', '%e %M', 'sh', '-c', script], {
    env: clean,
    maxBuffer: 64 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'ignore'],
  }).toString();
  const [seconds, rss] = readFileSync(report, 'utf8').trim().split('\n').at(-1)!.split(' ').map(Number);
  return {
    seconds: seconds!,
    maxRssKb: rss!,
    on: stdout.split('\n').filter((l) => onPattern.test(l)).length,
  };
}

export async function run(args: readonly string[]): Promise<void> {
  const count = Number(args[0] ?? 100);
  const concurrency = Number(args[1] ?? 16);
  const rounds = Number(args[2] ?? 2);
  const dir = mkdtempSync(join(tmpdir(), 'bench-fleet-'));
  const sim = await simulator(count, 'ProLiant DL380 Gen8');
  try {
    const first = sim.nodes[0]!;
    const password = first.password;
    const targets = sim.nodes.map((n) => `${n.address}:${n.port}`);
    writeFileSync(join(dir, 'ilos.txt'), `${targets.join('\n')}\n`);
    writeFileSync(join(dir, 'ports.txt'), `${sim.nodes.map((n) => n.port).join('\n')}\n`);
    const env = { ILO_PASSWORD: password };
    const hpilo = (port: string) =>
      `hpilo_cli -l ${first.username} -p "$ILO_PASSWORD" --ssl-verify --ssl-ca-file ${first.caFile} ` +
      `--ssl-ignore-hostname -o ${port} ${first.address} get_host_power_status`;
    const contenders: Array<[string, string, RegExp]> = [
      [
        `ironic-ilo fleet power status, --concurrency ${concurrency} (one process)`,
        `node ${CLI} fleet --file ${dir}/ilos.txt --ca-file ${first.caFile} --concurrency ${concurrency} power status --json`,
        /"powerState":"power on"/,
      ],
      [
        `hpilo_cli per iLO, xargs -P ${concurrency}`,
        `xargs -P ${concurrency} -I PORT sh -c '${hpilo('PORT')}' < ${dir}/ports.txt`,
        /^ON$/,
      ],
      [
        'hpilo_cli per iLO, a shell loop',
        `while read -r port; do ${hpilo('"$port"')}; done < ${dir}/ports.txt`,
        /^ON$/,
      ],
    ];
    const results = new Map<string, Timed[]>();
    for (let round = 0; round < rounds; round++) {
      for (const [name, script, on] of contenders) {
        const t = timed(script, dir, env, on);
        if (t.on !== count) throw new Error(`${name}: ${t.on} of ${count} iLOs reported ON`);
        results.set(name, [...(results.get(name) ?? []), t]);
      }
    }
    const best = (name: string) =>
      (results.get(name) ?? []).reduce((a, b) => (b.seconds < a.seconds ? b : a));
    const ours = best(contenders[0]![0]);
    process.stdout.write(
      `| ${count} simulated Gen8 iLOs, power status | wall s (best of ${rounds}) | iLOs/s | time vs ours | peak RSS of one process |\n` +
        '|---|---|---|---|---|\n',
    );
    for (const [name] of contenders) {
      const t = best(name);
      process.stdout.write(
        `| ${name} | ${t.seconds.toFixed(2)} | ${(count / t.seconds).toFixed(0)} | ${(t.seconds / ours.seconds).toFixed(2)}× | ${(t.maxRssKb / 1024).toFixed(0)} MiB |\n`,
      );
    }
  } finally {
    await stop(sim.child);
    rmSync(dir, { recursive: true, force: true });
  }
}
