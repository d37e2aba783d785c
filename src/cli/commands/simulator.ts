import type { Command } from 'commander';
import { InvalidParameterValue } from '../../index.js';
import { IloSimulator } from '../../testing/index.js';
import { untilInterrupted } from '../interrupt.js';

interface SimulatorFlags {
  port: string;
  nodes: string;
  model: string;
  username: string;
  password?: string;
  resetDowntime: string;
}

function integer(
  value: string,
  field: string,
  min: number,
  max: number,
  issues: { field: string; problem: string }[],
) {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max)
    issues.push({ field, problem: `must be an integer from ${min} to ${max}` });
  return n;
}

/** `ironic-ilo simulator`: simulated iLOs for manual tests and other tools, until SIGINT or SIGTERM. */
export function registerSimulator(program: Command): void {
  program
    .command('simulator')
    .description(
      'run simulated iLOs (RIBCL, RIS, /xmldata over HTTPS) on 127.0.0.1 until SIGINT or SIGTERM; ' +
        'prints one JSON line per iLO: {"address","port","username","password","caFile","model"}',
    )
    .option('--port <n>', 'port of the first iLO, the others following it (0: ephemeral ports)', '0')
    .option('--nodes <n>', 'how many iLOs', '1')
    .option('--model <name>', 'product name: a G7, Gen8 or Gen9 ProLiant', 'ProLiant DL380 Gen9')
    .option('--username <user>', 'administrator login', 'Administrator')
    .option('--password <password>', 'administrator password (default: random, printed)')
    .option('--reset-downtime <ms>', 'how long an iLO is unreachable after RESET_RIB', '2000')
    .action(async (flags: SimulatorFlags) => {
      const issues: { field: string; problem: string }[] = [];
      const port = integer(flags.port, '--port', 0, 65535, issues);
      const nodes = integer(flags.nodes, '--nodes', 1, 20000, issues);
      const resetDowntimeMs = integer(flags.resetDowntime, '--reset-downtime', 0, 3_600_000, issues);
      if (issues.length > 0) {
        throw new InvalidParameterValue(issues.map((i) => `${i.field} ${i.problem}`).join('; '), {
          fields: issues,
        });
      }
      const stopped = untilInterrupted();
      const sim = await IloSimulator.start({
        nodes,
        port,
        model: flags.model,
        username: flags.username,
        resetDowntimeMs,
        ...(flags.password === undefined ? {} : { password: flags.password }),
      });
      try {
        for (const node of sim.nodes) process.stdout.write(`${JSON.stringify(node.connection)}\n`);
        await stopped;
      } finally {
        await sim.close();
      }
    });
}
