import { isGlanceImage, parseInstanceInfo } from '../config/index.js';
import type {
  CleanStep,
  DeployInterface,
  OperationOptions,
  PlannedCleanStep,
  PropertyDescriptions,
  ProvisionState,
  Task,
} from '../contracts/index.js';
import { PowerState, ProvisionState as State } from '../contracts/index.js';
import { type FieldIssue, InstanceDeployFailure } from '../errors/index.js';
import { getBootModeForDeploy } from '../management/index.js';
import { parseImageRef } from '../store/index.js';
import { redactUrl, requireExclusiveLock } from '../util/index.js';
import { agentCommandError, findLatestCommand } from './agent/index.js';
import { agentImageInfo } from './agent-image.js';
import { AgentCleaning } from './cleaning.js';
import { callOf, type DeployContext, type DeployInterfaceOptions, deployContext } from './common/context.js';
import { rebootAndFinishDeploy } from './common/finish.js';
import {
  agentTokenOf,
  ensureAgentToken,
  nodePowerAction,
  prepareNodeForDeploy,
  recordWholeDiskImage,
} from './common/node.js';
import { validateDeploy } from './common/validate.js';
import { type DeployHeartbeatFlow, processHeartbeat } from './heartbeat.js';
import type { AgentHeartbeat, HeartbeatAction, HeartbeatOutcome } from './heartbeat-types.js';
import { isLocalBoot } from './iscsi-deploy.js';
import { agentIloRamdiskParams } from './ramdisk/index.js';

/**
 * Options of {@link AgentDeploy}.
 *
 * @example
 * ```ts
 * const deploy = new AgentDeploy({ boot, power, management, images, agent, config, logger });
 * ```
 */
export type AgentDeployOptions = DeployInterfaceOptions;

/**
 * Ironic's `IloVirtualMediaAgentDeploy` with its vendor interface (agent_ilo): the Ironic Python
 * Agent boots from virtual media, heartbeats, is handed the image (`standby.prepare_image`: it
 * downloads and writes it itself), and once it is done the node gets its boot mode, secure boot
 * and boot device (the disk, or a boot ISO for a netboot partition image, the boot loader
 * installed by the agent for a local-boot one), is powered off by the agent and on through the
 * iLO. In-band cleaning through the agent, with the `erase_devices` priority override.
 *
 * @example
 * ```ts
 * await deploy.prepare(task); // deploying: power off, boot mode, floppy + deploy ISO, one-time CD
 * await deploy.deploy(task); // 'wait call-back'
 * // on every heartbeat of the agent:
 * const { action } = await deploy.heartbeat(task, { agentUrl, agentToken }); // … 'deployed'
 * ```
 */
export class AgentDeploy implements DeployInterface, DeployHeartbeatFlow {
  private readonly ctx: DeployContext;
  private readonly cleaning: AgentCleaning;

  constructor(options: AgentDeployOptions) {
    this.ctx = deployContext(options);
    this.cleaning = new AgentCleaning(this.ctx, (task) => this.ramdiskParams(task));
  }

  /** The boot interface's properties (Ironic's `COMMON_PROPERTIES`). */
  getProperties(): PropertyDescriptions {
    return this.ctx.boot.getProperties();
  }

  /**
   * Ironic's `AgentDeploy.validate`: `image_source` (the agent downloads it: not `file://`), an
   * `image_checksum` for images outside Glance, root device hints, capabilities, then the boot
   * validation; one error for every bad field.
   */
  async validate(task: Task, options: OperationOptions = {}): Promise<void> {
    const ii = task.node.instanceInfo;
    const issues: FieldIssue[] = [];
    const source = typeof ii.image_source === 'string' ? ii.image_source : undefined;
    if (source !== undefined && !isGlanceImage(source)) {
      if (typeof ii.image_checksum !== 'string' || ii.image_checksum === '')
        issues.push({ field: 'instance_info.image_checksum', problem: 'required for images outside Glance' });
      try {
        if (parseImageRef(source).kind === 'file')
          issues.push({
            field: 'instance_info.image_source',
            problem: 'must be a URL the agent can download, not file://',
          });
      } catch {
        // The boot validation names a malformed reference.
      }
    }
    await validateDeploy(task, this.ctx, issues, options);
  }

