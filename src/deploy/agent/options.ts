import type { Dispatcher } from 'undici';
import type { IloConfig } from '../../config/index.js';
import type { Clock, Logger, Node, OperationOptions } from '../../contracts/index.js';
import type { TlsOptions } from '../../store/index.js';

/**
 * Options of {@link AgentClient}. Unset values come from `config`'s `[agent]` section, whose
 * defaults are Ironic's.
 *
 * @example
 * ```ts
 * const options: AgentClientOptions = { config, tls: { ca: readFileSync('/etc/ironic/agent-ca.pem') }, logger };
 * ```
 */
export interface AgentClientOptions {
  /** `[agent] command_timeout`, `max_command_attempts`, `command_wait_attempts`, `command_wait_interval`, `agent_api_version`. */
  config?: IloConfig;
  /** An undici dispatcher to send requests through (a proxy, a `MockAgent`…); it then owns TLS. */
  dispatcher?: Dispatcher;
  /** TLS of `https://` agent URLs: verified against Node's CAs, or `ca`; `insecure` is logged. */
  tls?: TlsOptions;
  /** TCP + TLS connection timeout in milliseconds (default 10 000). */
  connectTimeoutMs?: number;
  /** Bound of one request in milliseconds (default `[agent] command_timeout` × 1000). */
  requestTimeoutMs?: number;
  /** Attempts of a request that could not connect (default `[agent] max_command_attempts`). */
  maxCommandAttempts?: number;
  /** Polls of a command's status before {@link AgentCommandTimeout} (default `[agent] command_wait_attempts`). */
  commandWaitAttempts?: number;
  /** Milliseconds between polls (default `[agent] command_wait_interval` × 1000). */
  commandWaitIntervalMs?: number;
  /** Largest answer read, in bytes (default 64 MiB: `log.collect_system_logs` returns a tarball). */
  maxResponseBytes?: number;
  /** Logger. The agent token and URL signatures never reach it. */
  logger?: Logger;
  /** Time source of the polls. */
  clock?: Clock;
}

/**
 * What the client reads from a node: `driver_internal_info.agent_url` (from the agent's
 * heartbeat) and `driver_internal_info.agent_secret_token` (sent as `agent_token`).
 *
 * @example
 * ```ts
 * const target: AgentNode = { uuid: node.uuid, driverInternalInfo: { agent_url: 'http://10.0.0.23:9999' } };
 * ```
 */
export type AgentNode = Pick<Node, 'uuid' | 'driverInternalInfo'>;

/**
 * Options of one request.
 *
 * @example
 * ```ts
 * await agent.getStatus(node, { timeoutMs: 5_000, signal: task.signal });
 * ```
 */
export interface AgentCallOptions extends OperationOptions {
  /** Bound of the request in milliseconds (default: the client's request timeout). */
  timeoutMs?: number;
}

/**
 * Options of {@link AgentClient.executeCommand}.
 *
 * @example
 * ```ts
 * await agent.executeCommand(node, 'standby.sync', {}, { wait: true });
 * ```
 */
export interface ExecuteCommandOptions extends AgentCallOptions {
  /** Ask the agent to answer only once the command is done (`?wait=true`). */
  wait?: boolean;
  /** Start it, then poll its status until it is done (better for long commands). */
  poll?: boolean;
}

/**
 * Options of {@link AgentClient.waitForCommand}.
 *
 * @example
 * ```ts
 * await agent.waitForCommand(node, started, { intervalMs: 2_000, attempts: 300 });
 * ```
 */
export interface WaitForCommandOptions extends AgentCallOptions {
  /** Milliseconds between polls (default: the client's). */
  intervalMs?: number;
  /** Polls before giving up (default: the client's). */
  attempts?: number;
}

/**
 * Options of {@link AgentClient.prepareImage}.
 *
 * @example
 * ```ts
 * await agent.prepareImage(node, imageInfo, { configdrive: node.instanceInfo.configdrive, wait: true });
 * ```
 */
export interface PrepareImageOptions extends WaitForCommandOptions {
  /** The config drive (gzip + base64, or a URL) of a whole-disk image. */
  configdrive?: string | undefined;
  /** Poll until the image is written (default false: the next heartbeat reports it). */
  wait?: boolean;
}

/**
 * What `image.install_bootloader` needs.
 *
 * @example
 * ```ts
 * const request: InstallBootloaderRequest = { rootUuid, targetBootMode: 'uefi', efiSystemPartUuid };
 * ```
 */
export interface InstallBootloaderRequest {
  /** UUID of the root file system. */
  rootUuid: string;
  /** `bios` or `uefi`. */
  targetBootMode: 'bios' | 'uefi';
  /** The EFI system partition's UUID (UEFI). */
  efiSystemPartUuid?: string | null;
  /** The PReP boot partition's UUID (ppc64). */
  prepBootPartUuid?: string | null;
}

/**
 * Options of {@link AgentClient.startIscsiTarget}.
 *
 * @example
 * ```ts
 * await agent.startIscsiTarget(node, `iqn.2008-10.org.openstack:${node.uuid}`, { wipeDiskMetadata: true });
 * ```
 */
export interface StartIscsiTargetOptions extends AgentCallOptions {
  /** iSCSI portal port (default 3260). */
  portalPort?: number;
  /** Wipe the partition table and file-system signatures first (default false). */
  wipeDiskMetadata?: boolean;
}

/**
 * Options of {@link AgentClient.executeCleanStep}.
 *
 * @example
 * ```ts
 * await agent.executeCleanStep(node, ports, step, { cleanVersion: steps.hardware_manager_version });
 * ```
 */
export interface ExecuteCleanStepOptions extends AgentCallOptions {
  /** The hardware managers' versions `getCleanSteps` reported; a change makes the agent refuse. */
  cleanVersion?: { [manager: string]: string } | null;
}
