import { z } from 'zod';

const port = z.number().int().min(1).max(65535);
const priority = z.number().int().min(0);

/** `[ilo]`: names and defaults of ironic.conf, camel-cased. */
export const iloSectionSchema = z
  .object({
    /** `client_timeout`: seconds for an iLO operation. */
    clientTimeout: z.number().int().min(1).default(60),
    /** `client_port`: iLO HTTPS port. */
    clientPort: port.default(443),
    /** `swift_ilo_container`: Swift container for floppies and boot ISOs. */
    swiftIloContainer: z.string().min(1).default('ironic_ilo_container'),
    /** `swift_object_expiry_timeout`: seconds before a temporary object and its temp URL expire. */
    swiftObjectExpiryTimeout: z.number().int().min(1).default(900),
    /** `use_web_server_for_images`: publish images on `[deploy] http_root` instead of Swift. */
    useWebServerForImages: z.boolean().default(false),
    /** `power_retry`: polls before a power action is declared failed. */
    powerRetry: z.number().int().min(0).default(6),
    /** `power_wait`: seconds between power polls. */
    powerWait: z.number().min(0).default(2),
    /** `clean_priority_reset_ilo` (0 disables; Mitaka default). */
    cleanPriorityResetIlo: priority.default(0),
    /** `clean_priority_reset_bios_to_default`. */
    cleanPriorityResetBiosToDefault: priority.default(10),
    /** `clean_priority_reset_secure_boot_keys_to_default`. */
    cleanPriorityResetSecureBootKeysToDefault: priority.default(20),
    /** `clean_priority_clear_secure_boot_keys`. */
    cleanPriorityClearSecureBootKeys: priority.default(0),
    /** `clean_priority_reset_ilo_credential`. */
    cleanPriorityResetIloCredential: priority.default(30),
    /** `clean_priority_erase_devices`: unset keeps the agent's priority, 0 disables. */
    cleanPriorityEraseDevices: priority.optional(),
    /** `ca_file`: CA bundle that signs the iLOs' certificates. */
    caFile: z.string().min(1).optional(),
    /** `verify_ca`: `'True'`, `'False'` or a CA bundle path. */
    verifyCa: z.string().min(1).default('True'),
    /** `default_boot_mode`: used when nothing else decides the boot mode. */
    defaultBootMode: z.enum(['auto', 'bios', 'uefi']).default('auto'),
    /** `file_permission`: mode of files published on the web server. */
    filePermission: z.number().int().min(0).max(0o777).default(0o644),
  })
  .strict();

/** `[deploy]`. */
export const deploySectionSchema = z
  .object({
    /** `http_url`: base URL of the conductor's web server, for example `http://192.1.2.3:8080/`. */
    httpUrl: z.url().optional(),
    /** `http_root`: directory that web server serves. */
    httpRoot: z.string().min(1).default('/httpboot'),
    /** `erase_devices_priority`: priority of the agent's `erase_devices` step. */
    eraseDevicesPriority: priority.optional(),
    /** `erase_devices_iterations`. */
    eraseDevicesIterations: z.number().int().min(0).default(1),
  })
  .strict();

/** `[glance]`: how Glance images are reached through Swift temp URLs. */
export const glanceSectionSchema = z
  .object({
    /** `swift_temp_url_key`: secret key of Glance's Swift account. Never logged. */
    swiftTempUrlKey: z.string().min(1).optional(),
    /** `swift_temp_url_duration`: seconds a Glance temp URL stays valid. */
    swiftTempUrlDuration: z.number().int().min(0).default(1200),
    /** `swift_temp_url_cache_enabled`. */
    swiftTempUrlCacheEnabled: z.boolean().default(false),
    /** `swift_temp_url_expected_download_start_delay`. */
    swiftTempUrlExpectedDownloadStartDelay: z.number().int().min(0).default(0),
    /** `swift_endpoint_url`, for example `https://swift.example.com`. */
    swiftEndpointUrl: z.url().optional(),
    /** `swift_api_version`. */
    swiftApiVersion: z.string().min(1).default('v1'),
    /** `swift_account`, for example `AUTH_a422b2-91f3-2f46-74b7-d7c9e8958f5d30`. */
    swiftAccount: z.string().min(1).optional(),
    /** `swift_container`. */
    swiftContainer: z.string().min(1).default('glance'),
    /** `swift_store_multiple_containers_seed`. */
    swiftStoreMultipleContainersSeed: z.number().int().min(0).max(32).default(0),
    /** `temp_url_endpoint_type`. */
    tempUrlEndpointType: z.enum(['swift', 'radosgw']).default('swift'),
    /** `glance_host`. */
    glanceHost: z.string().min(1).optional(),
    /** `glance_port`. */
    glancePort: port.default(9292),
    /** `glance_protocol`. */
    glanceProtocol: z.enum(['http', 'https']).default('http'),
    /** `glance_api_servers`: list of `[scheme://]host:port` (comma separated in ironic.conf). */
    glanceApiServers: z.array(z.string().min(1)).optional(),
    /** `glance_api_insecure`. */
    glanceApiInsecure: z.boolean().default(false),
    /** `glance_num_retries`. */
    glanceNumRetries: z.number().int().min(0).default(0),
    /** `auth_strategy`. */
    authStrategy: z.enum(['keystone', 'noauth']).default('keystone'),
    /** `glance_cafile`. */
    glanceCafile: z.string().min(1).optional(),
  })
  .strict();