  /**
   * For a `deploying` node only: power off, secure boot off, boot mode, `is_whole_disk_image`
   * recorded, and (with `[agent] manage_agent_boot`) the ramdisk prepared with the agent's
   * options and a new agent token. Other states: nothing.
   */
  async prepare(task: Task, options: OperationOptions = {}): Promise<void> {
    if (task.node.provisionState !== State.DEPLOYING) return;
    const call = callOf(task, options);
    await prepareNodeForDeploy(task, this.ctx.power, this.ctx.management, call);
    await recordWholeDiskImage(task, this.ctx.images, call);
    if (!this.ctx.config.agent.manageAgentBoot) return;
    await this.ctx.boot.prepareRamdisk(task, await this.ramdiskParams(task), call);
  }

  /** Ironic's `AgentDeploy.deploy`: reboots into the ramdisk; `'wait call-back'`. */
  async deploy(task: Task, options: OperationOptions = {}): Promise<ProvisionState> {
    requireExclusiveLock(task);
    const call = callOf(task, options);
    try {
      await nodePowerAction(task, this.ctx.power, PowerState.REBOOT, call);
    } catch (error) {
      await this.ctx.boot.cleanUpRamdisk(task, call).catch((e: unknown) => {
        this.ctx.logFor(task).warn(`Could not clean up the ramdisk of node ${task.node.uuid}: ${String(e)}`);
      });
      throw error;
    }
    return State.DEPLOYWAIT;
  }

  /** Power off, requested secure boot turned off; `'deleted'`. */
  async tearDown(task: Task, options: OperationOptions = {}): Promise<ProvisionState> {
    requireExclusiveLock(task);
    const call = callOf(task, options);
    await nodePowerAction(task, this.ctx.power, PowerState.OFF, call);
    await this.ctx.management.disableSecureBootIfSupported(task, call);
    return State.DELETED;
  }

  /** The ramdisk's and the instance's boot artefacts removed. */
  async cleanUp(task: Task, options: OperationOptions = {}): Promise<void> {
    const call = callOf(task, options);
    await this.ctx.boot.cleanUpRamdisk(task, call);
    await this.ctx.boot.cleanUpInstance(task, call);
  }

  /** Conductor failover: the floppy (same token) or the boot ISO published again and re-attached when needed. */
  async takeOver(task: Task, options: OperationOptions = {}): Promise<void> {
    if (this.ctx.boot.takeOver === undefined) return;
    const params =
      task.node.provisionState === State.DEPLOYWAIT
        ? agentIloRamdiskParams(task.node, task.ports, this.ctx.config, { agentToken: agentTokenOf(task) })
        : undefined;
    await this.ctx.boot.takeOver(task, params, callOf(task, options));
  }

  /** Power off (bug 1536730), then the agent ramdisk for in-band cleaning; `'clean wait'`. */
  prepareCleaning(task: Task, options: OperationOptions = {}): Promise<ProvisionState> {
    return this.cleaning.prepareCleaning(task, options);
  }

  /** Power off, the cleaning ramdisk's media removed. */
  tearDownCleaning(task: Task, options: OperationOptions = {}): Promise<void> {
    return this.cleaning.tearDownCleaning(task, options);
  }

  /** The agent's `deploy` steps, `erase_devices` overridden (`[ilo] clean_priority_erase_devices`). */
  async getCleanSteps(task: Task): Promise<CleanStep[]> {
    return this.cleaning.getCleanSteps(task);
  }

  /** Starts an agent clean step; `'clean wait'`. */
  executeCleanStep(
    task: Task,
    step: PlannedCleanStep,
    options: OperationOptions = {},
  ): Promise<ProvisionState> {
    return this.cleaning.executeCleanStep(task, step, options);
  }

  /** The agent heartbeat (§7); see `processHeartbeat`. */
  heartbeat(task: Task, beat: AgentHeartbeat, options: OperationOptions = {}): Promise<HeartbeatOutcome> {
    return processHeartbeat(task, beat, this, this.cleaning, this.ctx, options);
  }

