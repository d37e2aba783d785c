import type { IloOperations, IloTaskContext, ResetIloOptions } from '../client/index.js';
import type { IloConfig } from '../config/index.js';
import type { CleanStep, CleanStepArgInfo, JsonValue, OperationOptions } from '../contracts/index.js';
import { InvalidParameterValue } from '../errors/index.js';

/**
 * Names of the iLO's out-of-band clean steps (Ironic's `IloManagement` methods).
 *
 * @example
 * ```ts
 * const name: IloCleanStepName = 'reset_bios_to_default';
 * ```
 */
export type IloCleanStepName =
  | 'reset_ilo'
  | 'reset_ilo_credential'
  | 'reset_bios_to_default'
  | 'reset_secure_boot_keys_to_default'
  | 'clear_secure_boot_keys'
  | 'activate_license';

/**
 * What running a step did: `'done'`; `'skipped'` when the hardware lacks the feature (Gen8 and
 * older for the BIOS and secure-boot steps; logged as a warning); `'nothing to do'` for
 * `reset_ilo_credential` without `driver_info.ilo_change_password`.
 *
 * @example
 * ```ts
 * if ((await steps.runCleanStep(task, 'reset_bios_to_default')) === 'skipped') flagForReview(task.node);
 * ```
 */
export type CleanStepOutcome = 'done' | 'skipped' | 'nothing to do';

/** One step: its priority option and how it runs. */
export interface StepSpec {
  name: IloCleanStepName;
  priority: (ilo: IloConfig['ilo']) => number;
  argsinfo: Record<string, CleanStepArgInfo> | null;
  /** Runs the step; `'nothing to do'` when it has no work. */
  run: (ctx: IloTaskContext, args: Record<string, JsonValue>) => Promise<CleanStepOutcome>;
}

/** A step that is one iLO operation. */
const onIlo =
  (operation: (ilo: IloOperations, call: OperationOptions) => Promise<void>) =>
  async ({ ilo, call }: IloTaskContext): Promise<CleanStepOutcome> => {
    await operation(ilo, call);
    return 'done';
  };

const LICENSE_ARGS: Record<string, CleanStepArgInfo> = {
  ilo_license_key: { description: 'The iLO Advanced licence key to activate.', required: true },
};

/** Moves `ilo_change_password` into `ilo_password` once the iLO took it, and saves the node. */
async function resetCredential(ctx: IloTaskContext): Promise<CleanStepOutcome> {
  const node = ctx.task.node;
  const password = node.driverInfo.ilo_change_password;
  if (typeof password !== 'string' || password === '') {
    ctx.log.info(
      `Missing 'ilo_change_password' parameter in driver_info. Clean step 'reset_ilo_credential' is not performed on node ${node.uuid}.`,
    );
    return 'nothing to do';
  }
  await ctx.ilo.resetIloCredential(password, ctx.call);
  const { ilo_change_password: _used, ...rest } = node.driverInfo;
  node.driverInfo = { ...rest, ilo_password: password };
  await ctx.task.save();
  return 'done';
}

async function activateLicense(
  ctx: IloTaskContext,
  args: Record<string, JsonValue>,
): Promise<CleanStepOutcome> {
  const key = args.ilo_license_key;
  if (typeof key !== 'string' || key === '') {
    throw new InvalidParameterValue(
      `Value of 'ilo_license_key' must be a non-empty string. Step 'activate_license' is not executed for ${ctx.task.node.uuid}.`,
      { fields: [{ field: 'ilo_license_key', problem: 'must be a non-empty string' }] },
    );
  }
  await ctx.ilo.activateLicense(key, ctx.call);
  return 'done';
}

/** The steps, in listing order, with the `[ilo]` option that gives each its priority. */
export function stepSpecs(resetIlo: Omit<ResetIloOptions, 'signal'>): readonly StepSpec[] {
  return [
    {
      name: 'reset_ilo_credential',
      priority: (c) => c.cleanPriorityResetIloCredential,
      argsinfo: null,
      run: resetCredential,
    },
    {
      name: 'reset_secure_boot_keys_to_default',
      priority: (c) => c.cleanPriorityResetSecureBootKeysToDefault,
      argsinfo: null,
      run: onIlo((ilo, call) => ilo.resetSecureBootKeys(call)),
    },
    {
      name: 'reset_bios_to_default',
      priority: (c) => c.cleanPriorityResetBiosToDefault,
      argsinfo: null,
      run: onIlo((ilo, call) => ilo.resetBiosToDefault(call)),
    },
    {
      name: 'clear_secure_boot_keys',
      priority: (c) => c.cleanPriorityClearSecureBootKeys,
      argsinfo: null,
      run: onIlo((ilo, call) => ilo.clearSecureBootKeys(call)),
    },
    {
      name: 'reset_ilo',
      priority: (c) => c.cleanPriorityResetIlo,
      argsinfo: null,
      run: onIlo((ilo, call) => ilo.resetIlo({ ...resetIlo, ...call })),
    },
    { name: 'activate_license', priority: () => 0, argsinfo: LICENSE_ARGS, run: activateLicense },
  ];
}

/**
 * The iLO clean steps with their priorities from `[ilo] clean_priority_*` (0 disables a step for
 * automated cleaning; it may still run manually), all on the `management` interface, none
 * abortable. `activate_license` is manual only (priority 0) and takes `ilo_license_key`.
 *
 * @example
 * ```ts
 * automatedCleanSteps(iloCleanSteps(config)).map((s) => s.step);
 * // ['reset_ilo_credential', 'reset_secure_boot_keys_to_default', 'reset_bios_to_default'] with the defaults
 * ```
 */
export function iloCleanSteps(config: IloConfig): CleanStep[] {
  return stepSpecs({}).map((s) => ({
    step: s.name,
    priority: s.priority(config.ilo),
    abortable: false,
    argsinfo: s.argsinfo === null ? null : structuredClone(s.argsinfo),
    interface: 'management',
  }));
}
