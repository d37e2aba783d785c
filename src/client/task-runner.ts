import { type IloConfig, type IloDriverInfo, parseConfig, parseDriverInfo } from '../config/index.js';
import type { Clock, Logger, Node, OperationOptions, Task } from '../contracts/index.js';
import { noopLogger, redactingLogger, systemClock } from '../util/index.js';
import type { IloOperations } from './operations.js';
import { type IloClientProvider, perOperationClients } from './provider.js';

/**
 * What every iLO interface (`IloPower`, `IloManagement`, `CleanSteps`, `Inspector`) is built
 * with. Everything is optional; give the same `clients` provider to all of them so that they
 * share clients.
 *
 * @example
 * ```ts
 * const options: IloInterfaceOptions = {
 *   config: loadIronicConf(text),
 *   clients: new IloClientPool({ logger }),
 *   logger,
 * };
 * const power = new IloPower(options);
 * ```
 */
export interface IloInterfaceOptions {
  /** ironic.conf options (default: every default, as `parseConfig()`). */
  config?: IloConfig;
  /** Where clients come from (default: {@link perOperationClients}, with `logger`). */
  clients?: IloClientProvider;
  /** Where to log; node passwords are removed from every line first (default: nothing logged). */
  logger?: Logger;
  /** Time for the power wait loops (default: the system clock; tests inject a virtual one). */
  clock?: Clock;
}

/**
 * One operation on one node's iLO: the validated `driver_info`, the client lent for the
 * operation, the cancellation signal and a logger that redacts the node's secrets.
 *
 * @example
 * ```ts
 * await runner.run(task, options, async ({ ilo, call, log }) => {
 *   log.info('powering on');
 *   await ilo.setHostPower('ON', call);
 * });
 * ```
 */
export interface IloTaskContext {
  /** The task. */
  readonly task: Task;
  /** Its validated `driver_info`. */
  readonly info: IloDriverInfo;
  /** The client lent for this operation. */
  readonly ilo: IloOperations;
  /** The task's and the caller's signals, combined (undefined when neither was given). */
  readonly signal: AbortSignal | undefined;
  /** Options to pass to every client call (`{ signal }`). */
  readonly call: OperationOptions;
  /** The interface's logger with the node's passwords removed. */
  readonly log: Logger;
}

/** Every password-like value of a node's `driver_info`: never logged. */
function nodeSecrets(node: Node): string[] {
  return Object.entries(node.driverInfo)
    .filter(([key, value]) => /password|secret|token/i.test(key) && typeof value === 'string')
    .map(([, value]) => value as string);
}

function combined(a: AbortSignal | undefined, b: AbortSignal | undefined): AbortSignal | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return AbortSignal.any([a, b]);
}

/**
 * The plumbing the iLO interfaces share: resolves {@link IloInterfaceOptions}, validates a
 * node's `driver_info` (no network I/O), and runs an operation with a client acquired from the
 * provider and released afterwards, whatever happens. For authors of further interfaces over
 * `IloOperations`.
 *
 * @example
 * ```ts
 * const runner = new IloTaskRunner({ config, logger });
 * const status = await runner.run(task, {}, ({ ilo, call }) => ilo.getHostPowerStatus(call));
 * ```
 */
export class IloTaskRunner {
  /** The configuration in use. */
  readonly config: IloConfig;
  /** The logger given (not redacted: use {@link IloTaskRunner.nodeLogger} for node lines). */
  readonly logger: Logger;
  /** The clock in use. */
  readonly clock: Clock;
  private readonly clients: IloClientProvider;

  constructor(options: IloInterfaceOptions = {}) {
    this.config = options.config ?? parseConfig();
    this.logger = options.logger ?? noopLogger;
    this.clock = options.clock ?? systemClock;
    this.clients = options.clients ?? perOperationClients({ logger: this.logger });
  }

  /** Validates the node's `driver_info` as Ironic's `parse_driver_info` (no network I/O). */
  driverInfo(task: Pick<Task, 'node'>): IloDriverInfo {
    return parseDriverInfo(task.node, this.config);
  }

  /** The logger with the node's passwords (and, optionally, further secrets) removed. */
  nodeLogger(task: Pick<Task, 'node'>, extraSecrets: readonly string[] = []): Logger {
    if (this.logger === noopLogger) return noopLogger;
    return redactingLogger(this.logger, () => [...nodeSecrets(task.node), ...extraSecrets]);
  }

  /**
   * Runs `fn` with a client for the task's iLO. Throws before acquiring anything when the
   * signal has already fired or `driver_info` is invalid; releases the client in every case.
   */
  async run<T>(task: Task, options: OperationOptions, fn: (ctx: IloTaskContext) => Promise<T>): Promise<T> {
    const signal = combined(task.signal, options.signal);
    signal?.throwIfAborted();
    const info = this.driverInfo(task);
    const ilo = await this.clients.acquire(info);
    try {
      return await fn({
        task,
        info,
        ilo,
        signal,
        call: signal === undefined ? {} : { signal },
        log: this.nodeLogger(task),
      });
    } finally {
      await this.clients.release?.(ilo);
    }
  }
}
