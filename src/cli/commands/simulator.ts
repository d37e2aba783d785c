import type { Command } from 'commander';
import { InvalidParameterValue } from '../../index.js';
import { IloSimulator, type SimulatedConnection } from '../../testing/index.js';
import { withExamples } from '../help.js';
import { untilInterrupted } from '../interrupt.js';
import { withJsonOption } from '../node-task.js';
import { printTable } from '../output.js';

interface SimulatorFlags {
  port: string;
  nodes: string;
  model: string;
  username: string;
  password?: string;
  resetDowntime: string;
  json: boolean;
}

/** What a person reads: the iLOs, the CA, and a command to try on the first one. */
function printHuman(connections: readonly SimulatedConnection[]): void {
  printTable(
    ['ADDRESS', 'PORT', 'USERNAME', 'PASSWORD', 'MODEL'],
    connections.map((c) => [c.address, String(c.port), c.username, c.password, c.model]),
  );
  const first = connections[0];
  if (first === undefined) return;
  process.stdout.write(
    `\nCA certificate: ${first.caFile}\nTry: ILO_PASSWORD='${first.password}' ironic-ilo info --address ${first.address} ` +
      `--port ${first.port} --ca-file ${first.caFile}\nStop with Ctrl-C.\n`,
  );
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
  const cmd = program
    .command('simulator')
    .description(
      'run simulated iLOs (RIBCL, RIS, /xmldata over HTTPS) on 127.0.0.1 until SIGINT or SIGTERM; ' +
        'with --json, one line per iLO: {"address","port","username","password","caFile","model"}',
    )
    .option('--port <n>', 'port of the first iLO, the others following it (0: ephemeral ports)', '0')
    .option('--nodes <n>', 'how many iLOs', '1')
    .option('--model <name>', 'product name: a G7, Gen8 or Gen9 ProLiant', 'ProLiant DL380 Gen9')
    .option('--username <user>', 'administrator login', 'Administrator')
    .option('--password <password>', 'administrator password (default: random, printed)')
    .option('--reset-downtime <ms>', 'how long an iLO is unreachable after RESET_RIB', '2000');
  withExamples(
    withJsonOption(cmd),
    'ironic-ilo simulator',
    "ironic-ilo simulator --nodes 3 --model 'ProLiant DL360 Gen8' --json   # one JSON line per iLO",
  ).action(async (flags: SimulatorFlags) => {
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
      const connections = sim.nodes.map((n) => n.connection);
      if (flags.json) for (const c of connections) process.stdout.write(`${JSON.stringify(c)}\n`);
      else printHuman(connections);
      await stopped;
    } finally {
      await sim.close();
    }
  });
}
