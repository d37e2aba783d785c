import type { Clock, JsonValue, Logger, Node, Port } from '../../contracts/index.js';
import {
  AgentAPIError,
  AgentCommandTimeout,
  AgentConnectionFailed,
  InvalidParameterValue,
} from '../../errors/index.js';
import { noopLogger, redactingLogger, systemClock } from '../../util/index.js';
import { type AgentTransport, agentRequest, createAgentDispatcher } from './http.js';
import { agentNodeView, agentPortView } from './node-view.js';
import type {
  AgentCallOptions,
  AgentClientOptions,
  AgentNode,
  ExecuteCleanStepOptions,
  ExecuteCommandOptions,
  InstallBootloaderRequest,
  PrepareImageOptions,
  StartIscsiTargetOptions,
  WaitForCommandOptions,
} from './options.js';
import { findLatestCommand, isCommandResult, throwIfFailed } from './results.js';
import type {
  AgentCleanStep,
  AgentCleanSteps,
  AgentCommandResult,
  AgentImageInfo,
  AgentPartitionUuids,
  AgentStatus,
} from './types.js';

const DEFAULT_MAX_RESPONSE = 64 * 1024 * 1024;

/**
 * A client of the Ironic Python Agent's REST API v1, the API the deploy ramdisk serves on the
 * node (`driver_internal_info.agent_url`, learnt from its heartbeats): `POST /v1/commands` with
 * `wait`, the command list and single commands, bounded polling of a running command, and the
 * commands the iLO drivers use, with the agent's names (`standby.prepare_image`,
 * `standby.power_off`, `standby.sync`, `image.install_bootloader`, `iscsi.start_iscsi_target`,
 * `clean.get_clean_steps`, `clean.execute_clean_step`, `log.collect_system_logs`, …).
 *
 * Every call takes a `signal` and is bounded; requests that could not connect are retried
 * (`[agent] max_command_attempts`); an error status or a failed command is an
 * {@link AgentAPIError}; a node the agent cannot be reached on, {@link AgentConnectionFailed}.
 * The agent token (`driver_internal_info.agent_secret_token`) is sent as `agent_token` and never
 * logged; command parameters (image URLs with signatures, config drives) are never logged.
 *
 * @example
 * ```ts
 * const agent = new AgentClient({ config, logger });
 * await agent.prepareImage(task.node, imageInfo);          // returns at once, RUNNING
 * // … on the next heartbeat:
 * const last = findLatestCommand(await agent.getCommandsStatus(task.node), 'standby.prepare_image');
 * if (last?.command_status === 'SUCCEEDED') await agent.powerOff(task.node);
 * await agent.close();
 * ```
 */
export class AgentClient {
  readonly #transport: AgentTransport;
  readonly #logger: Logger;
  readonly #apiVersion: string;
  readonly #waitAttempts: number;
  readonly #waitIntervalMs: number;

