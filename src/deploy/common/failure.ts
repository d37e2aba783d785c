import type { BootInterface, Logger, OperationOptions, PowerInterface, Task } from '../../contracts/index.js';
import { PowerState, ProvisionState } from '../../contracts/index.js';
import { noopLogger } from '../../util/index.js';
import { nodePowerAction } from './node.js';

/**
 * Options of {@link setFailedState}.
 *
 * @example
 * ```ts
 * await setFailedState(task, 'Failed to continue iSCSI deployment.', { power, boot, logger });
 * ```
 */
export interface SetFailedStateOptions extends OperationOptions {
  /** Powers the node off (skipped when absent). */
  power?: Pick<PowerInterface, 'getPowerState' | 'setPowerState' | 'reboot'>;
  /** Its ramdisk clean-up removes the floppy and ejects the virtual media (skipped when absent). */
  boot?: Pick<BootInterface, 'cleanUpRamdisk'>;
  /** Where the failure and any clean-up trouble are logged. */
  logger?: Logger;
}

function text(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Ironic's `deploy_utils.set_failed_state`: the node goes to its failed state (`'fail'`: `deploy
 * failed` from `deploying` or `wait call-back`), is powered off, and `last_error` records
 * `message`. Also (Ironic left these to the tear-down) the deploy ramdisk's floppy is removed and
 * the virtual media ejected, so that nothing of a failed deploy stays published or attached.
 * Never throws: a step that fails is logged and the others still run. `message` must not hold
 * secrets.
 *
 * @example
 * ```ts
 * try {
 *   await writeImage(task);
 * } catch (e) {
 *   await setFailedState(task, `Deploy failed: ${e.message}`, { power, boot, logger });
 *   throw e;
 * }
 * ```
 */
export async function setFailedState(
  task: Task,
  message: string,
  options: SetFailedStateOptions = {},
): Promise<void> {
  const logger = options.logger ?? noopLogger;
  const node = task.node;
  const call = options.signal === undefined ? {} : { signal: options.signal };
  logger.error(`Deploy of node ${node.uuid} failed: ${message}`);
  try {
    await task.processEvent('fail');
  } catch (e) {
    logger.error(
      `Internal error. Node ${node.uuid} in provision state "${node.provisionState}" could not transition to a failed state: ${text(e)}`,
    );
  }
  try {
    if (options.power !== undefined) await nodePowerAction(task, options.power, PowerState.OFF, call);
  } catch (e) {
    logger.error(
      `Node ${node.uuid} failed to power off while handling deploy failure. This may be a serious condition. Node should be removed from Ironic or put in maintenance mode until the problem is resolved.`,
      { error: text(e) },
    );
  }
  try {
    await options.boot?.cleanUpRamdisk(task, call);
  } catch (e) {
    logger.warn(`Could not clean up the deploy ramdisk of failed node ${node.uuid}`, { error: text(e) });
  }
  node.lastError = message;
  try {
    await task.save();
  } catch (e) {
    logger.error(`Could not save failed node ${node.uuid}`, { error: text(e) });
  }
}

/** Whether the node is where a deploy failure applies ('deploying' or 'wait call-back'). */
export function isDeploying(task: Pick<Task, 'node'>): boolean {
  const state = task.node.provisionState;
  return state === ProvisionState.DEPLOYING || state === ProvisionState.DEPLOYWAIT;
}
