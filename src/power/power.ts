import {
  type IloInterfaceOptions,
  type IloTaskContext,
  IloTaskRunner,
  toIloOperationError,
} from '../client/index.js';
import { ILO_COMMON_PROPERTIES } from '../config/index.js';
import type {
  OperationOptions,
  PowerActionOptions,
  PowerInterface,
  PropertyDescriptions,
  Task,
} from '../contracts/index.js';
import { PowerState } from '../contracts/index.js';
import { InvalidParameterValue, NotSupported, PowerStateFailure } from '../errors/index.js';
import { requireExclusiveLock } from '../util/index.js';
import { type BootIsoReattacher, bootIsoToReattach } from './boot-iso.js';
import { checkedTimeout, type PowerWaitPlan, powerWaitPlan, waitForPowerState } from './wait.js';

/**
 * Options of {@link IloPower}.
 *
 * @example
 * ```ts
 * const power = new IloPower({ config, clients, logger, bootIso: virtualMediaBoot });
 * ```
 */
export interface IloPowerOptions extends IloInterfaceOptions {
  /**
   * Re-attaches an active netboot node's boot ISO before it powers on or reboots. Without it,
   * powering such a node on throws `NotSupported` before anything is done.
   */
  bootIso?: BootIsoReattacher;
}

const SUPPORTED: readonly PowerState[] = Object.freeze([
  PowerState.OFF,
  PowerState.ON,
  PowerState.REBOOT,
  PowerState.SOFT_POWER_OFF,
  PowerState.SOFT_REBOOT,
]);

/**
 * Ironic's mapping of the iLO's power status: `ON` is on, `OFF` is off, anything else an error
 * state.
 *
 * @example
 * ```ts
 * powerStateOf('ON'); // 'power on'
 * ```
 */
export function powerStateOf(status: string): PowerState {
  if (status === 'ON') return PowerState.ON;
  if (status === 'OFF') return PowerState.OFF;
  return PowerState.ERROR;
}

async function readPowerState(ctx: IloTaskContext): Promise<PowerState> {
  try {
    return powerStateOf(await ctx.ilo.getHostPowerStatus(ctx.call));
  } catch (error) {
    throw toIloOperationError(error, 'iLO get_power_status');
  }
}

/**
 * Ironic's `IloPower`: power state from the iLO, hard power off (the power button held), power on,
 * reboot (warm reset), soft power off (the power button pressed) and soft reboot, each followed by
 * Ironic's wait loop on the injected clock (`[ilo] power_retry` × `power_wait`, the caller's
 * `timeoutMs`, or `[conductor] soft_power_off_timeout` for the soft actions). A failed action is an
 * `IloOperationError`; a state not reached, a `PowerStateFailure` naming the requested state.
 * Changing the power needs an exclusive lock. Before an active netboot node powers on, its boot
 * ISO is attached again through the {@link BootIsoReattacher}.
 *
 * @example
 * ```ts
 * const power = new IloPower({ config, clients, logger, bootIso });
 * await power.validate(task);
 * if ((await power.getPowerState(task)) !== PowerState.ON) await power.setPowerState(task, PowerState.ON);
 * await power.setPowerState(task, PowerState.SOFT_POWER_OFF, { timeoutMs: 300_000, signal });
 * ```
 */
export class IloPower implements PowerInterface {
  private readonly runner: IloTaskRunner;
  private readonly bootIso: BootIsoReattacher | undefined;

  constructor(options: IloPowerOptions = {}) {
    this.runner = new IloTaskRunner(options);
    this.bootIso = options.bootIso;
  }

  /** The `driver_info` keys it reads: address, credentials, port, timeout, TLS. */
  getProperties(): PropertyDescriptions {
    return { ...ILO_COMMON_PROPERTIES };
  }

  /** Validates `driver_info` (every bad field at once); no network I/O. */
  async validate(task: Task): Promise<void> {
    this.runner.driverInfo(task);
  }

  /** `'power on'`, `'power off'`, or `'error'` for any other answer; `IloOperationError` on failure. */
  async getPowerState(task: Task, options: OperationOptions = {}): Promise<PowerState> {
    return this.runner.run(task, options, readPowerState);
  }

  /** Sets the power state and waits for it (see the class description). */
  async setPowerState(task: Task, state: PowerState, options: PowerActionOptions = {}): Promise<void> {
    requireExclusiveLock(task);
    if (!SUPPORTED.includes(state)) {
      throw new InvalidParameterValue(`IloPower.setPowerState called with invalid power state '${state}'`, {
        fields: [{ field: 'state', problem: `must be one of ${SUPPORTED.join(', ')}` }],
      });
    }
    const timeoutMs = checkedTimeout(options.timeoutMs);
    await this.runner.run(task, options, (ctx) => this.apply(ctx, state, timeoutMs));
  }

