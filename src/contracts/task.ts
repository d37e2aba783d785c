import type { Node, Port } from './node.js';
import type { ProvisionEvent } from './states.js';

/** Structured fields attached to a log line. Never put secrets here. */
export type LogFields = Record<string, unknown>;

/**
 * The logger every part of the library writes to. Any logger with these four methods fits
 * (pino, winston, console adapters). The library redacts passwords, tokens and temp-URL
 * signatures before it calls a logger.
 *
 * @example
 * ```ts
 * const logger: Logger = {
 *   debug: () => {},
 *   info: (msg, f) => console.log(msg, f ?? ''),
 *   warn: (msg, f) => console.warn(msg, f ?? ''),
 *   error: (msg, f) => console.error(msg, f ?? ''),
 * };
 * ```
 */
export interface Logger {
  /** Detail useful when debugging. */
  debug(message: string, fields?: LogFields): void;
  /** Normal operation. */
  info(message: string, fields?: LogFields): void;
  /** Something unexpected that the library handled. */
  warn(message: string, fields?: LogFields): void;
  /** A failure. */
  error(message: string, fields?: LogFields): void;
}

/**
 * Time, injected so tests and simulations can run without real waiting.
 *
 * @example
 * ```ts
 * const clock: Clock = { now: () => Date.now(), sleep: (ms, signal) => setTimeout(ms, undefined, { signal }) };
 * ```
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /** Resolves after `ms` milliseconds; rejects with the signal's reason when it aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** Options every asynchronous operation accepts. */
export interface OperationOptions {
  /** Cancels the operation; it rejects with the signal's reason. */
  signal?: AbortSignal;
}

/**
 * What a driver is handed for one operation on one node, as Ironic's `TaskManager` task.
 * The embedder owns locking, persistence and the provision-state machine.
 *
 * @example
 * ```ts
 * const task: Task = {
 *   node,
 *   ports,
 *   shared: false,
 *   save: async () => db.saveNode(node),
 *   processEvent: async (event) => stateMachine.fire(node, event),
 * };
 * ```
 */
export interface Task {
  /** The node, mutable: drivers update its dictionaries and then call {@link Task.save}. */
  node: Node;
  /** The node's ports. */
  ports: Port[];
  /** `true` when only a shared lock is held; operations that change the node need `false`. */
  shared: boolean;
  /** Persists the node's current fields. */
  save(): Promise<void>;
  /**
   * Asks the embedder's state machine to process an event (for example `'resume'` when the
   * deploy ramdisk calls back, `'done'` when a deploy finishes, `'fail'` on error).
   */
  processEvent(event: ProvisionEvent): Promise<void>;
  /** Cancels everything done for this task. */
  signal?: AbortSignal;
}