  constructor(options: AgentClientOptions = {}) {
    const agent = options.config?.agent;
    this.#logger = options.logger ?? noopLogger;
    this.#apiVersion = agent?.agentApiVersion ?? 'v1';
    this.#waitAttempts = options.commandWaitAttempts ?? agent?.commandWaitAttempts ?? 100;
    this.#waitIntervalMs = options.commandWaitIntervalMs ?? (agent?.commandWaitInterval ?? 6) * 1000;
    const requestMs = options.requestTimeoutMs ?? (agent?.commandTimeout ?? 60) * 1000;
    const attempts = options.maxCommandAttempts ?? agent?.maxCommandAttempts ?? 3;
    const issues = [
      ...positive('requestTimeoutMs', requestMs),
      ...positive('maxCommandAttempts', attempts),
      ...positive('commandWaitAttempts', this.#waitAttempts),
      ...positive('maxResponseBytes', options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE),
      ...(Number.isFinite(this.#waitIntervalMs) && this.#waitIntervalMs >= 0
        ? []
        : [{ field: 'commandWaitIntervalMs', problem: 'must be a non-negative number' }]),
    ];
    if (issues.length > 0) {
      throw new InvalidParameterValue(
        `Invalid AgentClient options: ${issues.map((i) => `${i.field} ${i.problem}`).join('; ')}`,
        { fields: issues },
      );
    }
    this.#transport = {
      dispatcher:
        options.dispatcher ??
        createAgentDispatcher(options.tls, options.connectTimeoutMs ?? 10_000, this.#logger),
      owned: options.dispatcher === undefined,
      requestMs,
      attempts,
      maxResponseBytes: options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE,
      clock: options.clock ?? systemClock,
    };
  }

  /**
   * Runs `name` (`<extension>.<command>`) with `params`. Without `wait` or `poll` it returns as
   * soon as the agent accepted the command (usually `RUNNING`); with them, once it is done.
   * A command that failed (at once, or while waited for) is an {@link AgentAPIError} carrying the
   * agent's error type and details: a returned result is `RUNNING` or `SUCCEEDED`.
   */
  async executeCommand(
    node: AgentNode,
    name: string,
    params: { [key: string]: JsonValue },
    options: ExecuteCommandOptions = {},
  ): Promise<AgentCommandResult> {
    if (options.wait === true && options.poll === true) {
      throw new InvalidParameterValue('wait and poll cannot both be set.', {
        fields: [{ field: 'poll', problem: 'cannot be combined with wait' }],
      });
    }
    const { base, token } = this.#target(node);
    const log = this.#log(token);
    const url = this.#url(base, 'commands/');
    url.searchParams.set('wait', options.wait === true ? 'true' : 'false');
    if (token !== undefined) url.searchParams.set('agent_token', token);
    log.debug(`Executing agent command ${name} for node ${node.uuid}`);
    const json = await agentRequest(this.#transport, {
      method: 'POST',
      url,
      body: JSON.stringify({ name, params }),
      node: node.uuid,
      what: `command ${name}`,
      timeoutMs: options.timeoutMs ?? this.#transport.requestMs,
      secrets: secretsOf(token),
      signal: options.signal,
      recover: () => this.#runningCommand(node, name, options),
    });
    let result = this.#asResult(node, name, json);
    log.debug(`Agent command ${name} for node ${node.uuid} is ${result.command_status}`);
    if ((options.poll === true || options.wait === true) && result.command_status === 'RUNNING') {
      result = await this.waitForCommand(node, result, options);
    }
    throwIfFailed(node.uuid, name, result, secretsOf(token));
    return result;
  }

  /** `GET /v1/commands`: every command the agent ran since it started, oldest first. */
  async getCommandsStatus(node: AgentNode, options: AgentCallOptions = {}): Promise<AgentCommandResult[]> {
    const { base, token } = this.#target(node);
    const json = await this.#get(node, base, 'commands/', token, 'commands status', options);
    const commands = (json as { commands?: unknown } | null)?.commands;
    if (!Array.isArray(commands) || !commands.every(isCommandResult)) {
      throw new AgentAPIError({
        node: node.uuid,
        status: 200,
        command: 'commands status',
        error: 'Invalid agent response: no "commands" list',
      });
    }
    return commands;
  }

  /** `GET /v1/commands/<id>`: one command. */
  async getCommand(node: AgentNode, id: string, options: AgentCallOptions = {}): Promise<AgentCommandResult> {
    const { base, token } = this.#target(node);
    const json = await this.#get(
      node,
      base,
      `commands/${encodeURIComponent(id)}`,
      token,
      `command ${id}`,
      options,
    );
    return this.#asResult(node, id, json);
  }