  /** Hard reboot: a node that is on is reset, one that is off powered on; in an error state, nothing. */
  async reboot(task: Task, options: PowerActionOptions = {}): Promise<void> {
    requireExclusiveLock(task);
    const timeoutMs = checkedTimeout(options.timeoutMs);
    await this.runner.run(task, options, async (ctx) => {
      const current = await readPowerState(ctx);
      if (current === PowerState.ON) await this.apply(ctx, PowerState.REBOOT, timeoutMs);
      else if (current === PowerState.OFF) await this.apply(ctx, PowerState.ON, timeoutMs);
      else ctx.log.warn(`Node ${task.node.uuid} is in power state '${current}': not rebooted`);
    });
  }

  /** Power off, power on, reboot, soft power off and soft reboot. */
  async getSupportedPowerStates(_task: Task): Promise<readonly PowerState[]> {
    return SUPPORTED;
  }

  private async apply(ctx: IloTaskContext, requested: PowerState, timeoutMs?: number): Promise<void> {
    const { ilo, call, task } = ctx;
    const soft = requested === PowerState.SOFT_POWER_OFF || requested === PowerState.SOFT_REBOOT;
    const ilocfg = this.runner.config.ilo;
    const budgetMs =
      timeoutMs ?? (soft ? this.runner.config.conductor.softPowerOffTimeout * 1000 : undefined);
    const started = this.runner.clock.now();
    let target = requested;
    // A momentary press powers an off server on: a soft action first looks at the power.
    if (soft && (await readPowerState(ctx)) === PowerState.OFF) {
      if (requested === PowerState.SOFT_POWER_OFF) {
        ctx.log.info(`Node ${task.node.uuid} is already off: the power button is not pressed`);
        return;
      }
      target = PowerState.ON;
    }
    const powersOn =
      target === PowerState.ON || target === PowerState.REBOOT || target === PowerState.SOFT_REBOOT;
    const iso = powersOn ? bootIsoToReattach(task.node) : undefined;
    if (iso !== undefined && this.bootIso === undefined) {
      throw new NotSupported({
        feature: `Powering on active netboot node ${task.node.uuid}`,
        reason: 'its boot ISO must be attached again, and IloPower was built without a bootIso hook',
      });
    }
    const plan = powerWaitPlan(ilocfg, budgetMs);
    switch (target) {
      case PowerState.OFF:
        await this.act(ctx, requested, () => ilo.holdPwrBtn(call));
        return this.wait(ctx, PowerState.OFF, requested, plan);
      case PowerState.ON:
        await this.reattach(ctx, iso);
        await this.act(ctx, requested, () => ilo.setHostPower('ON', call));
        return this.wait(ctx, PowerState.ON, requested, plan);
      case PowerState.REBOOT:
        await this.reattach(ctx, iso);
        await this.act(ctx, requested, () => ilo.resetServer(call));
        return this.wait(ctx, PowerState.ON, requested, plan);
      case PowerState.SOFT_POWER_OFF:
        await this.act(ctx, requested, () => ilo.pressPwrBtn(call));
        return this.wait(ctx, PowerState.OFF, requested, plan);
      case PowerState.SOFT_REBOOT: {
        await this.act(ctx, requested, () => ilo.pressPwrBtn(call));
        await this.wait(ctx, PowerState.OFF, requested, plan);
        await this.reattach(ctx, iso);
        await this.act(
          ctx,
          requested,
          () => ilo.setHostPower('ON', call),
          'Powering on after a soft power off',
        );
        const spent = this.runner.clock.now() - started;
        const remaining = budgetMs === undefined ? undefined : Math.max(0, budgetMs - spent);
        return this.wait(ctx, PowerState.ON, requested, powerWaitPlan(ilocfg, remaining));
      }
      default:
        throw new InvalidParameterValue(`Cannot set power state '${target}'`);
    }
  }

  private async reattach(ctx: IloTaskContext, iso: string | undefined): Promise<void> {
    if (iso === undefined || this.bootIso === undefined) return;
    ctx.log.info(`Attaching the boot ISO of active node ${ctx.task.node.uuid} again before it powers on`);
    await this.bootIso.reattachBootIso(ctx.task, iso, ctx.call);
  }

  private async act(
    ctx: IloTaskContext,
    requested: PowerState,
    action: () => Promise<void>,
    operation = 'iLO set_power_state',
  ): Promise<void> {
    try {
      await action();
    } catch (error) {
      const wrapped = toIloOperationError(error, operation);
      ctx.log.error(`${operation} failed to set node ${ctx.task.node.uuid} to '${requested}'`, {
        error: wrapped instanceof Error ? wrapped.message : String(wrapped),
      });
      throw wrapped;
    }
  }

  private async wait(
    ctx: IloTaskContext,
    target: PowerState,
    requested: PowerState,
    plan: PowerWaitPlan,
  ): Promise<void> {
    const outcome = await waitForPowerState(
      () => readPowerState(ctx),
      target,
      plan,
      this.runner.clock,
      ctx.signal,
    );
    if (outcome.reached) return;
    const waited = ((plan.maxRetries + 1) * plan.intervalMs) / 1000;
    ctx.log.error(
      `iLO failed to change state of node ${ctx.task.node.uuid} to '${requested}' within ${waited} s (last seen '${outcome.last}')`,
    );
    throw new PowerStateFailure({ pstate: requested });
  }
}
