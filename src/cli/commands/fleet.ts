import type { Command } from 'commander';
import { type FieldIssue, noopLogger } from '../../index.js';
import { CliExit, EXIT } from '../exit-codes.js';
import { loadInventory } from '../fleet/inventory.js';
import { jsonLine, printFleetTable, summarize, summaryLine } from '../fleet/report.js';
import { runFleet } from '../fleet/run.js';
import { withExamples } from '../help.js';
import { readPasswordFile, throwIssues, withConnectionOptions } from '../ilo-options.js';
import { interrupted } from '../interrupt.js';
import { cliLogger, debugEnabled } from '../log.js';
import { configFrom, withConfigOption, withJsonOption } from '../node-task.js';
import { READS, type ReadCommand } from '../reads/index.js';

/** Default iLOs read at once: enough to hide each iLO's latency, few enough for a small conductor. */
export const DEFAULT_FLEET_CONCURRENCY = 16;
/** Default budget of one iLO, in seconds. */
export const DEFAULT_FLEET_TIMEOUT_S = 60;

function bounded(value: unknown, field: string, min: number, max: number, issues: FieldIssue[]): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max || (field === '--concurrency' && !Number.isInteger(n)))
    issues.push({
      field,
      problem: `must be ${field === '--concurrency' ? 'an integer ' : ''}from ${min} to ${max}`,
    });
  return n;
}

/** Shows `done/total` on stderr while a human watches; nothing when stderr is not a terminal. */
function progress(total: number) {
  const tty = process.stderr.isTTY === true;
  let done = 0;
  let failed = 0;
  return {
    tick(ok: boolean) {
      done++;
      if (!ok) failed++;
      if (tty) process.stderr.write(`\r${done}/${total} done, ${failed} failed`);
    },
    end() {
      if (tty && done > 0) process.stderr.write('\r\x1b[K');
    },
  };
}

async function runRead(read: ReadCommand<unknown>, opts: Record<string, unknown>): Promise<void> {
  const issues: FieldIssue[] = [];
  const concurrency = bounded(opts.concurrency, '--concurrency', 1, 1000, issues);
  const timeoutS = bounded(opts.timeout, '--timeout', 1, 86_400, issues);
  const password =
    typeof opts.passwordFile === 'string'
      ? readPasswordFile(opts.passwordFile, '--password-file', issues)
      : process.env.ILO_PASSWORD || undefined;
  throwIssues(issues);
  const file = String(opts.file);
  const targets = loadInventory(file, {
    username: String(opts.username),
    insecure: opts.insecure === true,
    ...(password === undefined ? {} : { password }),
    ...(opts.port === undefined ? {} : { port: Number(opts.port) }),
    ...(typeof opts.caFile === 'string' ? { caFile: opts.caFile } : {}),
  });
  const json = opts.json === true;
  const insecure = targets.filter((t) => t.connection.insecure).length;
  if (insecure > 0)
    process.stderr.write(`WARN TLS certificate verification is disabled for ${insecure} iLOs\n`);
  const shown = progress(targets.length);
  const results = await runFleet(targets, read, {
    concurrency,
    timeoutMs: timeoutS * 1000,
    signal: interrupted,
    config: configFrom(opts),
    flags: opts,
    // One line per retry of hundreds of iLOs would bury the table: the results say what failed.
    logger: debugEnabled() ? cliLogger() : noopLogger,
    onResult(r) {
      if (json) process.stdout.write(jsonLine(read, r));
      else shown.tick(r.ok);
    },
  });
  shown.end();
  const summary = summarize(targets.length, results);
  if (json) process.stdout.write(`${JSON.stringify({ summary })}\n`);
  else {
    printFleetTable(read, results);
    process.stdout.write(`\n${summaryLine(summary)}\n`);
  }
  if (interrupted.aborted) throw interrupted.reason;
  if (summary.failed > 0) throw new CliExit(EXIT.FAILED, `${summary.failed} of ${summary.total} iLOs failed`);
}

/** Adds `fleet <words…>` for one read; the fleet flags live on `fleet` and are read from here. */
function addFleetRead(fleet: Command, read: ReadCommand<unknown>): void {
  let parent = fleet;
  for (const word of read.words.slice(0, -1)) {
    parent =
      parent.commands.find((c) => c.name() === word) ??
      withExamples(
        parent.command(word).description(`the read-only ${word} commands`),
        `ILO_PASSWORD=… ironic-ilo fleet --file ilos.txt ${read.words.join(' ')}`,
      );
  }
  const cmd = parent.command(read.words.at(-1)!).description(`on every iLO of --file: ${read.description}`);
  read.configure?.(cmd);
  withExamples(
    cmd,
    `ILO_PASSWORD=… ironic-ilo fleet --file ilos.txt ${read.words.join(' ')}`,
    `ironic-ilo fleet --file ilos.csv --ca-file /etc/ironic/ilo-ca.pem --concurrency 32 ${read.words.join(' ')} --json`,
  );
  cmd.action((_opts: unknown, self: Command) => runRead(read, self.optsWithGlobals()));
}

const INVENTORY_HELP = `
Inventory (--file), by extension; keys: address (required), port, username, passwordFile,
caFile, insecure. Entries without them take --port, --username, --password-file (or
ILO_PASSWORD), --ca-file and --insecure. Relative paths are relative to the inventory. Passwords
are never written in an inventory: name a file holding one with passwordFile.
  ilos.json   [{"address": "10.0.0.5"}, {"address": "10.0.0.6", "port": 8443, "passwordFile": "pw/ilo6"}]
  ilos.jsonl  one such object per line
  ilos.csv    address,port,username,password_file
              10.0.0.5,,,
              10.0.0.6,8443,admin,pw/ilo6
  ilos.txt    10.0.0.5
              admin@10.0.0.6:8443      # [user@]host[:port]; # starts a comment

Output: a table in inventory order and a summary (OK, failed by error code); --json prints one
line per iLO as it finishes ({"ilo", "ok", "result"} or {"ilo", "ok": false, "error": {"code",
"reason", "message"}}) and a last {"summary"} line. Exit code 1 when any iLO failed.`;

/** `ironic-ilo fleet --file ilos.csv <read-only command>`: a read across many iLOs. */
export function registerFleet(program: Command): void {
  const fleet = program
    .command('fleet')
    .description('run a read-only command across every iLO of an inventory file, bounded, with a summary')
    .requiredOption('--file <inventory>', 'the iLOs: .json, .jsonl, .csv, or one [user@]host[:port] per line')
    .option('--concurrency <n>', 'iLOs read at once', String(DEFAULT_FLEET_CONCURRENCY))
    .option(
      '--timeout <seconds>',
      'budget of each iLO, connection included',
      String(DEFAULT_FLEET_TIMEOUT_S),
    );
  // The fleet flags go before or after the read-only command: `fleet --file f info` = `fleet info --file f`.
  withJsonOption(withConfigOption(withConnectionOptions(fleet, { address: false })));
  fleet.addHelpText('after', INVENTORY_HELP);
  withExamples(
    fleet,
    'ILO_PASSWORD=… ironic-ilo fleet info --file ilos.txt --ca-file /etc/ironic/ilo-ca.pem',
    'ironic-ilo fleet power status --file ilos.csv --concurrency 32 --timeout 30 --json | jq .',
  );
  for (const read of READS) addFleetRead(fleet, read);
}