  /**
   * Polls a command (a result from {@link AgentClient.executeCommand}, or its id) until it is no
   * longer `RUNNING` and returns it (failed or not: check `command_status`). After `attempts`
   * polls it throws {@link AgentCommandTimeout}; the command goes on in the agent.
   */
  async waitForCommand(
    node: AgentNode,
    command: AgentCommandResult | string,
    options: WaitForCommandOptions = {},
  ): Promise<AgentCommandResult> {
    const id = typeof command === 'string' ? command : command.id;
    const name = typeof command === 'string' ? id : command.command_name;
    const attempts = options.attempts ?? this.#waitAttempts;
    const intervalMs = options.intervalMs ?? this.#waitIntervalMs;
    for (let attempt = 1; ; attempt++) {
      const result = await this.getCommand(node, id, options);
      if (result.command_status !== 'RUNNING') return result;
      if (attempt >= attempts) {
        throw new AgentCommandTimeout({ node: node.uuid, command: name, timeoutMs: attempts * intervalMs });
      }
      await sleep(this.#transport.clock, intervalMs, options.signal);
    }
  }

  /** `GET /v1/status`: when the agent started and its version. */
  async getStatus(node: AgentNode, options: AgentCallOptions = {}): Promise<AgentStatus> {
    const { base, token } = this.#target(node);
    return (await this.#get(node, base, 'status', token, 'status', options)) as AgentStatus;
  }

  /**
   * `standby.prepare_image`: the agent downloads `imageInfo.urls`, verifies the checksum and
   * writes the disk (and the config drive of a whole-disk image). Returns at once (`RUNNING`)
   * unless `wait` is set.
   */
  prepareImage(
    node: AgentNode,
    imageInfo: AgentImageInfo,
    options: PrepareImageOptions = {},
  ): Promise<AgentCommandResult> {
    const { configdrive, wait, ...call } = options;
    const params: { [key: string]: JsonValue } = { image_info: withoutUndefined(imageInfo) };
    if (configdrive !== undefined) params.configdrive = configdrive;
    return this.executeCommand(node, 'standby.prepare_image', params, { ...call, poll: wait === true });
  }

  /** `iscsi.start_iscsi_target`: exposes the node's disk as `iqn` (waits for the answer). */
  startIscsiTarget(
    node: AgentNode,
    iqn: string,
    options: StartIscsiTargetOptions = {},
  ): Promise<AgentCommandResult> {
    const { portalPort = 3260, wipeDiskMetadata = false, ...call } = options;
    return this.executeCommand(
      node,
      'iscsi.start_iscsi_target',
      { iqn, portal_port: portalPort, wipe_disk_metadata: wipeDiskMetadata },
      { ...call, wait: true },
    );
  }

  /** `image.install_bootloader` (polled until done). */
  installBootloader(
    node: AgentNode,
    request: InstallBootloaderRequest,
    options: WaitForCommandOptions = {},
  ): Promise<AgentCommandResult> {
    return this.executeCommand(
      node,
      'image.install_bootloader',
      {
        root_uuid: request.rootUuid,
        efi_system_part_uuid: request.efiSystemPartUuid ?? null,
        prep_boot_part_uuid: request.prepBootPartUuid ?? null,
        target_boot_mode: request.targetBootMode,
      },
      { ...options, poll: true },
    );
  }

  /** `clean.get_clean_steps`: the agent's steps for this node, by hardware manager. */
  async getCleanSteps(
    node: Node,
    ports: readonly Port[],
    options: AgentCallOptions = {},
  ): Promise<AgentCleanSteps> {
    const result = await this.executeCommand(
      node,
      'clean.get_clean_steps',
      { node: agentNodeView(node), ports: ports.map(agentPortView) },
      { ...options, wait: true },
    );
    const out = result.command_result as Partial<AgentCleanSteps> | null;
    if (out === null || typeof out.clean_steps !== 'object' || out.clean_steps === null) {
      throw new AgentAPIError({
        node: node.uuid,
        status: 200,
        command: 'clean.get_clean_steps',
        error: 'Invalid agent response: no clean_steps',
      });
    }
    return { clean_steps: out.clean_steps, hardware_manager_version: out.hardware_manager_version ?? {} };
  }

  /**
   * `clean.execute_clean_step`: starts the step and returns (`RUNNING`); the next heartbeat
   * reports its end (`command_result.clean_result`).
   */
  executeCleanStep(
    node: Node,
    ports: readonly Port[],
    step: AgentCleanStep | { [key: string]: JsonValue },
    options: ExecuteCleanStepOptions = {},
  ): Promise<AgentCommandResult> {
    const { cleanVersion = null, ...call } = options;
    return this.executeCommand(
      node,
      'clean.execute_clean_step',
      {
        step: withoutUndefined(step),
        node: agentNodeView(node),
        ports: ports.map(agentPortView),
        clean_version: cleanVersion,
      },
      call,
    );
  }

  /** `standby.get_partition_uuids`: the root (and EFI system partition) UUIDs of the written image. */
  async getPartitionUuids(node: AgentNode, options: AgentCallOptions = {}): Promise<AgentPartitionUuids> {
    const result = await this.executeCommand(
      node,
      'standby.get_partition_uuids',
      {},
      { ...options, wait: true },
    );
    return (result.command_result ?? {}) as AgentPartitionUuids;
  }

  /** `standby.power_off`: the ramdisk shuts the node down (returns before it is off). */
  powerOff(node: AgentNode, options: AgentCallOptions = {}): Promise<AgentCommandResult> {
    return this.executeCommand(node, 'standby.power_off', {}, options);
  }

  /** `standby.run_image`: the ramdisk reboots the node (returns before it reboots). */
  reboot(node: AgentNode, options: AgentCallOptions = {}): Promise<AgentCommandResult> {
    return this.executeCommand(node, 'standby.run_image', {}, options);
  }

  /** `standby.sync`: flushes the node's file-system buffers to disk (waits). */
  sync(node: AgentNode, options: AgentCallOptions = {}): Promise<AgentCommandResult> {
    return this.executeCommand(node, 'standby.sync', {}, { ...options, wait: true });
  }

  /** `log.collect_system_logs`: the ramdisk's logs, a base64-encoded gzipped tarball. */
  async collectSystemLogs(node: AgentNode, options: AgentCallOptions = {}): Promise<string> {
    const result = await this.executeCommand(node, 'log.collect_system_logs', {}, { ...options, wait: true });
    const logs = (result.command_result as { system_logs?: unknown } | null)?.system_logs;
    if (typeof logs !== 'string') {
      throw new AgentAPIError({
        node: node.uuid,
        status: 200,
        command: 'log.collect_system_logs',
        error: 'Invalid agent response: no system_logs',
      });
    }
    return logs;
  }

  /** Closes the connection pool the client created (a given `dispatcher` is left open). */
  async close(): Promise<void> {
    if (this.#transport.owned) await this.#transport.dispatcher.close();
  }

  /** Same as {@link AgentClient.close}, for `await using`. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /** The last command, when it is `name` and still running (it reached the agent after all). */
  async #runningCommand(
    node: AgentNode,
    name: string,
    options: AgentCallOptions,
  ): Promise<AgentCommandResult | undefined> {
    const commands = await this.getCommandsStatus(
      node,
      options.signal === undefined ? {} : { signal: options.signal },
    );
    const last = commands.at(-1);
    return last !== undefined &&
      last.command_status === 'RUNNING' &&
      findLatestCommand([last], name) !== undefined
      ? last
      : undefined;
  }

  #target(node: AgentNode): { base: string; token: string | undefined } {
    const url = node.driverInternalInfo.agent_url;
    if (url === undefined || url === null || url === '') {
      throw new AgentConnectionFailed({ reason: 'Agent driver requires agent_url in driver_internal_info' });
    }
    let parsed: URL | undefined;
    try {
      parsed = typeof url === 'string' ? new URL(url) : undefined;
    } catch {
      parsed = undefined;
    }
    if (parsed === undefined || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
      throw new InvalidParameterValue(`Invalid agent_url of node ${node.uuid}: must be an http(s) URL.`, {
        fields: [{ field: 'driver_internal_info.agent_url', problem: 'must be an http(s) URL' }],
      });
    }
    const token = node.driverInternalInfo.agent_secret_token;
    return {
      base: url as string,
      token: typeof token === 'string' && token !== '' ? token : undefined,
    };
  }

  #url(base: string, path: string): URL {
    return new URL(`${this.#apiVersion}/${path}`, base.endsWith('/') ? base : `${base}/`);
  }