  /** Whether the agent ran `standby.prepare_image` since it booted. */
  async deployHasStarted(task: Task, call: OperationOptions): Promise<boolean> {
    const commands = await this.ctx.agent.getCommandsStatus(task.node, call);
    return findLatestCommand(commands, 'standby.prepare_image') !== undefined;
  }

  /** Whether its last command is a `prepare_image` that no longer runs. */
  async deployIsDone(task: Task, call: OperationOptions): Promise<boolean> {
    const last = (await this.ctx.agent.getCommandsStatus(task.node, call)).at(-1);
    if (last === undefined || findLatestCommand([last], 'standby.prepare_image') === undefined) return false;
    return last.command_status !== 'RUNNING';
  }

  /**
   * Ironic's `continue_deploy`: resume, hand the image to the agent (`standby.prepare_image`
   * with a fresh URL, its checksum, the partition layout and the config drive), wait again.
   */
  async continueDeploy(task: Task, call: OperationOptions): Promise<HeartbeatAction> {
    await task.processEvent('resume');
    const info = await agentImageInfo(task, this.ctx, call);
    const configdrive = task.node.instanceInfo.configdrive;
    this.ctx
      .logFor(task)
      .info(`Continuing deploy for node ${task.node.uuid} with image ${redactUrl(info.id)}`);
    await this.ctx.agent.prepareImage(task.node, info, {
      ...call,
      ...(typeof configdrive === 'string' ? { configdrive } : {}),
    });
    await task.processEvent('wait');
    return 'deploy-started';
  }

  /**
   * Ironic's `reboot_to_instance` with the iLO's additions: resume; a failed `prepare_image` is
   * an `InstanceDeployFailure`; boot mode and requested secure boot; for a partition image the
   * root UUID from the agent (`root_uuid_or_disk_id`) and, for local boot, the boot loader; the
   * instance's boot prepared (disk persistent, or the boot ISO); the agent powers the node off,
   * the iLO on. Returns `'deployed'`.
   */
  async rebootToInstance(task: Task, call: OperationOptions): Promise<HeartbeatAction> {
    const node = task.node;
    await task.processEvent('resume');
    const last = (await this.ctx.agent.getCommandsStatus(node, call)).at(-1);
    if (last?.command_status === 'FAILED') {
      throw new InstanceDeployFailure({
        reason: `node ${node.uuid} command status errored: ${agentCommandError(last) ?? 'prepare_image failed'}`,
      });
    }
    await this.ctx.management.updateBootMode(task, call);
    await this.ctx.management.updateSecureBootMode(task, true, call);
    if (!parseInstanceInfo(node).isWholeDiskImage) await this.recordRootUuid(task, call);
    await this.ctx.boot.prepareInstance(task, call);
    await rebootAndFinishDeploy(task, { ...this.ctx, logger: this.ctx.logFor(task) }, call);
    return 'deployed';
  }

  private async recordRootUuid(task: Task, call: OperationOptions): Promise<void> {
    const node = task.node;
    const uuids = await this.ctx.agent.getPartitionUuids(node, call);
    const rootUuid = uuids['root uuid'];
    if (typeof rootUuid !== 'string' || rootUuid === '') {
      throw new InstanceDeployFailure({
        reason: `Couldn't determine the UUID of the root partition after deploying the node ${node.uuid}`,
      });
    }
    node.driverInternalInfo = { ...node.driverInternalInfo, root_uuid_or_disk_id: rootUuid };
    await task.save();
    if (!isLocalBoot(task)) return;
    const bootMode = getBootModeForDeploy(node) ?? 'bios';
    const efi = uuids['efi system partition uuid'];
    await this.ctx.agent.installBootloader(
      node,
      { rootUuid, targetBootMode: bootMode, efiSystemPartUuid: typeof efi === 'string' ? efi : null },
      call,
    );
  }

  private async ramdiskParams(task: Task) {
    return agentIloRamdiskParams(task.node, task.ports, this.ctx.config, {
      agentToken: await ensureAgentToken(task),
    });
  }
}
