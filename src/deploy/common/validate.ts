import type { OperationOptions, Task } from '../../contracts/index.js';
import { type FieldIssue, InvalidParameterValue } from '../../errors/index.js';
import { collectIssues, throwIssues } from '../../util/index.js';
import { formatRootDeviceHints, ironicApiUrl } from '../ramdisk/index.js';
import type { DeployContext } from './context.js';

/**
 * What every deploy interface validates: its own `issues`, `[conductor] api_url` (the ramdisk
 * calls back there), the root device hints, then the boot interface's validation — all in one
 * `MissingParameterValue` / `InvalidParameterValue` naming every bad field.
 */
export async function validateDeploy(
  task: Task,
  ctx: DeployContext,
  issues: readonly FieldIssue[],
  options: OperationOptions,
): Promise<void> {
  const all = [
    ...issues,
    ...collectIssues([() => ironicApiUrl(ctx.config), () => formatRootDeviceHints(task.node)]),
  ];
  let cause: unknown;
  try {
    options.signal?.throwIfAborted();
    await ctx.boot.validate(task);
  } catch (error) {
    if (!(error instanceof InvalidParameterValue)) throw error;
    all.push(...(error.fields.length > 0 ? error.fields : [{ field: 'node', problem: error.message }]));
    cause = error.cause ?? error;
  }
  const seen = new Set<string>();
  const unique = all.filter((i) => !seen.has(i.field) && seen.add(i.field) !== undefined);
  throwIssues(`Node ${task.node.uuid} cannot be deployed`, unique, cause);
}

/** Ironic's `iscsi_deploy.validate`: the node needs a port (the deploy network finds it by MAC). */
export function portIssues(task: Pick<Task, 'node' | 'ports'>): FieldIssue[] {
  return task.ports.length > 0
    ? []
    : [
        {
          field: 'ports',
          problem: `required: node ${task.node.uuid} does not have any port associated with it`,
        },
      ];
}
