import type {
  CleaningInterface,
  CleanStep,
  JsonValue,
  PlannedCleanStep,
  RequestedCleanStep,
} from '../contracts/index.js';
import type { FieldIssue } from '../errors/index.js';
import { InvalidParameterValue } from '../errors/index.js';

/**
 * Tie-break between steps of equal priority: power first, then management, deploy, raid
 * (Ironic's `CLEANING_INTERFACE_PRIORITY`).
 *
 * @example
 * ```ts
 * CLEANING_INTERFACE_PRIORITY.management; // 3
 * ```
 */
export const CLEANING_INTERFACE_PRIORITY: Readonly<Record<CleaningInterface, number>> = Object.freeze({
  power: 4,
  management: 3,
  deploy: 2,
  raid: 1,
});

/**
 * The steps automated cleaning runs: priority above 0 only, highest priority first, ties broken
 * by {@link CLEANING_INTERFACE_PRIORITY}. Pure: the input is not modified.
 *
 * @example
 * ```ts
 * const plan = automatedCleanSteps([...await management.getCleanSteps(task), ...await deploy.getCleanSteps(task)]);
 * ```
 */
export function automatedCleanSteps(steps: readonly CleanStep[]): PlannedCleanStep[] {
  return steps
    .filter((s) => s.priority > 0)
    .map((s, index) => ({ s, index }))
    .sort(
      (a, b) =>
        b.s.priority - a.s.priority ||
        CLEANING_INTERFACE_PRIORITY[b.s.interface] - CLEANING_INTERFACE_PRIORITY[a.s.interface] ||
        a.index - b.index,
    )
    .map(({ s }) => ({ ...s, args: {} }));
}

/**
 * The steps manual cleaning runs: the user's list, in the user's order, each matched to an
 * available step (priority does not matter) and its `args` checked against the step's
 * `argsinfo`. Every problem of every step is reported in one {@link InvalidParameterValue}:
 * unknown step, unexpected argument, missing required argument.
 *
 * @example
 * ```ts
 * const plan = manualCleanSteps(available, [
 *   { interface: 'management', step: 'activate_license', args: { ilo_license_key: 'XXXXX' } },
 * ]);
 * ```
 */
export function manualCleanSteps(
  available: readonly CleanStep[],
  requested: readonly RequestedCleanStep[],
): PlannedCleanStep[] {
  const issues: FieldIssue[] = [];
  const plan: PlannedCleanStep[] = [];
  requested.forEach((req, i) => {
    const where = `clean_steps[${i}] (${req.interface}.${req.step})`;
    const step = available.find((s) => s.interface === req.interface && s.step === req.step);
    if (step === undefined) {
      issues.push({ field: where, problem: 'is not a clean step of this driver' });
      return;
    }
    const args: Record<string, JsonValue> = { ...(req.args ?? {}) };
    const info = step.argsinfo ?? {};
    const unexpected = Object.keys(args).filter((a) => !Object.hasOwn(info, a));
    const missing = Object.entries(info)
      .filter(([name, a]) => a.required === true && !Object.hasOwn(args, name))
      .map(([name]) => name);
    if (unexpected.length > 0)
      issues.push({ field: where, problem: `argument(s) not expected: ${unexpected.join(', ')}` });
    if (missing.length > 0)
      issues.push({ field: where, problem: `required argument(s) missing: ${missing.join(', ')}` });
    plan.push({ ...step, args });
  });
  if (issues.length > 0) {
    throw new InvalidParameterValue(
      `Invalid manual clean steps: ${issues.map((x) => `${x.field} ${x.problem}`).join('; ')}`,
      { fields: issues },
    );
  }
  return plan;
}
