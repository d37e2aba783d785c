import { type IloConfig, instanceCapabilities } from '../../config/index.js';
import type { BootMode, Node, Port, RamdiskParams } from '../../contracts/index.js';
import { InvalidParameterValue } from '../../errors/index.js';
import { ironicApiUrl } from './api-url.js';
import { formatRootDeviceHints } from './root-device.js';

/**
 * The options every Ironic Python Agent ramdisk gets (Ironic's `build_agent_options`), with the
 * optional agent token of later releases.
 *
 * @example
 * ```ts
 * const opts: AgentRamdiskOptions = buildAgentOptions(node, config);
 * opts['ipa-api-url']; // 'http://10.0.0.1:6385'
 * ```
 */
export interface AgentRamdiskOptions {
  /** `[conductor] api_url` without its trailing `/`. */
  'ipa-api-url': string;
  /** The node's driver (`agent_ilo`, `iscsi_ilo`, …): the ramdisk looks its node up through it. */
  'ipa-driver-name': string;
  /** Always 0: keeps CoreOS-based ramdisks from looking for a config drive (Ironic bug 1433812). */
  'coreos.configdrive': 0;
  /** Root device hints (see {@link formatRootDeviceHints}), only when the node has some. */
  root_device?: string;
  /** The pre-generated agent token, only when one is given. A secret. */
  'ipa-agent-token'?: string;
}

/**
 * The options of the bash deploy ramdisk (Ironic's `build_deploy_ramdisk_options`) for
 * iscsi_ilo.
 *
 * @example
 * ```ts
 * const opts: DeployRamdiskOptions = buildDeployRamdiskOptions(node, config, { deployKey, bootMode: 'uefi' });
 * opts.iscsi_target_iqn; // 'iqn.2008-10.org.openstack:<node uuid>'
 * ```
 */
export interface DeployRamdiskOptions {
  /** The node's UUID. */
  deployment_id: string;
  /** The deploy key the ramdisk echoes back in `pass_deploy_info`. A secret. */
  deployment_key: string;
  /** `iqn.2008-10.org.openstack:<node uuid>`: the IQN the ramdisk exposes the disk as. */
  iscsi_target_iqn: string;
  /** `[conductor] api_url` without its trailing `/`. */
  ironic_api_url: string;
  /** `[pxe] disk_devices`: the disks the ramdisk tries, in order. */
  disk: string;
  /** `local` or `netboot`; always `netboot` for a whole-disk image (the ramdisk installs no boot loader then). */
  boot_option: 'local' | 'netboot';
  /** The deploy's boot mode, `bios` when none is decided. */
  boot_mode: BootMode;
  /** Always 0 (Ironic bug 1433812). */
  'coreos.configdrive': 0;
  /** Root device hints, only when the node has some. */
  root_device?: string;
}

/**
 * Options of {@link buildAgentOptions} and {@link agentIloRamdiskParams}.
 *
 * @example
 * ```ts
 * const options: AgentOptionsInput = { agentToken: node.driverInternalInfo.agent_secret_token, bootMethod: 'vmedia' };
 * ```
 */
export interface AgentOptionsInput {
  /** A pre-generated agent token to hand the ramdisk as `ipa-agent-token` (see `generateAgentToken`). */
  agentToken?: string | undefined;
  /** `vmedia` adds `boot_method=vmedia` (later Ironic's virtual-media boot interfaces do). */
  bootMethod?: 'vmedia' | undefined;
}

/**
 * Options of {@link buildDeployRamdiskOptions} and {@link iscsiIloRamdiskParams}.
 *
 * @example
 * ```ts
 * const options: DeployOptionsInput = { deployKey: generateDeployKey(), bootMode: getBootModeForDeploy(node) };
 * ```
 */
export interface DeployOptionsInput extends AgentOptionsInput {
  /** The deploy key (see `generateDeployKey`), also to be stored in `instance_info.deploy_key`. */
  deployKey: string;
  /** The boot mode of the deploy (Ironic's `get_boot_mode_for_deploy`); `null` means `bios`. */
  bootMode: BootMode | null;
}

/**
 * The node fields the ramdisk parameter builders read.
 *
 * @example
 * ```ts
 * const node: RamdiskNode = { uuid, driver: 'agent_ilo', instanceInfo: {}, driverInternalInfo: {}, properties: {} };
 * ```
 */
export type RamdiskNode = Pick<
  Node,
  'uuid' | 'driver' | 'instanceInfo' | 'driverInternalInfo' | 'properties'
>;

/**
 * Ironic's `build_agent_options`: `ipa-api-url`, `ipa-driver-name`, `coreos.configdrive=0`,
 * `root_device` when the node has hints, and `ipa-agent-token` when a token is given. Pure: reads
 * the node and the configuration, changes nothing. Throws `MissingParameterValue` without
 * `[conductor] api_url`, `InvalidParameterValue` for bad root device hints.
 *
 * @example
 * ```ts
 * buildAgentOptions(node, parseConfig({ conductor: { apiUrl: 'http://10.0.0.1:6385/' } }));
 * // { 'ipa-api-url': 'http://10.0.0.1:6385', 'ipa-driver-name': 'agent_ilo', 'coreos.configdrive': 0 }
 * ```
 */
export function buildAgentOptions(
  node: RamdiskNode,
  config: IloConfig,
  options: AgentOptionsInput = {},
): AgentRamdiskOptions {
  const out: AgentRamdiskOptions = {
    'ipa-api-url': ironicApiUrl(config),
    'ipa-driver-name': node.driver,
    'coreos.configdrive': 0,
  };
  const rootDevice = formatRootDeviceHints(node);
  if (rootDevice !== undefined) out.root_device = rootDevice;
  if (options.agentToken !== undefined) out['ipa-agent-token'] = checkedToken(options.agentToken);
  return out;
}

