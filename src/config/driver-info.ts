import { existsSync } from 'node:fs';
import type { Node } from '../contracts/index.js';
import type { FieldIssue } from '../errors/index.js';
import { InvalidParameterValue, MissingParameterValue } from '../errors/index.js';
import type { IloConfig } from './schema.js';

/**
 * `driver_info` after validation: typed and camel-cased.
 *
 * @example
 * ```ts
 * const info: IloDriverInfo = parseDriverInfo(task.node, config);
 * new IloClient({ address: info.iloAddress, port: info.clientPort, username: info.iloUsername, password: info.iloPassword });
 * ```
 */
export interface IloDriverInfo {
  /** `ilo_address`. */
  iloAddress: string;
  /** `ilo_username`. */
  iloUsername: string;
  /** `ilo_password`. Never logged. */
  iloPassword: string;
  /** `client_port`, 1–65535 (default `[ilo] client_port`). */
  clientPort: number;
  /** `client_timeout` in seconds (default `[ilo] client_timeout`). */
  clientTimeout: number;
  /** `console_port`, when set. */
  consolePort?: number;
  /**
   * TLS verification: `true`, `false`, or the path of a CA bundle, from `driver_info.ca_file`,
   * then `driver_info.ilo_verify_ca`, then `[ilo] ca_file`, then `[ilo] verify_ca`.
   */
  verifyCa: boolean | string;
}

const REQUIRED = ['ilo_address', 'ilo_username', 'ilo_password'] as const;

/** Python's repr of a list of names, as Ironic's messages print them. */
function pyList(names: readonly string[]): string {
  return `[${names.map((n) => `'${n}'`).join(', ')}]`;
}

function asPort(value: unknown): number | undefined {
  const n =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^\s*\d+\s*$/.test(value)
        ? Number(value)
        : NaN;
  return Number.isInteger(n) && n >= 1 && n <= 65535 ? n : undefined;
}

function asInt(value: unknown): number | undefined {
  const n =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^\s*-?\d+\s*$/.test(value)
        ? Number(value)
        : NaN;
  return Number.isInteger(n) ? n : undefined;
}

/** A strict boolean string as oslo/Ironic accept it, or undefined. */
function strictBool(value: string): boolean | undefined {
  const v = value.trim().toLowerCase();
  if (['true', 'yes', 'on', '1', 't', 'y'].includes(v)) return true;
  if (['false', 'no', 'off', '0', 'f', 'n'].includes(v)) return false;
  return undefined;
}

function resolveVerifyCa(node: Node, config: IloConfig | undefined, issues: FieldIssue[]): boolean | string {
  const info = node.driverInfo;
  if (info.ca_file !== undefined) {
    if (typeof info.ca_file !== 'string' || !existsSync(info.ca_file)) {
      issues.push({ field: 'ca_file', problem: 'must be the path of an existing CA certificate file' });
      return true;
    }
    return info.ca_file;
  }
  const candidates: Array<[string, unknown]> = [
    ['ilo_verify_ca', info.ilo_verify_ca],
    ['[ilo] ca_file', config?.ilo.caFile],
    ['[ilo] verify_ca', config?.ilo.verifyCa ?? 'True'],
  ];
  for (const [field, value] of candidates) {
    if (value === undefined || value === null) continue;
    if (typeof value === 'boolean') return value;
    if (typeof value !== 'string') {
      issues.push({ field, problem: 'must be a boolean or a CA bundle path' });
      return true;
    }
    const b = strictBool(value);
    if (b !== undefined) return b;
    if (existsSync(value)) return value;
    issues.push({ field, problem: 'must be a boolean string or the path of an existing CA bundle' });
    return true;
  }
  return true;
}

/**
 * Validates a node's `driver_info` as Ironic's `ilo.common.parse_driver_info` did: every missing
 * required key in one {@link MissingParameterValue}; `client_port` an integer 1–65535;
 * `client_timeout` an integer; `console_port`, when set, a valid port. The password never
 * appears in a message. Reads no network.
 *
 * @example
 * ```ts
 * const info = parseDriverInfo(node, config); // throws MissingParameterValue naming every missing key
 * ```
 */
export function parseDriverInfo(node: Pick<Node, 'driverInfo'>, config?: IloConfig): IloDriverInfo {
  const info = node.driverInfo;
  const issues: FieldIssue[] = [];

  const missing = REQUIRED.filter((k) => typeof info[k] !== 'string' || info[k] === '');
  for (const k of missing) issues.push({ field: k, problem: 'required' });

  const rawPort = info.client_port ?? config?.ilo.clientPort ?? 443;
  const clientPort = asPort(rawPort);
  if (clientPort === undefined) {
    issues.push({
      field: 'client_port',
      problem: `"${String(rawPort)}" is not a valid port (an integer from 1 to 65535)`,
    });
  }
  const rawTimeout = info.client_timeout ?? config?.ilo.clientTimeout ?? 60;
  const clientTimeout = asInt(rawTimeout);
  if (clientTimeout === undefined) issues.push({ field: 'client_timeout', problem: 'should be an integer' });

  let consolePort: number | undefined;
  if (info.console_port !== undefined && info.console_port !== null && info.console_port !== '') {
    consolePort = asPort(info.console_port);
    if (consolePort === undefined) {
      issues.push({
        field: 'console_port',
        problem: `"${String(info.console_port)}" is not a valid port (an integer from 1 to 65535)`,
      });
    }
  }
  const verifyCa = resolveVerifyCa(node as Node, config, issues);

  if (issues.length > 0) {
    const parts: string[] = [];
    if (missing.length > 0) {
      parts.push(
        `The following required iLO parameters are missing from the node's driver_info: ${pyList(missing)}`,
      );
    }
    const notInt = issues.filter((i) => i.field === 'client_timeout').map((i) => i.field);
    if (notInt.length > 0) {
      parts.push(
        `The following iLO parameters from the node's driver_info should be integers: ${pyList(notInt)}`,
      );
    }
    for (const i of issues) {
      if (i.problem !== 'required' && i.field !== 'client_timeout') parts.push(`${i.field} ${i.problem}`);
    }
    const ErrorClass = missing.length > 0 ? MissingParameterValue : InvalidParameterValue;
    throw new ErrorClass(parts.join('. '), { fields: issues });
  }

  const out: IloDriverInfo = {
    iloAddress: info.ilo_address as string,
    iloUsername: info.ilo_username as string,
    iloPassword: info.ilo_password as string,
    clientPort: clientPort as number,
    clientTimeout: clientTimeout as number,
    verifyCa,
  };
  if (consolePort !== undefined) out.consolePort = consolePort;
  return out;
}
