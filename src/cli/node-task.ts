import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import {
  IloClientPool,
  type IloConfig,
  type IloOperations,
  InvalidParameterValue,
  type Logger,
  loadIronicConf,
  type OperationOptions,
  parseConfig,
  parseDriverInfo,
  type Task,
} from '../index.js';
import { createTestTask } from '../testing/index.js';
import { type IloConnectionFlags, iloConnectionFrom, withConnectionOptions } from './ilo-options.js';
import { interrupted } from './interrupt.js';
import { cliLogger } from './log.js';

/** Adds `--config-file` to a command. */
export function withConfigOption(cmd: Command): Command {
  return cmd.option(
    '--config-file <path>',
    'ironic.conf whose [ilo], [deploy] and [conductor] options apply',
  );
}

/** Adds `--json` to a command, with the same wording everywhere. */
export function withJsonOption(cmd: Command): Command {
  return cmd.option('--json', 'print JSON (one line per result) instead of a table', false);
}

/** The connection flags, `--config-file` and `--json`. */
export function withNodeOptions(cmd: Command): Command {
  return withJsonOption(withConfigOption(withConnectionOptions(cmd)));
}

/** The configuration `--config-file` names, or the defaults. */
export function configFrom(opts: Record<string, unknown>): IloConfig {
  if (typeof opts.configFile !== 'string') return parseConfig();
  let text: string;
  try {
    text = readFileSync(opts.configFile, 'utf8');
  } catch {
    throw new InvalidParameterValue(`--config-file ${opts.configFile} cannot be read`, {
      fields: [{ field: '--config-file', problem: 'cannot be read' }],
    });
  }
  return loadIronicConf(text, { logger: cliLogger() });
}

/** What a command needs to drive one iLO through the library's interfaces. */
export interface CliNode {
  /** A task for a node made of the flags (named after the iLO's address), cancelled by `signal`. */
  readonly task: Task;
  /** Configuration, logger and the clients every interface of this command shares. */
  readonly options: { config: IloConfig; logger: Logger; clients: IloClientPool };
  /** Interrupt (and, in fleet mode, the per-iLO timeout). */
  readonly signal: AbortSignal;
  /** `{ signal }`, for client calls. */
  readonly call: OperationOptions;
  /** The iLO client of this node (one per command, closed by {@link CliNode.close}). */
  client(): Promise<IloOperations>;
  /** Closes the client. */
  close(): Promise<void>;
}

/** How {@link nodeFor} builds a node. */
export interface NodeForOptions {
  /** Where logs go (default {@link cliLogger}). */
  logger?: Logger;
  /** `client_timeout`: seconds one iLO request may take (default `[ilo] client_timeout`). */
  clientTimeoutS?: number;
}

/** The node a connection describes; one client is shared by every operation until `close()`. */
export function nodeFor(
  connection: IloConnectionFlags,
  config: IloConfig,
  signal: AbortSignal,
  { logger = cliLogger(), clientTimeoutS }: NodeForOptions = {},
): CliNode {
  const tls = connection.insecure
    ? { ilo_verify_ca: false }
    : connection.caFile === undefined
      ? {}
      : { ca_file: connection.caFile };
  // A task backed by memory: the CLI keeps no node database.
  const task = createTestTask(
    {
      uuid: connection.port === undefined ? connection.address : `${connection.address}:${connection.port}`,
      driver: 'ilo',
      driverInfo: {
        ilo_address: connection.address,
        ilo_username: connection.username,
        ilo_password: connection.password,
        ...(connection.port === undefined ? {} : { client_port: connection.port }),
        ...(clientTimeoutS === undefined ? {} : { client_timeout: clientTimeoutS }),
        ...tls,
      },
    },
    { signal },
  );
  const clients = new IloClientPool({ logger });
  let lent: IloOperations | undefined;
  return {
    task,
    options: { config, logger, clients },
    signal,
    call: { signal },
    async client() {
      lent ??= await clients.acquire(parseDriverInfo(task.node, config));
      return lent;
    },
    async close() {
      if (lent !== undefined) await clients.release(lent);
      await clients.close();
    },
  };
}

/** Runs `fn` on the node the flags describe and closes its client, whatever happens. */
export async function withCliNode<T>(
  opts: Record<string, unknown>,
  fn: (node: CliNode) => Promise<T>,
): Promise<T> {
  const node = nodeFor(iloConnectionFrom(opts), configFrom(opts), interrupted);
  try {
    return await fn(node);
  } finally {
    await node.close();
  }
}
