import { instanceCapabilities } from '../config/index.js';
import type {
  BootMode,
  CleanStep,
  DeployInterface,
  JsonValue,
  OperationOptions,
  PlannedCleanStep,
  PowerInterface,
  PropertyDescriptions,
  ProvisionState,
  RamdiskParams,
  Task,
} from '../contracts/index.js';
import { PowerState, ProvisionState as State } from '../contracts/index.js';
import {
  InstanceDeployFailure,
  InvalidStateRequested,
  IronicIloError,
  NotSupported,
} from '../errors/index.js';
import { getBootModeForDeploy } from '../management/index.js';
import { requireExclusiveLock } from '../util/index.js';
import { AgentCleaning } from './cleaning.js';
import { callOf, type DeployContext, type DeployInterfaceOptions, deployContext } from './common/context.js';
import { setFailedState } from './common/failure.js';
import { rebootAndFinishDeploy } from './common/finish.js';
import { InstanceImageCache } from './common/image-cache.js';
import {
  agentTokenOf,
  type DeployManagement,
  ensureAgentToken,
  forgetAgent,
  nodePowerAction,
  prepareNodeForDeploy,
  recordWholeDiskImage,
} from './common/node.js';
import { portIssues, validateDeploy } from './common/validate.js';
import { type DeployHeartbeatFlow, processHeartbeat } from './heartbeat.js';
import type { AgentHeartbeat, HeartbeatAction, HeartbeatOutcome } from './heartbeat-types.js';
import type { DiskWriter } from './iscsi/index.js';
import { checkPassDeployInfo, writeInstanceImage } from './iscsi-write.js';
import { agentIloRamdiskParams, generateDeployKey, iscsiIloRamdiskParams } from './ramdisk/index.js';

/**
 * Options of {@link IscsiDeploy}.
 *
 * @example
 * ```ts
 * const deploy = new IscsiDeploy({ boot, power, management, images, agent, diskWriter: new IscsiDiskWriter({ logger }), config, logger });
 * ```
 */
export interface IscsiDeployOptions extends DeployInterfaceOptions {
  /** Writes the image onto the node's disk exposed over iSCSI (`IscsiDiskWriter`; `FileDiskWriter` in tests). */
  diskWriter: DiskWriter;
  /** Where the conductor keeps its copy of an instance image until it is written (default `<tempdir>/ironic-ilo-images`). */
  imageCacheDir?: string;
}

