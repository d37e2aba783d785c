/**
 * The Ironic Python Agent's REST API v1, as it is on the wire: field names are the agent's
 * (`command_status`, `image_info`, `os_hash_value`…), so that what a user reads here is what
 * the agent's own documentation and logs say.
 */
import type { JsonValue } from '../../contracts/index.js';

/**
 * Where a command is: still running, done, failed, or refused because the agent's hardware
 * managers changed since cleaning started.
 *
 * @example
 * ```ts
 * if (result.command_status === 'RUNNING') await agent.waitForCommand(node, result);
 * ```
 */
export type AgentCommandStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CLEAN_VERSION_MISMATCH';

/**
 * Why a command failed: the agent's serialized error (`type`, `code`, `message`, `details`).
 *
 * @example
 * ```ts
 * const error: AgentCommandError = { type: 'ImageDownloadError', code: 500, message: 'Error downloading image', details: '…' };
 * ```
 */
export interface AgentCommandError {
  /** The agent's error class, for example `ImageChecksumError`. */
  type?: string;
  /** HTTP-like code of the error. */
  code?: number;
  /** Short message. */
  message?: string;
  /** What happened, in detail. */
  details?: string;
  /** Anything else the agent sent. */
  [key: string]: JsonValue | undefined;
}

/**
 * One command the agent ran or runs (`GET /v1/commands/<id>`, an element of `GET /v1/commands`).
 *
 * @example
 * ```ts
 * const result: AgentCommandResult = await agent.executeCommand(node, 'standby.sync', {}, { wait: true });
 * result.command_status; // 'SUCCEEDED'
 * ```
 */
export interface AgentCommandResult<R extends JsonValue = JsonValue> {
  /** The command's id (a UUID the agent gave it). */
  id: string;
  /** Its name: the short name (`prepare_image`) for asynchronous commands, often the full one for synchronous ones. */
  command_name: string;
  /** The parameters it was called with. */
  command_params: { [key: string]: JsonValue };
  /** Where it is. */
  command_status: AgentCommandStatus;
  /** Why it failed, when it did. */
  command_error: AgentCommandError | string | null;
  /** What it returned, when it succeeded. */
  command_result: R | null;
}

/**
 * The image to write (`standby.prepare_image`'s `image_info`), with the agent's field names.
 * `urls` and one checksum (`os_hash_algo` + `os_hash_value`, or the legacy md5 `checksum`)
 * are required by the agent.
 *
 * @example
 * ```ts
 * const image: AgentImageInfo = {
 *   id: 'cirros-0.6.2',
 *   urls: [await images.urlFor(node.instanceInfo.image_source!)],
 *   os_hash_algo: 'sha256',
 *   os_hash_value: '7d6355852aeb6dbcd191bcda7cd74f1536cfe5cbf8a10495a7283a8396e4b75b',
 *   disk_format: 'raw',
 *   stream_raw_images: true,
 *   image_type: 'whole-disk',
 * };
 * ```
 */
export interface AgentImageInfo {
  /** The image's id (Glance id or a name). */
  id: string;
  /** Where to download it, tried in order. */
  urls: string[];
  /** Legacy MD5 checksum (hex). */
  checksum?: string;
  /** Hash algorithm of `os_hash_value` (`sha256`, `sha512`, `md5`). */
  os_hash_algo?: string;
  /** The image's hash (hex). */
  os_hash_value?: string;
  /** `raw`, `qcow2`, … */
  disk_format?: string;
  /** `bare`, … */
  container_format?: string;
  /** Write a raw image to the disk as it downloads instead of caching it first. */
  stream_raw_images?: boolean;
  /** `partition` or `whole-disk` (default whole-disk). */
  image_type?: 'partition' | 'whole-disk';
  /** The node's UUID. */
  node_uuid?: string;
  /** Root partition size in MiB (partition images). */
  root_mb?: number;
  /** Swap size in MiB (partition images). */
  swap_mb?: number;
  /** Ephemeral partition size in MiB (partition images). */
  ephemeral_mb?: number;
  /** Ephemeral file system, or `null`. */
  ephemeral_format?: string | null;
  /** Keep the ephemeral partition (rebuilds). */
  preserve_ephemeral?: boolean;
  /** Config drive (gzip + base64, or a URL) for partition images. */
  configdrive?: string | null;
  /** `local` or `netboot`. */
  boot_option?: 'local' | 'netboot';
  /** `bios` or `uefi`. */
  deploy_boot_mode?: 'bios' | 'uefi';
  /** `msdos` or `gpt`. */
  disk_label?: 'msdos' | 'gpt';
  /** Any other field the agent accepts. */
  [key: string]: JsonValue | undefined;
}

/**
 * A clean step as the agent reports it.
 *
 * @example
 * ```ts
 * const step: AgentCleanStep = { step: 'erase_devices', priority: 10, interface: 'deploy', reboot_requested: false, abortable: true };
 * ```
 */
export interface AgentCleanStep {
  /** Step name. */
  step: string;
  /** Automated-cleaning priority (0: manual only). */
  priority: number;
  /** Ironic interface that owns it (`deploy`, `raid`, …). */
  interface: string;
  /** Whether the node must reboot after it. */
  reboot_requested: boolean;
  /** Whether it may be aborted. */
  abortable: boolean;
  /** Arguments it accepts. */
  argsinfo?: { [key: string]: JsonValue } | null;
  /** Anything else the agent sent. */
  [key: string]: JsonValue | undefined;
}

/**
 * `clean.get_clean_steps`'s result: steps per hardware manager, and the managers' versions
 * (pass them back as `clean_version` to `clean.execute_clean_step`).
 *
 * @example
 * ```ts
 * const { clean_steps, hardware_manager_version } = await agent.getCleanSteps(node, ports);
 * const steps = Object.values(clean_steps).flat();
 * ```
 */
export interface AgentCleanSteps {
  /** Steps by hardware manager name. */
  clean_steps: { [manager: string]: AgentCleanStep[] };
  /** Versions of the hardware managers. */
  hardware_manager_version: { [manager: string]: string };
}

/**
 * `GET /v1/status`.
 *
 * @example
 * ```ts
 * const { version } = await agent.getStatus(node);
 * ```
 */
export interface AgentStatus {
  /** Unix time the agent started. */
  started_at: number;
  /** The agent's version. */
  version: string;
  /** Anything else the agent sent. */
  [key: string]: JsonValue | undefined;
}

/**
 * `standby.get_partition_uuids`'s result.
 *
 * @example
 * ```ts
 * const uuids: AgentPartitionUuids = { 'root uuid': '9b7d…', 'efi system partition uuid': '6A1B-2C3D' };
 * ```
 */
export interface AgentPartitionUuids {
  /** Root file system UUID (partition images) or disk identifier (whole-disk images). */
  'root uuid'?: string;
  /** EFI system partition's volume id (UEFI partition images). */
  'efi system partition uuid'?: string;
  /** Anything else the agent sent. */
  [key: string]: JsonValue | undefined;
}
