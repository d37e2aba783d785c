/**
 * The agent's command bookkeeping (ironic_python_agent.extensions.base): one result per command,
 * synchronous commands answered done, asynchronous ones `RUNNING` until their work ends, and
 * "agent is busy" while the last command still runs.
 */
import { randomUUID } from 'node:crypto';
import type { AgentCommandResult, JsonValue } from '../../index.js';
import { agentBusy, asIpaError, type IpaError } from './ipa-errors.js';

/** A command's implementation. */
export interface CommandSpec {
  /** Runs in the background: the caller gets `RUNNING` first. */
  async: boolean;
  /** Checks the parameters before anything runs (`InvalidCommandParamsError` → HTTP 400). */
  validate?: (params: { [key: string]: JsonValue }) => void;
  /** The work. */
  run: (params: { [key: string]: JsonValue }) => Promise<JsonValue> | JsonValue;
}

/** What the agent does to a command before running it (fault injection). */
export type CommandGate = (name: string) => Promise<IpaError | undefined>;

/** The results of every command, oldest first. */
export class CommandLog {
  readonly results: AgentCommandResult[] = [];
  readonly #running = new Map<string, Promise<void>>();

  get(id: string): AgentCommandResult | undefined {
    return this.results.find((r) => r.id === id);
  }

  /** Resolves once the command is no longer running (`?wait=true`). */
  async join(id: string): Promise<void> {
    await this.#running.get(id);
  }

  /**
   * Starts a command: throws an {@link IpaError} to refuse it at once (HTTP error), otherwise
   * records it and returns its result (done for synchronous commands, `RUNNING` otherwise).
   */
  async execute(
    fullName: string,
    spec: CommandSpec,
    params: { [key: string]: JsonValue },
    gate: CommandGate,
    afterAsync: () => void,
  ): Promise<AgentCommandResult> {
    const last = this.results.at(-1);
    if (last?.command_status === 'RUNNING') throw agentBusy(last.command_name);
    spec.validate?.(params);
    const short = fullName.slice(fullName.indexOf('.') + 1);
    const result: AgentCommandResult = {
      id: randomUUID(),
      command_name: short,
      command_params: params,
      command_status: 'RUNNING',
      command_error: null,
      command_result: null,
    };
    this.results.push(result);
    const work = async () => {
      const injected = await gate(fullName);
      if (injected !== undefined) throw injected;
      return spec.run(params);
    };
    const settle = work().then(
      (value) => {
        result.command_result = value;
        result.command_status = 'SUCCEEDED';
      },
      (e: unknown) => {
        const error = asIpaError(e);
        result.command_error = error.serialize();
        result.command_status = error.type === 'CleanVersionMismatch' ? 'CLEAN_VERSION_MISMATCH' : 'FAILED';
        // The agent records a synchronous command that raised under the name it was called by.
        if (!spec.async) result.command_name = fullName;
      },
    );
    if (spec.async) {
      this.#running.set(
        result.id,
        settle.finally(() => {
          this.#running.delete(result.id);
          afterAsync();
        }),
      );
    } else {
      await settle;
    }
    return result;
  }
}
