import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { InvalidParameterValue } from '../index.js';

/** Connection settings every iLO sub-command accepts. */
export interface IloConnectionFlags {
  /** iLO address. */
  address: string;
  /** iLO HTTPS port. */
  port: number;
  /** iLO user. */
  username: string;
  /** Password, from `ILO_PASSWORD` or `--password-file`, never from the command line. */
  password: string;
  /** CA bundle to verify the iLO's certificate. */
  caFile?: string;
  /** Skip TLS verification (logged as a warning). */
  insecure: boolean;
}

/** Adds `--address --port --username --password-file --ca-file --insecure` to a command. */
export function withIloOptions(cmd: Command): Command {
  return cmd
    .requiredOption('--address <host>', 'iLO address (or ILO_ADDRESS)', process.env.ILO_ADDRESS)
    .option('--port <n>', 'iLO HTTPS port', '443')
    .option('--username <user>', 'iLO user (or ILO_USERNAME)', process.env.ILO_USERNAME ?? 'Administrator')
    .option('--password-file <file>', 'read the password from this file (default: the ILO_PASSWORD variable)')
    .option('--ca-file <file>', "CA bundle that signed the iLO's certificate")
    .option('--insecure', 'do not verify the TLS certificate (logged as a warning)', false);
}

/** Reads the connection flags of a command, with the password from the environment or a file. */
export function iloConnectionFrom(
  opts: Record<string, unknown>,
  env: NodeJS.ProcessEnv = process.env,
): IloConnectionFlags {
  const issues: { field: string; problem: string }[] = [];
  const port = Number(opts.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    issues.push({ field: '--port', problem: 'must be 1–65535' });
  let password: string | undefined;
  if (typeof opts.passwordFile === 'string') {
    try {
      password = readFileSync(opts.passwordFile, 'utf8').replace(/\r?\n$/, '');
    } catch {
      issues.push({ field: '--password-file', problem: 'cannot be read' });
    }
  } else {
    password = env.ILO_PASSWORD;
  }
  if (password === undefined || password === '') {
    issues.push({ field: 'ILO_PASSWORD', problem: 'set ILO_PASSWORD or give --password-file' });
  }
  if (issues.length > 0) {
    throw new InvalidParameterValue(issues.map((i) => `${i.field} ${i.problem}`).join('; '), {
      fields: issues,
    });
  }
  const out: IloConnectionFlags = {
    address: String(opts.address),
    port,
    username: String(opts.username),
    password: password as string,
    insecure: opts.insecure === true,
  };
  if (typeof opts.caFile === 'string') out.caFile = opts.caFile;
  return out;
}
