import { type IloInterfaceOptions, IloTaskRunner, type ResetIloOptions } from '../client/index.js';
import type {
  CleanStep,
  JsonValue,
  OperationOptions,
  PlannedCleanStep,
  ProvisionState,
  Task,
} from '../contracts/index.js';
import {
  IloCommandNotSupported,
  IloError,
  InvalidParameterValue,
  NodeCleaningFailure,
} from '../errors/index.js';
import { requireExclusiveLock } from '../util/index.js';
import {
  type CleanStepOutcome,
  type IloCleanStepName,
  iloCleanSteps,
  type StepSpec,
  stepSpecs,
} from './steps.js';

/**
 * Options of {@link CleanSteps}.
 *
 * @example
 * ```ts
 * const steps = new CleanSteps({ config, clients, logger, resetIlo: { timeoutMs: 300_000 } });
 * ```
 */
export interface CleanStepsOptions extends IloInterfaceOptions {
  /** How `reset_ilo` waits for the iLO to answer again (the client's defaults otherwise). */
  resetIlo?: Omit<ResetIloOptions, 'signal'>;
}

function checkArgs(spec: StepSpec, args: Record<string, JsonValue>): void {
  const info = spec.argsinfo ?? {};
  const issues = [
    ...Object.keys(args)
      .filter((a) => !Object.hasOwn(info, a))
      .map((a) => ({ field: a, problem: `is not an argument of ${spec.name}` })),
    ...Object.entries(info)
      .filter(([a, i]) => i.required === true && !Object.hasOwn(args, a))
      .map(([a]) => ({ field: a, problem: `is required by ${spec.name}` })),
  ];
  if (issues.length > 0) {
    throw new InvalidParameterValue(
      `Invalid arguments of clean step ${spec.name}: ${issues.map((i) => `${i.field} ${i.problem}`).join('; ')}`,
      { fields: issues },
    );
  }
}

/**
 * Ironic's out-of-band iLO clean steps: `reset_ilo_credential`, `reset_secure_boot_keys_to_default`,
 * `reset_bios_to_default`, `clear_secure_boot_keys`, `reset_ilo` (priorities from `[ilo]
 * clean_priority_*`) and the manual `activate_license`. A step the hardware does not support
 * (the BIOS and secure-boot steps on Gen8 and older, or on a server booted in legacy BIOS) is
 * skipped with a warning; any other iLO failure is a `NodeCleaningFailure` naming the step.
 * Running a step needs an exclusive lock. Hand it to `IloManagement` as `cleanSteps`.
 *
 * @example
 * ```ts
 * const cleanSteps = new CleanSteps({ config, clients, logger });
 * const management = new IloManagement({ config, clients, logger, cleanSteps });
 * for (const step of automatedCleanSteps(await management.getCleanSteps(task))) {
 *   await management.executeCleanStep(task, step);
 * }
 * ```
 */
export class CleanSteps {
  private readonly runner: IloTaskRunner;
  private readonly specs: readonly StepSpec[];

  constructor(options: CleanStepsOptions = {}) {
    this.runner = new IloTaskRunner(options);
    this.specs = stepSpecs(options.resetIlo ?? {});
  }

  /** Every step, enabled (priority > 0) or not, with its interface `management`. */
  async getCleanSteps(_task: Task): Promise<CleanStep[]> {
    return iloCleanSteps(this.runner.config);
  }

  /** Runs a step Ironic's conductor planned (a synchronous step: resolves to `undefined`). */
  async executeCleanStep(
    task: Task,
    step: PlannedCleanStep,
    options: OperationOptions = {},
  ): Promise<ProvisionState | undefined> {
    if (step.interface !== 'management') {
      throw new InvalidParameterValue(
        `Clean step ${step.step} of interface ${step.interface} is not an iLO step.`,
        {
          fields: [{ field: 'interface', problem: 'must be management' }],
        },
      );
    }
    await this.runCleanStep(task, step.step, step.args, options);
    return undefined;
  }

  /** Runs the step `name` with `args` and says what it did. */
  async runCleanStep(
    task: Task,
    name: IloCleanStepName | string,
    args: Record<string, JsonValue> = {},
    options: OperationOptions = {},
  ): Promise<CleanStepOutcome> {
    requireExclusiveLock(task);
    const spec = this.specs.find((s) => s.name === name);
    if (spec === undefined) {
      throw new InvalidParameterValue(`Clean step '${name}' not found.`, {
        fields: [{ field: 'step', problem: `must be one of ${this.specs.map((s) => s.name).join(', ')}` }],
      });
    }
    checkArgs(spec, args);
    return this.runner.run(task, options, async (ctx) => {
      const uuid = task.node.uuid;
      try {
        const outcome = await spec.run(ctx, args);
        if (outcome === 'done') ctx.log.info(`Clean step ${name} done on node ${uuid}`);
        return outcome;
      } catch (error) {
        if (error instanceof IloCommandNotSupported) {
          ctx.log.warn(`'${name}' clean step is not supported on node ${uuid}. Skipping the clean step.`, {
            reason: error.message,
          });
          return 'skipped';
        }
        if (!(error instanceof IloError)) throw error;
        throw new NodeCleaningFailure({
          message: `Clean step ${name} failed on node ${uuid} with error: ${error.message}`,
          cause: error,
        });
      }
    });
  }
}
