import type { PowerState, ProvisionState } from './states.js';

/** A JSON value as stored in a node's free-form dictionaries. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * `node.driver_info`: how to reach and drive the BMC. Keys keep Ironic's names because they are
 * the data an operator already has; {@link parseDriverInfo} turns them into a typed, camel-cased
 * object.
 */
export interface DriverInfo {
  /** IP address or hostname of the iLO. Required. */
  ilo_address?: string;
  /** Username for the iLO with administrator privileges. Required. */
  ilo_username?: string;
  /** Password for `ilo_username`. Required. Never logged. */
  ilo_password?: string;
  /** Port for iLO operations (default `[ilo] client_port`, 443). */
  client_port?: number | string;
  /** Timeout in seconds for iLO operations (default `[ilo] client_timeout`, 60). */
  client_timeout?: number | string;
  /** The node's UDP port for console access. */
  console_port?: number | string;
  /** The deploy ISO: a Glance image id or an HTTP(S) URL. Required by the virtual-media drivers. */
  ilo_deploy_iso?: string;
  /** New iLO password, consumed by the `reset_ilo_credential` clean step. */
  ilo_change_password?: string;
  /** CA bundle path used to verify the iLO's certificate. */
  ca_file?: string;
  /** `'True'`, `'False'` or a CA bundle path. */
  ilo_verify_ca?: string | boolean;
  /** Deploy kernel reference (pxe_ilo). */
  deploy_kernel?: string;
  /** Deploy ramdisk reference (pxe_ilo). */
  deploy_ramdisk?: string;
  /** Any other key the embedder stores. */
  [key: string]: JsonValue | undefined;
}

/** `node.instance_info`: what to deploy. Keys keep Ironic's names. */
export interface InstanceInfo {
  /** The image to deploy: a Glance id or an HTTP(S)/file URL. */
  image_source?: string;
  /** Kernel of a partition image (non-Glance images). */
  kernel?: string;
  /** Ramdisk of a partition image (non-Glance images). */
  ramdisk?: string;
  /** A boot ISO supplied by the user, or the one the driver built and attached. */
  ilo_boot_iso?: string;
  /** The boot mode chosen for this deploy (`bios` or `uefi`). */
  deploy_boot_mode?: string;
  /** Requested capabilities (`boot_option`, `boot_mode`, `secure_boot`, …) as a dict or JSON text. */
  capabilities?: string | { [key: string]: JsonValue };
  /** The random key the bash deploy ramdisk echoes back in `pass_deploy_info`. */
  deploy_key?: string;
  /** Root partition size in GiB (partition images). */
  root_gb?: number | string;
  /** Swap partition size in MiB. */
  swap_mb?: number | string;
  /** Ephemeral partition size in GiB. */
  ephemeral_gb?: number | string;
  /** Checksum of `image_source` (md5 hex, or `sha256:`/`sha512:` prefixed). */
  image_checksum?: string;
  /** gzip + base64 config drive, or a URL to one. */
  configdrive?: string;
  /** Any other key the embedder stores. */
  [key: string]: JsonValue | undefined;
}

/** `node.driver_internal_info`: state the drivers keep between calls. */
export interface DriverInternalInfo {
  /** Whether `image_source` is a whole-disk image. */
  is_whole_disk_image?: boolean;
  /** Root partition UUID (partition image) or disk identifier (whole disk) after a deploy. */
  root_uuid_or_disk_id?: string;
  /** Set when the boot ISO was built on this conductor's web server (so take-over rebuilds it). */
  boot_iso_created_in_web_server?: boolean;
  /** Base URL of the deploy agent, from its last heartbeat. */
  agent_url?: string;
  /** Unix time of the agent's last heartbeat. */
  agent_last_heartbeat?: number;
  /** The token the agent must present and is sent back as `agent_token`. Never logged. */
  agent_secret_token?: string;
  /** The ordered clean steps of the cleaning under way. */
  clean_steps?: JsonValue[];
  /** Any other key the drivers store. */
  [key: string]: JsonValue | undefined;
}

/** `node.properties`: the node's hardware as discovered or declared. */
export interface NodeProperties {
  /** Capabilities as Ironic's `"k1:v1,k2:v2"` string. */
  capabilities?: string;
  /** RAM in MiB. */
  memory_mb?: number;
  /** Local disk size in GiB. */
  local_gb?: number;
  /** Number of CPUs. */
  cpus?: number;
  /** CPU architecture, for example `x86_64`. */
  cpu_arch?: string;
  /** Root device hints (`size`, `serial`, `wwn`, …). */
  root_device?: { [key: string]: JsonValue };
  /** Any other key the embedder stores. */
  [key: string]: JsonValue | undefined;
}

/**
 * A bare-metal node as the embedder stores it. The library never persists it; it reads and
 * updates the object it is handed and calls {@link Task.save} when a change must be kept.
 *
 * @example
 * ```ts
 * const node: Node = {
 *   uuid: '1be26c0b-03f2-4d2e-ae87-c02d7f33c123',
 *   driver: 'agent_ilo',
 *   driverInfo: { ilo_address: '10.0.0.5', ilo_username: 'admin', ilo_password: process.env.ILO_PASSWORD },
 *   instanceInfo: {},
 *   driverInternalInfo: {},
 *   properties: {},
 *   provisionState: 'manageable',
 *   powerState: null,
 *   maintenance: false,
 * };
 * ```
 */
export interface Node {
  /** The node's UUID. */
  uuid: string;
  /** Optional human-readable name. */
  name?: string;
  /** Name of the driver that manages it (`iscsi_ilo`, `agent_ilo`, `pxe_ilo`). */
  driver: string;
  /** BMC access settings. */
  driverInfo: DriverInfo;
  /** What to deploy. */
  instanceInfo: InstanceInfo;
  /** Driver-private state. */
  driverInternalInfo: DriverInternalInfo;
  /** Hardware properties and capabilities. */
  properties: NodeProperties;
  /** Free-form data of the embedder. */
  extra?: { [key: string]: JsonValue };
  /** UUID of the instance deployed on it, if any. */
  instanceUuid?: string | null;
  /** Current provision state. */
  provisionState: ProvisionState;
  /** Target provision state while a transition is under way. */
  targetProvisionState?: ProvisionState | null;
  /** Last known power state, `null` when unknown. */
  powerState: PowerState | null;
  /** Target power state while a power action is under way. */
  targetPowerState?: PowerState | null;
  /** Whether the node is in maintenance mode. */
  maintenance: boolean;
  /** Why it is in maintenance. */
  maintenanceReason?: string | null;
  /** The current clean step, while cleaning. */
  cleanStep?: { [key: string]: JsonValue } | null;
  /** The last error recorded against the node. */
  lastError?: string | null;
  /** Whether the serial console is enabled. */
  consoleEnabled?: boolean;
}

/**
 * A network port of a node (one NIC, identified by MAC address).
 *
 * @example
 * ```ts
 * const port: Port = { uuid: 'c9b2…', address: '52:54:00:12:34:56', extra: { vif_port_id: 'vif-1' } };
 * ```
 */
export interface Port {
  /** The port's UUID. */
  uuid: string;
  /** MAC address, lower-case, colon separated. */
  address: string;
  /** Free-form data; `vif_port_id` marks the port the deploy network uses (`BOOTIF`). */
  extra?: { [key: string]: JsonValue };
  /** Whether the port may PXE boot. */
  pxeEnabled?: boolean;
  /** Switch connection information. */
  localLinkConnection?: { [key: string]: JsonValue };
}
