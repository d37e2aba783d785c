import { AgentAPIError } from '../../errors/index.js';
import { redact } from '../../util/index.js';
import type { AgentCommandResult } from './types.js';

/**
 * Why a command failed, as Ironic's `get_command_error` read it: the error's `details`, else its
 * `message`, else the error itself; `undefined` when the command has no error.
 *
 * @example
 * ```ts
 * const last = findLatestCommand(await agent.getCommandsStatus(node), 'standby.prepare_image');
 * if (last?.command_status === 'FAILED') throw new InstanceDeployFailure({ reason: agentCommandError(last) ?? 'prepare_image failed' });
 * ```
 */
export function agentCommandError(result: Pick<AgentCommandResult, 'command_error'>): string | undefined {
  const error = result.command_error;
  if (error === null || error === undefined) return undefined;
  if (typeof error === 'string') return error;
  const text = error.details ?? error.message;
  return typeof text === 'string' && text !== '' ? text : JSON.stringify(error);
}

/**
 * The most recent command of that name in a `GET /v1/commands` list. The agent names
 * asynchronous commands by their short name (`prepare_image`) and synchronous ones by the name
 * they were called with; both are matched.
 *
 * @example
 * ```ts
 * findLatestCommand(await agent.getCommandsStatus(node), 'standby.prepare_image')?.command_status; // 'SUCCEEDED'
 * ```
 */
export function findLatestCommand(
  commands: readonly AgentCommandResult[],
  name: string,
): AgentCommandResult | undefined {
  const short = name.includes('.') ? name.slice(name.indexOf('.') + 1) : name;
  for (let i = commands.length - 1; i >= 0; i--) {
    const c = commands[i];
    if (c !== undefined && (c.command_name === name || c.command_name === short)) return c;
  }
  return undefined;
}

/** Whether a JSON value is a command result. */
export function isCommandResult(value: unknown): value is AgentCommandResult {
  const v = value as Partial<AgentCommandResult> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.id === 'string' &&
    typeof v.command_name === 'string' &&
    typeof v.command_status === 'string'
  );
}

/** Throws {@link AgentAPIError} for a command that failed or was refused. */
export function throwIfFailed(
  node: string,
  command: string,
  result: AgentCommandResult,
  secrets: readonly string[],
): void {
  if (result.command_status !== 'FAILED' && result.command_status !== 'CLEAN_VERSION_MISMATCH') return;
  const error = typeof result.command_error === 'object' ? result.command_error : null;
  const details = {
    node,
    status: typeof error?.code === 'number' ? error.code : null,
    command,
    commandStatus: result.command_status,
    error: redact(agentCommandError(result) ?? result.command_status, secrets),
  };
  throw new AgentAPIError(typeof error?.type === 'string' ? { ...details, errorType: error.type } : details);
}
