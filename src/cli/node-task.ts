import { existsSync, readFileSync } from 'node:fs';
import type { Command } from 'commander';
import {
  consoleLogger,
  type IloConfig,
  type IloInterfaceOptions,
  InvalidParameterValue,
  loadIronicConf,
  parseConfig,
  type Task,
} from '../index.js';
import { createTestTask } from '../testing/index.js';
import { iloConnectionFrom, withIloOptions } from './ilo-options.js';
import { interrupted } from './interrupt.js';

/** Adds `--config-file` to a command. */
export function withConfigOption(cmd: Command): Command {
  return cmd.option('--config-file <path>', 'ironic.conf whose [ilo] and [conductor] options apply');
}

/** The iLO flags, `--config-file` and `--json`. */
export function withNodeOptions(cmd: Command): Command {
  return withConfigOption(withIloOptions(cmd)).option('--json', 'print one JSON line', false);
}

/** The configuration `--config-file` names, or the defaults. */
export function configFrom(opts: Record<string, unknown>): IloConfig {
  const logger = consoleLogger('warn');
  if (typeof opts.configFile !== 'string') return parseConfig();
  let text: string;
  try {
    text = readFileSync(opts.configFile, 'utf8');
  } catch {
    throw new InvalidParameterValue(`--config-file ${opts.configFile} cannot be read`, {
      fields: [{ field: '--config-file', problem: 'cannot be read' }],
    });
  }
  return loadIronicConf(text, { logger });
}

/** What a command needs to drive one iLO through the library's interfaces. */
export interface CliNode {
  /** A task for a node made of the flags (named after the iLO's address). */
  task: Task;
  /** Configuration, logger (warnings to stderr) and the default per-operation clients. */
  options: IloInterfaceOptions & { config: IloConfig };
}

/** Builds the node and task the flags describe; every bad flag is reported at once. */
export function cliNode(opts: Record<string, unknown>): CliNode {
  const connection = iloConnectionFrom(opts);
  if (connection.caFile !== undefined && !existsSync(connection.caFile)) {
    throw new InvalidParameterValue(`--ca-file ${connection.caFile} does not exist`, {
      fields: [{ field: '--ca-file', problem: 'does not exist' }],
    });
  }
  if (connection.caFile !== undefined && connection.insecure) {
    throw new InvalidParameterValue('--ca-file and --insecure exclude each other', {
      fields: [{ field: '--insecure', problem: 'cannot be combined with --ca-file' }],
    });
  }
  const tls = connection.insecure
    ? { ilo_verify_ca: false }
    : connection.caFile === undefined
      ? {}
      : { ca_file: connection.caFile };
  // A task backed by memory: the CLI keeps no node database.
  const task = createTestTask(
    {
      uuid: connection.address,
      driver: 'ilo',
      driverInfo: {
        ilo_address: connection.address,
        client_port: connection.port,
        ilo_username: connection.username,
        ilo_password: connection.password,
        ...tls,
      },
    },
    { signal: interrupted },
  );
  return { task, options: { config: configFrom(opts), logger: consoleLogger('warn') } };
}
