import { type FieldIssue, InvalidParameterValue, MissingParameterValue } from '../errors/index.js';

/**
 * Runs every check and gathers the fields of the `InvalidParameterValue`s (and
 * `MissingParameterValue`s) they throw, so that one error can name every bad field; any other
 * error is thrown at once.
 *
 * @example
 * ```ts
 * const issues = collectIssues([() => parseDriverInfo(node), () => parseInstanceInfo(node)]);
 * throwIssues(`Node ${node.uuid} cannot be deployed`, issues);
 * ```
 */
export function collectIssues(checks: readonly (() => unknown)[]): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const check of checks) {
    try {
      check();
    } catch (e) {
      if (!(e instanceof InvalidParameterValue)) throw e;
      issues.push(...(e.fields.length > 0 ? e.fields : [{ field: 'node', problem: e.message }]));
    }
  }
  return issues;
}

/**
 * Throws one error naming every issue — `MissingParameterValue` when one of them is a missing
 * field (problem `required`), otherwise `InvalidParameterValue` — or nothing when there is none.
 * `cause`, when given, is kept as the error's cause.
 *
 * @example
 * ```ts
 * throwIssues('Cannot deploy', [{ field: 'driver_info.ilo_deploy_iso', problem: 'required' }]);
 * // MissingParameterValue: Cannot deploy: driver_info.ilo_deploy_iso required.
 * ```
 */
export function throwIssues(what: string, issues: readonly FieldIssue[], cause?: unknown): void {
  if (issues.length === 0) return;
  const text = `${what}: ${issues.map((i) => `${i.field} ${i.problem}`).join('; ')}.`;
  const missing = issues.some((i) => /^required\b/.test(i.problem));
  const options = { fields: issues, ...(cause === undefined ? {} : { cause }) };
  throw missing ? new MissingParameterValue(text, options) : new InvalidParameterValue(text, options);
}
