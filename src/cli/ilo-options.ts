import { existsSync, readFileSync } from 'node:fs';
import { type Command, Option } from 'commander';
import { type FieldIssue, InvalidParameterValue } from '../index.js';

/** Connection settings every iLO sub-command accepts. */
export interface IloConnectionFlags {
  /** iLO address. */
  address: string;
  /** iLO HTTPS port; absent: `[ilo] client_port` (443). */
  port?: number;
  /** iLO user. */
  username: string;
  /** Password, from `ILO_PASSWORD` or `--password-file`, never from the command line. */
  password: string;
  /** CA bundle to verify the iLO's certificate. */
  caFile?: string;
  /** Skip TLS verification (logged as a warning). */
  insecure: boolean;
}

/** Which of the connection flags a command takes. */
export interface ConnectionOptionsShape {
  /** `--address` (default `true`); fleet commands read addresses from their inventory instead. */
  address?: boolean;
}

/**
 * Adds the connection flags: `--address` (or `ILO_ADDRESS`), `--port`, `--username` (or
 * `ILO_USERNAME`), `--password-file`, `--ca-file`, `--insecure`. The password is never a flag:
 * command lines are visible to every user of the machine.
 */
export function withConnectionOptions(cmd: Command, shape: ConnectionOptionsShape = {}): Command {
  if (shape.address !== false) {
    cmd.addOption(new Option('--address <host>', 'iLO address').env('ILO_ADDRESS').makeOptionMandatory());
  }
  return cmd
    .addOption(new Option('--port <n>', 'iLO HTTPS port (default: [ilo] client_port, 443)'))
    .addOption(new Option('--username <user>', 'iLO user').env('ILO_USERNAME').default('Administrator'))
    .option('--password-file <file>', 'read the password from this file (default: the ILO_PASSWORD variable)')
    .option('--ca-file <file>', "CA bundle that signed the iLO's certificate")
    .option('--insecure', 'do not verify the TLS certificate (logged as a warning)', false);
}

/** The port a flag or an inventory gives, or an issue. */
export function portFrom(value: unknown, field: string, issues: FieldIssue[]): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    issues.push({ field, problem: 'must be 1–65535' });
    return undefined;
  }
  return port;
}

/** A password file's first line; an issue (never the content) when it cannot be read or is empty. */
export function readPasswordFile(path: string, field: string, issues: FieldIssue[]): string | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    issues.push({ field, problem: `cannot read ${path}` });
    return undefined;
  }
  const password = text.replace(/\r?\n$/, '');
  if (password === '') issues.push({ field, problem: `${path} is empty` });
  return password === '' ? undefined : password;
}

/** Issues named in a message; `fields` always holds all of them. */
const SHOWN_ISSUES = 10;

/** Throws one {@link InvalidParameterValue} naming the issues (every one of them in `fields`). */
export function invalid(issues: readonly FieldIssue[]): never {
  const shown = issues.slice(0, SHOWN_ISSUES).map((i) => `${i.field} ${i.problem}`);
  if (issues.length > SHOWN_ISSUES) shown.push(`and ${issues.length - SHOWN_ISSUES} more`);
  throw new InvalidParameterValue(shown.join('; '), { fields: issues });
}

/** {@link invalid} when there are issues. */
export function throwIssues(issues: readonly FieldIssue[]): void {
  if (issues.length > 0) invalid(issues);
}

/** Reads the connection flags of a command, with the password from the environment or a file. */
export function iloConnectionFrom(
  opts: Record<string, unknown>,
  env: NodeJS.ProcessEnv = process.env,
): IloConnectionFlags {
  const issues: FieldIssue[] = [];
  const port = portFrom(opts.port, '--port', issues);
  const password =
    typeof opts.passwordFile === 'string'
      ? readPasswordFile(opts.passwordFile, '--password-file', issues)
      : env.ILO_PASSWORD || undefined;
  if (password === undefined && typeof opts.passwordFile !== 'string') {
    issues.push({ field: 'ILO_PASSWORD', problem: 'set ILO_PASSWORD or give --password-file' });
  }
  if (typeof opts.caFile === 'string' && !existsSync(opts.caFile)) {
    issues.push({ field: '--ca-file', problem: `${opts.caFile} does not exist` });
  }
  if (typeof opts.caFile === 'string' && opts.insecure === true) {
    issues.push({ field: '--insecure', problem: 'cannot be combined with --ca-file' });
  }
  throwIssues(issues);
  const out: IloConnectionFlags = {
    address: String(opts.address),
    username: String(opts.username),
    password: password as string,
    insecure: opts.insecure === true,
  };
  if (port !== undefined) out.port = port;
  if (typeof opts.caFile === 'string') out.caFile = opts.caFile;
  return out;
}
