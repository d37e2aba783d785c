import { type ErrorOptions, IronicIloError } from './base.js';

/**
 * Base of every error about talking to the deploy agent (the Ironic Python Agent in the deploy
 * ramdisk).
 *
 * @example
 * ```ts
 * if (e instanceof AgentError) await task.processEvent('fail');
 * ```
 */
export class AgentError extends IronicIloError {
  static override readonly code: string = 'AGENT_ERROR';
  /** @internal */
  static readonly errorName: string = 'AgentError';
}

/**
 * Details of an {@link AgentAPIError}.
 *
 * @example
 * ```ts
 * const details: AgentAPIErrorDetails = { node: node.uuid, status: 500, error: 'agent is busy', command: 'standby.prepare_image' };
 * ```
 */
export interface AgentAPIErrorDetails extends ErrorOptions {
  /** The node's UUID. */
  node: string;
  /** The HTTP status of the answer, or the `code` of the agent's command error. */
  status: number | null;
  /** What the agent said (its `faultstring`, or its command error's `details`/`message`). */
  error: string;
  /** The command, for example `standby.prepare_image`. */
  command?: string;
  /** The agent's error class, for example `ImageDownloadError` (its command error's `type`). */
  errorType?: string;
  /** The command's final status when the command itself failed (`FAILED`, `CLEAN_VERSION_MISMATCH`). */
  commandStatus?: string;
}

/**
 * The agent refused a request or a command failed in it, with Ironic's wording:
 * `"Agent API for node <node> returned HTTP status code <status> with error: <error>"`.
 *
 * @example
 * ```ts
 * try { await agent.sync(node); } catch (e) { if (e instanceof AgentAPIError && e.status === 401) rotateToken(); }
 * ```
 */
export class AgentAPIError extends AgentError {
  static override readonly code: string = 'AGENT_API_ERROR';
  /** @internal */
  static override readonly errorName: string = 'AgentAPIError';
  /** The node's UUID. */
  readonly node: string;
  /** HTTP status, or the agent's error code for a failed command. */
  readonly status: number | null;
  /** The command, when known. */
  readonly command: string | undefined;
  /** The agent's error class (`ImageDownloadError`, `CleaningError`, …), when it said. */
  readonly errorType: string | undefined;
  /** The command's final status when the command failed, otherwise `undefined`. */
  readonly commandStatus: string | undefined;

  constructor(details: AgentAPIErrorDetails) {
    super(
      `Agent API for node ${details.node} returned HTTP status code ${details.status ?? 'none'} with error: ${details.error}`,
      details,
    );
    this.node = details.node;
    this.status = details.status;
    this.command = details.command;
    this.errorType = details.errorType;
    this.commandStatus = details.commandStatus;
  }
}

/**
 * The agent could not be reached (refused, reset, timed out, no `agent_url` yet):
 * `"Connection to agent failed: <reason>"`.
 *
 * @example
 * ```ts
 * if (e instanceof AgentConnectionFailed) logger.warn('agent not up yet; waiting for the next heartbeat');
 * ```
 */
export class AgentConnectionFailed extends AgentError {
  static override readonly code: string = 'AGENT_CONNECTION_FAILED';
  /** @internal */
  static override readonly errorName: string = 'AgentConnectionFailed';

  constructor(details: { reason: string } & ErrorOptions) {
    super(`Connection to agent failed: ${details.reason}`, details);
  }
}

/**
 * A command was still running when the bounded wait for it ran out:
 * `"Timeout while waiting for command <command> on node <node>."`.
 *
 * @example
 * ```ts
 * if (e instanceof AgentCommandTimeout) logger.error(`${e.command} still running after ${e.timeoutMs} ms`);
 * ```
 */
export class AgentCommandTimeout extends AgentError {
  static override readonly code: string = 'AGENT_COMMAND_TIMEOUT';
  /** @internal */
  static override readonly errorName: string = 'AgentCommandTimeout';
  /** The node's UUID. */
  readonly node: string;
  /** The command waited for. */
  readonly command: string;
  /** How long it was waited for, in milliseconds. */
  readonly timeoutMs: number;

  constructor(details: { node: string; command: string; timeoutMs: number } & ErrorOptions) {
    super(`Timeout while waiting for command ${details.command} on node ${details.node}.`, details);
    this.node = details.node;
    this.command = details.command;
    this.timeoutMs = details.timeoutMs;
  }
}