function text(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

const ISCSI_PORT = 3260;

/**
 * Ironic's `IloVirtualMediaIscsiDeploy` (iscsi_ilo): the deploy ramdisk boots (from virtual
 * media, or PXE for pxe_ilo) and exposes the node's disk over iSCSI; the conductor writes the
 * image through the {@link DiskWriter}, records the root UUID, prepares the instance's boot
 * (boot ISO, or the disk) and reboots the node into it.
 *
 * The ramdisk calls back either as Ironic's bash ramdisk ({@link IscsiDeploy.passDeployInfo},
 * the `pass_deploy_info` vendor route) or as the Ironic Python Agent
 * ({@link IscsiDeploy.heartbeat}: `iscsi.start_iscsi_target`, the write, then the agent powers
 * the node off). `prepare` only prepares nodes that are `deploying` (an `active` node taken over
 * is never powered off: bugs 1490019, 1563949); in-band cleaning runs through the agent. Every
 * failure leaves the node in its failed state with `lastError` set, its floppy removed and its
 * media ejected.
 *
 * @example
 * ```ts
 * await deploy.validate(task);
 * await task.processEvent('deploy');
 * await deploy.prepare(task);
 * if ((await deploy.deploy(task)) === 'wait call-back') await task.processEvent('wait');
 * // … the ramdisk posts pass_deploy_info, or heartbeats …
 * await deploy.passDeployInfo(task, { address, iqn, key, port: 3260, lun: 1 }); // 'active'
 * ```
 */
export class IscsiDeploy implements DeployInterface, DeployHeartbeatFlow {
  private readonly ctx: DeployContext;
  private readonly cache: InstanceImageCache;
  private readonly diskWriter: DiskWriter;
  private readonly cleaning: AgentCleaning;

  constructor(options: IscsiDeployOptions) {
    this.ctx = deployContext(options);
    this.diskWriter = options.diskWriter;
    this.cache = new InstanceImageCache(
      options.images,
      this.ctx.config,
      options.imageCacheDir,
      this.ctx.logger,
    );
    this.cleaning = new AgentCleaning(this.ctx, async (task) =>
      agentIloRamdiskParams(task.node, task.ports, this.ctx.config, {
        agentToken: await ensureAgentToken(task),
      }),
    );
  }

  /** The power interface (for subclasses). */
  protected get power(): PowerInterface {
    return this.ctx.power;
  }

  /** The management interface (for subclasses). */
  protected get management(): DeployManagement {
    return this.ctx.management;
  }

  /** Nothing of its own (the boot interface's properties are the driver's). */
  getProperties(): PropertyDescriptions {
    return {};
  }

  /**
   * Ironic's `iscsi_deploy.validate` and the boot validation: a port, `[conductor] api_url`,
   * valid root device hints, and everything the boot interface checks, in one error.
   */
  async validate(task: Task, options: OperationOptions = {}): Promise<void> {
    await validateDeploy(task, this.ctx, portIssues(task), options);
  }

  /**
   * For a `deploying` node only: power off, secure boot off and the boot mode requested,
   * `is_whole_disk_image` recorded, a new deploy key (`instance_info.deploy_key`) and agent
   * token, and the ramdisk prepared with iscsi_ilo's parameters. Other states: nothing.
   */
  async prepare(task: Task, options: OperationOptions = {}): Promise<void> {
    if (task.node.provisionState !== State.DEPLOYING) return;
    const call = callOf(task, options);
    const bootMode = await prepareNodeForDeploy(task, this.ctx.power, this.ctx.management, call);
    await recordWholeDiskImage(task, this.ctx.images, call);
    await this.beforeRamdisk(task, bootMode, call);
    const deployKey = generateDeployKey();
    task.node.instanceInfo = { ...task.node.instanceInfo, deploy_key: deployKey };
    const agentToken = await ensureAgentToken(task);
    const params = iscsiIloRamdiskParams(task.node, task.ports, this.ctx.config, {
      deployKey,
      bootMode,
      agentToken,
    });
    await this.ctx.boot.prepareRamdisk(task, params, call);
  }

  /** Ironic's `deploy`: caches the image on the conductor, reboots into the ramdisk; `'wait call-back'`. */
  async deploy(task: Task, options: OperationOptions = {}): Promise<ProvisionState> {
    requireExclusiveLock(task);
    const call = callOf(task, options);
    try {
      await this.cache.fetch(task, call);
      await this.rebootIntoRamdisk(task, call);
    } catch (error) {
      await this.cache.remove(task);
      await this.ctx.boot.cleanUpRamdisk(task, call).catch((e: unknown) => {
        this.ctx.logFor(task).warn(`Could not clean up the ramdisk of node ${task.node.uuid}: ${text(e)}`);
      });
      throw error;
    }
    return State.DEPLOYWAIT;
  }

  /** Ironic's `tear_down`: power off, requested secure boot turned off; `'deleted'`. */
  async tearDown(task: Task, options: OperationOptions = {}): Promise<ProvisionState> {
    requireExclusiveLock(task);
    const call = callOf(task, options);
    await nodePowerAction(task, this.ctx.power, PowerState.OFF, call);
    await this.ctx.management.disableSecureBootIfSupported(task, call);
    return State.DELETED;
  }

  /** Ironic's `clean_up`: the cached image, the ramdisk's and the instance's boot artefacts. */
  async cleanUp(task: Task, options: OperationOptions = {}): Promise<void> {
    const call = callOf(task, options);
    await this.cache.remove(task);
    await this.ctx.boot.cleanUpRamdisk(task, call);
    await this.ctx.boot.cleanUpInstance(task, call);
  }

  /**
   * Conductor failover: when the old conductor's published images are gone, a node in `wait
   * call-back` gets its floppy again (same deploy key and agent token) and an `active` netboot
   * node its boot ISO, re-attached (see `VirtualMediaBoot.takeOver`).
   */
  async takeOver(task: Task, options: OperationOptions = {}): Promise<void> {
    if (this.ctx.boot.takeOver === undefined) return;
    const params = task.node.provisionState === State.DEPLOYWAIT ? this.takeOverParams(task) : undefined;
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

  /** The agent's `deploy` steps (cached at its first cleaning heartbeat), `erase_devices` overridden. */
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

  /**
   * The bash ramdisk's `pass_deploy_info`: checks what it posted (the deploy key must match),
   * requests the boot mode and secure boot, resumes the deploy, writes the image, prepares the
   * instance's boot and power-cycles the node through the iLO (the library does not implement
   * the bash ramdisk's port-10000 notification; the ramdisk waits to be powered off). The node
   * ends `active`, or `deploy failed` with the error thrown.
   */
  async passDeployInfo(
    task: Task,
    args: Record<string, JsonValue | undefined>,
    options: OperationOptions = {},
  ): Promise<void> {
    requireExclusiveLock(task);
    const info = checkPassDeployInfo(task, args);
    if (task.node.provisionState !== State.DEPLOYWAIT) {
      throw new InvalidStateRequested({
        action: 'pass_deploy_info',
        node: task.node.uuid,
        state: task.node.provisionState,
      });
    }
    const call = callOf(task, options);
    try {
      await this.beforeWrite(task, call);
      await task.processEvent('resume');
      if (info.error !== undefined)
        throw new InstanceDeployFailure({ reason: `Error returned from deploy ramdisk: ${info.error}` });
      if (isLocalBoot(task) && task.node.driverInternalInfo.is_whole_disk_image !== true) {
        throw new NotSupported({
          feature: 'Local boot of a partition image with the bash deploy ramdisk',
          reason:
            'its boot loader installation (pass_bootloader_install_info) is not implemented; use the Ironic Python Agent ramdisk',
        });
      }
      const target = { address: info.address, iqn: info.iqn, port: info.port, lun: info.lun };
      await writeInstanceImage(task, target, this.writeDeps(), call);
      await this.ctx.boot.prepareInstance(task, call);
      await nodePowerAction(task, this.ctx.power, PowerState.OFF, call);
      await nodePowerAction(task, this.ctx.power, PowerState.ON, call);
      forgetAgent(task);
      await task.save();
      await task.processEvent('done');
      this.ctx.logFor(task).info(`Deployment to node ${task.node.uuid} done`);
    } catch (error) {
      call.signal?.throwIfAborted();
      await this.cache.remove(task);
      const message = `Failed to continue iSCSI deployment. ${text(error)}`;
      await setFailedState(task, message, {
        power: this.ctx.power,
        boot: this.ctx.boot,
        logger: this.ctx.logFor(task),
      });
      throw error instanceof IronicIloError
        ? error
        : new InstanceDeployFailure({ reason: message, cause: error });
    }
  }

  /** The agent's deploy is one synchronous step here: never "started" before `continueDeploy`. */
  async deployHasStarted(): Promise<boolean> {
    return false;
  }

  /** See {@link IscsiDeploy.deployHasStarted}. */
  async deployIsDone(): Promise<boolean> {
    return false;
  }

  /**
   * The agent path (Ironic's `do_agent_iscsi_deploy`): resume, boot mode and secure boot,
   * `iscsi.start_iscsi_target`, the image written to the agent's address, the boot loader
   * installed by the agent for a local-boot partition image, the instance's boot prepared, the
   * node powered off by the agent and on again. Returns `'deployed'`.
   */
  async continueDeploy(task: Task, call: OperationOptions): Promise<HeartbeatAction> {
    const node = task.node;
    await task.processEvent('resume');
    await this.beforeWrite(task, call);
    const iqn = `iqn.2008-10.org.openstack:${node.uuid}`;
    await this.ctx.agent.startIscsiTarget(node, iqn, {
      ...call,
      portalPort: ISCSI_PORT,
      wipeDiskMetadata: node.instanceInfo.preserve_ephemeral !== true,
    });
    const address = new URL(node.driverInternalInfo.agent_url as string).hostname;
    const result = await writeInstanceImage(
      task,
      { address, iqn, port: ISCSI_PORT, lun: 1 },
      this.writeDeps(),
      call,
    );
    if (
      isLocalBoot(task) &&
      node.driverInternalInfo.is_whole_disk_image !== true &&
      result.rootUuid !== undefined
    ) {
      await this.ctx.agent.installBootloader(
        node,
        {
          rootUuid: result.rootUuid,
          targetBootMode: getBootModeForDeploy(node) ?? 'bios',
          efiSystemPartUuid: result.efiSystemPartitionUuid ?? null,
        },
        call,
      );
    }
    await this.ctx.boot.prepareInstance(task, call);
    await rebootAndFinishDeploy(task, this.finishDeps(task), call);
    return 'deployed';
  }

  /** Not reached on this path (see {@link IscsiDeploy.deployIsDone}). */
  async rebootToInstance(): Promise<HeartbeatAction> {
    return 'ignored';
  }

  /** Before the ramdisk is prepared (pxe_ilo checks the UEFI boot option here). */
  protected async beforeRamdisk(_task: Task, _bootMode: BootMode, _call: OperationOptions): Promise<void> {}

  /** How the node reboots into its ramdisk (pxe_ilo first sets a one-time network boot). */
  protected async rebootIntoRamdisk(task: Task, call: OperationOptions): Promise<void> {
    await nodePowerAction(task, this.ctx.power, PowerState.REBOOT, call);
  }

  /** Ironic's iLO vendor: boot mode and requested secure boot before the image is written. */
  protected async beforeWrite(task: Task, call: OperationOptions): Promise<void> {
    await this.ctx.management.updateBootMode(task, call);
    await this.ctx.management.updateSecureBootMode(task, true, call);
  }

  /** The floppy parameters again, from what the node keeps (take-over). */
  private takeOverParams(task: Task): RamdiskParams | undefined {
    const deployKey = task.node.instanceInfo.deploy_key;
    if (typeof deployKey !== 'string' || deployKey === '') return undefined;
    return iscsiIloRamdiskParams(task.node, task.ports, this.ctx.config, {
      deployKey,
      bootMode: getBootModeForDeploy(task.node),
      agentToken: agentTokenOf(task),
    });
  }

  private writeDeps() {
    return { ctx: this.ctx, diskWriter: this.diskWriter, cache: this.cache };
  }

  private finishDeps(task: Task) {
    return { ...this.ctx, logger: this.ctx.logFor(task) };
  }
}

/** Whether the instance asks for `boot_option: local`. */
export function isLocalBoot(task: Pick<Task, 'node'>): boolean {
  return instanceCapabilities(task.node.instanceInfo).boot_option?.toLowerCase() === 'local';
}