/**
 * Ironic's `build_deploy_ramdisk_options` for the bash deploy ramdisk of iscsi_ilo:
 * `deployment_id`, `deployment_key`, `iscsi_target_iqn`, `ironic_api_url`, `disk`,
 * `boot_option`, `boot_mode`, `coreos.configdrive=0` and `root_device`. Pure: the caller
 * generates the key and stores it in `instance_info.deploy_key`, as Ironic did in the same step.
 *
 * @example
 * ```ts
 * const deployKey = generateDeployKey();
 * const opts = buildDeployRamdiskOptions(node, config, { deployKey, bootMode: 'bios' });
 * node.instanceInfo.deploy_key = deployKey;
 * await task.save();
 * ```
 */
export function buildDeployRamdiskOptions(
  node: RamdiskNode,
  config: IloConfig,
  options: DeployOptionsInput,
): DeployRamdiskOptions {
  const apiUrl = ironicApiUrl(config);
  if (typeof options.deployKey !== 'string' || !/^[A-Za-z0-9]{16,}$/.test(options.deployKey)) {
    throw new InvalidParameterValue('The deploy key must be at least 16 letters and digits.', {
      fields: [
        { field: 'deployKey', problem: 'must be at least 16 letters and digits (see generateDeployKey)' },
      ],
    });
  }
  const requested = instanceCapabilities(node.instanceInfo).boot_option?.toLowerCase();
  const wholeDisk = node.driverInternalInfo.is_whole_disk_image === true;
  const out: DeployRamdiskOptions = {
    deployment_id: node.uuid,
    deployment_key: options.deployKey,
    iscsi_target_iqn: `iqn.2008-10.org.openstack:${node.uuid}`,
    ironic_api_url: apiUrl,
    disk: config.pxe.diskDevices,
    boot_option: requested === 'local' && !wholeDisk ? 'local' : 'netboot',
    boot_mode: options.bootMode ?? 'bios',
    'coreos.configdrive': 0,
  };
  const rootDevice = formatRootDeviceHints(node);
  if (rootDevice !== undefined) out.root_device = rootDevice;
  return out;
}

/**
 * Ironic's `get_single_nic_with_vif_port_id`: the MAC address of the first port whose
 * `extra.vif_port_id` is set (the port on the provisioning network), or `undefined`.
 *
 * @example
 * ```ts
 * getBootIf([{ uuid: 'p1', address: '52:54:00:12:34:56', extra: { vif_port_id: 'vif-1' } }]); // '52:54:00:12:34:56'
 * ```
 */
export function getBootIf(ports: readonly Pick<Port, 'address' | 'extra'>[]): string | undefined {
  const port = ports.find((p) => {
    const vif = p.extra?.vif_port_id;
    return vif !== undefined && vif !== null && vif !== '';
  });
  return port?.address;
}

/**
 * The virtual floppy's parameters for agent_ilo (Mitaka's `IloVirtualMediaBoot.prepare_ramdisk`
 * with `build_agent_options`): `ipa-api-url`, `ipa-driver-name`, `coreos.configdrive`,
 * `root_device`, `BOOTIF` (left out when no port has a VIF, as later Ironic does, rather than
 * Mitaka's `BOOTIF=None`), and `ipa-agent-token` / `boot_method` when asked for.
 *
 * @example
 * ```ts
 * const params = agentIloRamdiskParams(task.node, task.ports, config, { agentToken });
 * const floppy = await publishFloppy(store, task.node.uuid, params, { ttlSeconds: 900 });
 * ```
 */
export function agentIloRamdiskParams(
  node: RamdiskNode,
  ports: readonly Pick<Port, 'address' | 'extra'>[],
  config: IloConfig,
  options: AgentOptionsInput = {},
): RamdiskParams {
  return withBootIf({ ...buildAgentOptions(node, config, options) }, ports, options);
}

/**
 * The virtual floppy's parameters for iscsi_ilo: {@link buildDeployRamdiskOptions}, then
 * {@link buildAgentOptions} (the same ramdisk may be the bash one or the agent), then `BOOTIF`,
 * in that order, as Ironic merged them.
 *
 * @example
 * ```ts
 * const deployKey = generateDeployKey();
 * const params = iscsiIloRamdiskParams(task.node, task.ports, config, { deployKey, bootMode: 'bios' });
 * task.node.instanceInfo.deploy_key = deployKey;
 * await task.save();
 * ```
 */
export function iscsiIloRamdiskParams(
  node: RamdiskNode,
  ports: readonly Pick<Port, 'address' | 'extra'>[],
  config: IloConfig,
  options: DeployOptionsInput,
): RamdiskParams {
  const merged = {
    ...buildDeployRamdiskOptions(node, config, options),
    ...buildAgentOptions(node, config, options),
  };
  return withBootIf(merged, ports, options);
}

function withBootIf(
  params: Record<string, string | number>,
  ports: readonly Pick<Port, 'address' | 'extra'>[],
  options: AgentOptionsInput,
): RamdiskParams {
  const out: RamdiskParams = { ...params };
  const bootIf = getBootIf(ports);
  if (bootIf !== undefined) out.BOOTIF = bootIf;
  if (options.bootMethod !== undefined) out.boot_method = options.bootMethod;
  return out;
}

function checkedToken(token: string): string {
  if (typeof token !== 'string' || !/^[A-Za-z0-9_-]{16,}$/.test(token)) {
    throw new InvalidParameterValue('The agent token must be at least 16 URL-safe characters.', {
      fields: [
        { field: 'agentToken', problem: 'must be at least 16 URL-safe characters (see generateAgentToken)' },
      ],
    });
  }
  return token;
}
