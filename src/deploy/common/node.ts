/** What every deploy interface does to a node before and around a deploy. */
import { timingSafeEqual } from 'node:crypto';
import type { BootMode, OperationOptions, PowerInterface, Task } from '../../contracts/index.js';
import { PowerState } from '../../contracts/index.js';
import type { IloManagement } from '../../management/index.js';
import type { ImageService } from '../../store/index.js';
import { generateAgentToken } from '../ramdisk/index.js';

/**
 * What the deploy interfaces need from the management interface: the boot device, and the
 * deploy-time boot-mode and secure-boot rules of `IloManagement`.
 *
 * @example
 * ```ts
 * const management: DeployManagement = new IloManagement({ config, clients, logger });
 * ```
 */
export type DeployManagement = Pick<
  IloManagement,
  | 'setBootDevice'
  | 'prepareBootModeForDeploy'
  | 'updateBootMode'
  | 'updateSecureBootMode'
  | 'disableSecureBootIfSupported'
>;

/**
 * Ironic's `_prepare_node_for_deploy`: power off (boot mode and secure boot cannot change while
 * the server is in POST), then secure boot off and the deploy's boot mode requested. Returns the
 * boot mode.
 */
export async function prepareNodeForDeploy(
  task: Task,
  power: Pick<PowerInterface, 'getPowerState' | 'setPowerState' | 'reboot'>,
  management: DeployManagement,
  options: OperationOptions,
): Promise<BootMode> {
  await nodePowerAction(task, power, PowerState.OFF, options);
  return management.prepareBootModeForDeploy(task, options);
}

/**
 * Records `driver_internal_info.is_whole_disk_image` when the embedder has not (Ironic's
 * conductor did it when the deploy started), asking the image service for Glance images.
 */
export async function recordWholeDiskImage(
  task: Task,
  images: Pick<ImageService, 'isWholeDiskImage'>,
  options: OperationOptions,
): Promise<void> {
  if (typeof task.node.driverInternalInfo.is_whole_disk_image === 'boolean') return;
  const whole = await images.isWholeDiskImage(task.node.instanceInfo, options);
  if (whole === undefined) return;
  task.node.driverInternalInfo = { ...task.node.driverInternalInfo, is_whole_disk_image: whole };
  await task.save();
}

/** The node's agent token, made and saved first if it has none (handed to the ramdisk as `ipa-agent-token`). */
export async function ensureAgentToken(task: Task): Promise<string> {
  const existing = task.node.driverInternalInfo.agent_secret_token;
  if (typeof existing === 'string' && existing !== '') return existing;
  const token = generateAgentToken();
  task.node.driverInternalInfo = { ...task.node.driverInternalInfo, agent_secret_token: token };
  await task.save();
  return token;
}

/** The token the node's ramdisk already holds, if any (take-over keeps it). */
export function agentTokenOf(task: Pick<Task, 'node'>): string | undefined {
  const token = task.node.driverInternalInfo.agent_secret_token;
  return typeof token === 'string' && token !== '' ? token : undefined;
}

/** Forgets the agent's URL and token once its ramdisk is gone (the end of a deploy or cleaning). Does not save. */
export function forgetAgent(task: Pick<Task, 'node'>): void {
  const dii = { ...task.node.driverInternalInfo };
  delete dii.agent_url;
  delete dii.agent_secret_token;
  delete dii.agent_last_heartbeat;
  delete dii.agent_version;
  task.node.driverInternalInfo = dii;
}

/** Compares two secrets in constant time. */
export function sameSecret(given: unknown, expected: unknown): boolean {
  if (typeof given !== 'string' || typeof expected !== 'string' || expected === '') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Ironic's `node_power_action`: for a target other than a reboot the power is read first and
 * nothing is done when the node is already there; `node.powerState` records the result (not
 * saved).
 */
export async function nodePowerAction(
  task: Task,
  power: Pick<PowerInterface, 'getPowerState' | 'setPowerState' | 'reboot'>,
  target: typeof PowerState.ON | typeof PowerState.OFF | typeof PowerState.REBOOT,
  options: OperationOptions,
): Promise<void> {
  if (target === PowerState.REBOOT) {
    await power.reboot(task, options);
  } else if ((await power.getPowerState(task, options)) !== target) {
    task.node.targetPowerState = target;
    await power.setPowerState(task, target, options);
  }
  task.node.powerState = target === PowerState.OFF ? PowerState.OFF : PowerState.ON;
  task.node.targetPowerState = null;
}