/** `[swift]`. */
export const swiftSectionSchema = z
  .object({
    /** `swift_max_retries`: retries of idempotent Swift requests. */
    swiftMaxRetries: z.number().int().min(0).default(2),
  })
  .strict();

/** `[conductor]`. */
export const conductorSectionSchema = z
  .object({
    /** `api_url`: the Ironic API the ramdisk calls back (`ipa-api-url`). */
    apiUrl: z.url().optional(),
    /** `soft_power_off_timeout`: seconds a soft power off or soft reboot may take. */
    softPowerOffTimeout: z.number().int().min(1).default(600),
    /** `deploy_callback_timeout`: seconds a node may wait for its deploy ramdisk to call back (0: forever). */
    deployCallbackTimeout: z.number().int().min(0).default(1800),
  })
  .strict();

/** `[pxe]`. */
export const pxeSectionSchema = z
  .object({
    /** `pxe_append_params`: kernel parameters of built boot ISOs. */
    pxeAppendParams: z.string().default('nofb nomodeset vga=normal'),
    /** `disk_devices`: candidate disks for the bash deploy ramdisk. */
    diskDevices: z.string().min(1).default('cciss/c0d0,sda,hda,vda'),
  })
  .strict();

/** `[agent]`. */
export const agentSectionSchema = z
  .object({
    /** `manage_agent_boot`: whether the driver boots the agent ramdisk. */
    manageAgentBoot: z.boolean().default(true),
    /** `agent_api_version`: the agent API version in command URLs. */
    agentApiVersion: z.literal('v1').default('v1'),
    /** `command_timeout`: seconds an HTTP request to the agent may take. */
    commandTimeout: z.number().int().min(1).default(60),
    /** `max_command_attempts`: attempts of an agent request that could not connect. */
    maxCommandAttempts: z.number().int().min(1).default(3),
    /** `command_wait_attempts`: polls of a command's status before giving up on it. */
    commandWaitAttempts: z.number().int().min(1).default(100),
    /** `command_wait_interval`: seconds between those polls. */
    commandWaitInterval: z.number().min(0).default(6),
    /** `heartbeat_timeout`: seconds the agent waits between heartbeats at most (told at lookup). */
    heartbeatTimeout: z.number().int().min(1).default(300),
    /** `post_deploy_get_power_state_retries`: polls for the node to power off after `standby.power_off`. */
    postDeployGetPowerStateRetries: z.number().int().min(0).default(6),
    /** `post_deploy_get_power_state_retry_interval`: seconds between those polls. */
    postDeployGetPowerStateRetryInterval: z.number().min(0).default(5),
  })
  .strict();

/** `[DEFAULT]`: the image-building options. */
export const defaultSectionSchema = z
  .object({
    /** `tempdir`: where temporary images are written (default: the OS temp dir). */
    tempdir: z.string().min(1).optional(),
    /**
     * `isolinux_bin`. Ironic's default was `/usr/lib/syslinux/isolinux.bin`; this library
     * defaults to the path of Debian's `isolinux` package.
     */
    isolinuxBin: z.string().min(1).default('/usr/lib/ISOLINUX/isolinux.bin'),
    /** `ldlinux_c32`: needed by syslinux 5 and later (Debian's `syslinux-common` path). */
    ldlinuxC32: z.string().min(1).default('/usr/lib/syslinux/modules/bios/ldlinux.c32'),
  })
  .strict();

/** The whole configuration: every section optional, every option defaulted as in ironic.conf. */
export const iloConfigSchema = z
  .object({
    /** `[ilo]`. */
    ilo: iloSectionSchema.prefault({}),
    /** `[deploy]`. */
    deploy: deploySectionSchema.prefault({}),
    /** `[glance]`. */
    glance: glanceSectionSchema.prefault({}),
    /** `[swift]`. */
    swift: swiftSectionSchema.prefault({}),
    /** `[conductor]`. */
    conductor: conductorSectionSchema.prefault({}),
    /** `[pxe]`. */
    pxe: pxeSectionSchema.prefault({}),
    /** `[agent]`. */
    agent: agentSectionSchema.prefault({}),
    /** `[DEFAULT]`. */
    default: defaultSectionSchema.prefault({}),
  })
  .strict();

/**
 * The parsed configuration, every option present (defaults filled in).
 *
 * @interface
 * @example
 * ```ts
 * const config: IloConfig = parseConfig({ ilo: { useWebServerForImages: true } });
 * config.ilo.powerRetry; // 6
 * ```
 */
export type IloConfig = z.output<typeof iloConfigSchema>;

/**
 * What {@link parseConfig} accepts: any subset of the options.
 *
 * @interface
 * @example
 * ```ts
 * const input: IloConfigInput = { deploy: { httpUrl: 'http://10.0.0.1:8080/', httpRoot: '/srv/http' } };
 * ```
 */
export type IloConfigInput = z.input<typeof iloConfigSchema>;

/** The section names of {@link IloConfig}. */
export type IloConfigSection = keyof IloConfig;
