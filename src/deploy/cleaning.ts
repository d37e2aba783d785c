import { withEraseDevicesPriority } from '../clean/index.js';
import type {
  CleanStep,
  JsonValue,
  OperationOptions,
  PlannedCleanStep,
  ProvisionState,
  RamdiskParams,
  Task,
} from '../contracts/index.js';
import { PowerState, ProvisionState as State } from '../contracts/index.js';
import { NodeCleaningFailure } from '../errors/index.js';
import type { AgentCleanStep } from './agent/index.js';
import { findLatestCommand } from './agent/index.js';
import { callOf, type DeployContext } from './common/context.js';
import { forgetAgent, nodePowerAction } from './common/node.js';
import type { HeartbeatOutcome } from './heartbeat-types.js';

type CachedSteps = Record<string, AgentCleanStep[]>;

function text(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * In-band cleaning through the Ironic Python Agent, shared by the iscsi_ilo and agent_ilo deploy
 * interfaces (Ironic's `prepare_inband_cleaning`, `agent_get_clean_steps`,
 * `agent_execute_clean_step` and the cleaning half of the agent heartbeat). The agent's steps are
 * cached in `driver_internal_info.agent_cached_clean_steps` when its first heartbeat arrives; the
 * `erase_devices` priority is overridden by `[ilo] clean_priority_erase_devices` or `[deploy]
 * erase_devices_priority`.
 */
export class AgentCleaning {
  constructor(
    private readonly ctx: DeployContext,
    /** The ramdisk parameters of the cleaning boot (the agent's options, with the agent token). */
    private readonly ramdiskParams: (task: Task) => Promise<RamdiskParams>,
  ) {}

  /** The agent's `deploy` steps cached at its first heartbeat, `erase_devices` overridden; none before. */
  getCleanSteps(task: Task): CleanStep[] {
    const steps = (cachedSteps(task).deploy ?? []).map(
      (s): CleanStep => ({
        step: s.step,
        priority: s.priority,
        abortable: s.abortable === true,
        argsinfo: (s.argsinfo ?? null) as CleanStep['argsinfo'],
        interface: 'deploy',
      }),
    );
    return withEraseDevicesPriority(steps, this.ctx.config);
  }

  /** `clean.execute_clean_step` with the hardware managers' versions; returns `'clean wait'`. */
  async executeCleanStep(
    task: Task,
    step: PlannedCleanStep,
    options: OperationOptions,
  ): Promise<ProvisionState> {
    const cached = (cachedSteps(task)[step.interface] ?? []).find((s) => s.step === step.step);
    const version = task.node.driverInternalInfo.hardware_manager_version;
    const agentStep: { [key: string]: JsonValue } = {
      ...(cached ?? {}),
      step: step.step,
      priority: step.priority,
      interface: step.interface,
      abortable: step.abortable,
      args: step.args,
    };
    const result = await this.ctx.agent.executeCleanStep(task.node, task.ports, agentStep, {
      ...callOf(task, options),
      cleanVersion: isVersion(version) ? version : null,
    });
    if (!result.command_status) {
      throw new NodeCleaningFailure({
        message: `Agent on node ${task.node.uuid} returned bad command result for clean step ${step.step}`,
      });
    }
    return State.CLEANWAIT;
  }

  /**
   * Ironic's `prepare_inband_cleaning` after the iLO's power off (the iLO refuses to set the boot
   * device during POST, bug 1536730): the erase iterations are recorded, the agent ramdisk
   * prepared (with a new agent token) and the node rebooted into it. Returns `'clean wait'`; on
   * failure the ramdisk is cleaned up before the error is thrown.
   */
  async prepareCleaning(task: Task, options: OperationOptions): Promise<ProvisionState> {
    const call = callOf(task, options);
    await nodePowerAction(task, this.ctx.power, PowerState.OFF, call);
    task.node.driverInternalInfo = {
      ...task.node.driverInternalInfo,
      agent_erase_devices_iterations: this.ctx.config.deploy.eraseDevicesIterations,
    };
    await task.save();
    await this.ctx.boot.prepareRamdisk(task, await this.ramdiskParams(task), call);
    try {
      await nodePowerAction(task, this.ctx.power, PowerState.REBOOT, call);
    } catch (error) {
      await this.ctx.boot.cleanUpRamdisk(task, call).catch((e: unknown) => {
        this.ctx
          .logFor(task)
          .warn(`Could not clean up the cleaning ramdisk of node ${task.node.uuid}: ${text(e)}`);
      });
      throw error;
    }
    return State.CLEANWAIT;
  }

  /** Ironic's `tear_down_inband_cleaning`: power off, the ramdisk's media removed, the agent forgotten. */
  async tearDownCleaning(task: Task, options: OperationOptions): Promise<void> {
    const call = callOf(task, options);
    await nodePowerAction(task, this.ctx.power, PowerState.OFF, call);
    await this.ctx.boot.cleanUpRamdisk(task, call);
    forgetAgent(task);
    await task.save();
  }

  /**
   * The cleaning half of the agent heartbeat: without a current `clean_step` the agent just
   * booted, so its steps are cached (`clean-steps-refreshed`: the embedder computes the steps and
   * resumes cleaning); otherwise the step's command is checked (`clean-step-running`,
   * `clean-step-done`, `clean-reboot` after a step that asked for a reboot). A failed step (or a
   * refresh that fails) is handled as Ironic's `cleaning_error_handler`: `last_error`,
   * maintenance, tear-down of the cleaning, `'fail'`.
   */
  async heartbeat(task: Task, options: OperationOptions): Promise<HeartbeatOutcome> {
    const call = callOf(task, options);
    const step = task.node.cleanStep;
    try {
      if (step === null || step === undefined || Object.keys(step).length === 0) {
        await this.refreshCleanSteps(task, call);
        return { action: 'clean-steps-refreshed' };
      }
      return await this.continueCleaning(task, step, call);
    } catch (error) {
      call.signal?.throwIfAborted();
      const what =
        step?.step === undefined
          ? 'Node failed to start the first cleaning step.'
          : 'Node failed to check cleaning progress.';
      const message = `Asynchronous exception for node ${task.node.uuid}: ${what} Exception: ${text(error)}`;
      await this.failCleaning(task, message, call);
      return { action: 'cleaning-failed', error: asFailure(message, error) };
    }
  }

  private async continueCleaning(
    task: Task,
    step: { [key: string]: JsonValue },
    call: OperationOptions,
  ): Promise<HeartbeatOutcome> {
    const commands = await this.ctx.agent.getCommandsStatus(task.node, call);
    const dii = task.node.driverInternalInfo;
    if (commands.length === 0) {
      if (dii.cleaning_reboot !== true) return { action: 'clean-step-running' };
      const next = { ...dii };
      delete next.cleaning_reboot;
      task.node.driverInternalInfo = next;
      await task.save();
      return { action: 'clean-step-done' };
    }
    const last = commands.at(-1);
    if (last === undefined || findLatestCommand([last], 'clean.execute_clean_step') === undefined)
      return { action: 'clean-step-running' };
    const result = (last.command_result ?? {}) as { clean_step?: { step?: string } };
    if (last.command_status === 'RUNNING') return { action: 'clean-step-running' };
    if (last.command_status === 'SUCCEEDED' && result.clean_step?.step !== step.step)
      return { action: 'clean-step-running' };
    if (last.command_status === 'CLEAN_VERSION_MISMATCH') {
      await this.refreshCleanSteps(task, call);
      if (task.node.targetProvisionState === State.MANAGEABLE) {
        throw new Error(
          `The agent's hardware managers changed during manual cleaning of node ${task.node.uuid}`,
        );
      }
      return { action: 'clean-steps-refreshed' };
    }
    if (last.command_status !== 'SUCCEEDED') {
      const error =
        typeof last.command_error === 'string' ? last.command_error : JSON.stringify(last.command_error);
      throw new Error(
        `Agent returned error for clean step ${String(step.step)} on node ${task.node.uuid} : ${error}.`,
      );
    }
    const cached = (cachedSteps(task)[String(step.interface)] ?? []).find((s) => s.step === step.step);
    if (cached?.reboot_requested === true || step.reboot_requested === true) {
      task.node.driverInternalInfo = { ...task.node.driverInternalInfo, cleaning_reboot: true };
      await task.save();
      await nodePowerAction(task, this.ctx.power, PowerState.REBOOT, call);
      return { action: 'clean-reboot' };
    }
    this.ctx.logFor(task).info(`Agent on node ${task.node.uuid} finished clean step ${String(step.step)}`);
    return { action: 'clean-step-done' };
  }

  /** Ironic's `_refresh_clean_steps`: the agent's steps by interface, and its managers' versions. */
  private async refreshCleanSteps(task: Task, call: OperationOptions): Promise<void> {
    const result = await this.ctx.agent.getCleanSteps(task.node, task.ports, call);
    const byInterface: CachedSteps = {};
    for (const list of Object.values(result.clean_steps)) {
      for (const step of list) {
        const missing = ['interface', 'step', 'priority'].filter((k) => step[k] === undefined);
        if (missing.length > 0) {
          throw new NodeCleaningFailure({
            message: `agent get_clean_steps for node ${task.node.uuid} returned a step without ${missing.join(', ')}`,
          });
        }
        byInterface[step.interface] = [...(byInterface[step.interface] ?? []), step];
      }
    }
    task.node.driverInternalInfo = {
      ...task.node.driverInternalInfo,
      hardware_manager_version: result.hardware_manager_version,
      agent_cached_clean_steps: byInterface as unknown as JsonValue,
      agent_cached_clean_steps_refreshed: new Date(this.ctx.clock.now()).toISOString(),
    };
    await task.save();
  }

  /** Ironic's `cleaning_error_handler`. */
  async failCleaning(task: Task, message: string, call: OperationOptions): Promise<void> {
    const node = task.node;
    const log = this.ctx.logFor(task);
    log.error(message);
    node.cleanStep = null;
    const dii = { ...node.driverInternalInfo };
    delete dii.clean_step_index;
    delete dii.cleaning_reboot;
    node.driverInternalInfo = dii;
    node.lastError = message;
    node.maintenance = true;
    node.maintenanceReason = message;
    await task.save();
    try {
      await this.tearDownCleaning(task, call);
    } catch (e) {
      log.error(`Failed to tear down cleaning of node ${node.uuid} after a failure: ${text(e)}`);
    }
    try {
      await task.processEvent('fail');
    } catch (e) {
      log.error(`Node ${node.uuid} could not move to clean failed: ${text(e)}`);
    }
  }
}

function cachedSteps(task: Pick<Task, 'node'>): CachedSteps {
  const cached = task.node.driverInternalInfo.agent_cached_clean_steps;
  return cached !== null && typeof cached === 'object' && !Array.isArray(cached)
    ? (cached as unknown as CachedSteps)
    : {};
}

function isVersion(value: unknown): value is { [manager: string]: string } {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function asFailure(message: string, cause: unknown): NodeCleaningFailure {
  return cause instanceof NodeCleaningFailure ? cause : new NodeCleaningFailure({ message, cause });
}