  #log(token: string | undefined): Logger {
    // Redacting costs regular expressions per line: not worth it for lines nobody reads.
    if (this.#logger === noopLogger) return noopLogger;
    return redactingLogger(this.#logger, () => secretsOf(token));
  }

  async #get(
    node: AgentNode,
    base: string,
    path: string,
    token: string | undefined,
    what: string,
    options: AgentCallOptions,
  ): Promise<unknown> {
    const url = this.#url(base, path);
    if (token !== undefined) url.searchParams.set('agent_token', token);
    return agentRequest(this.#transport, {
      method: 'GET',
      url,
      node: node.uuid,
      what,
      timeoutMs: options.timeoutMs ?? this.#transport.requestMs,
      secrets: secretsOf(token),
      signal: options.signal,
    });
  }

  #asResult(node: AgentNode, what: string, json: unknown): AgentCommandResult {
    if (isCommandResult(json)) return json;
    throw new AgentAPIError({
      node: node.uuid,
      status: 200,
      command: what,
      error: 'Invalid agent response: not a command result',
    });
  }
}

function secretsOf(token: string | undefined): string[] {
  return token === undefined ? [] : [token];
}

function positive(field: string, value: number): Array<{ field: string; problem: string }> {
  return Number.isInteger(value) && value > 0 ? [] : [{ field, problem: 'must be a positive integer' }];
}

function withoutUndefined(value: { [key: string]: JsonValue | undefined }): { [key: string]: JsonValue } {
  const out: { [key: string]: JsonValue } = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = v;
  return out;
}

async function sleep(clock: Clock, ms: number, signal: AbortSignal | undefined): Promise<void> {
  try {
    await clock.sleep(ms, signal);
  } catch (e) {
    if (signal?.aborted) throw signal.reason;
    throw e;
  }
}
