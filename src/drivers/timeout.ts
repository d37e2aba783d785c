import type { Driver, Logger, OperationOptions, Task } from '../contracts/index.js';
import { setFailedState } from '../deploy/index.js';
import { InstanceDeployFailure } from '../errors/index.js';
import { noopLogger } from '../util/index.js';

/**
 * Options of {@link failDeployAfterCallbackTimeout}.
 *
 * @example
 * ```ts
 * await failDeployAfterCallbackTimeout(task, driver, { logger, signal });
 * ```
 */
export interface CallbackTimeoutOptions extends OperationOptions {
  /** Where the failure is logged. */
  logger?: Logger;
}

/**
 * What the conductor does when a node waited in `wait call-back` longer than `[conductor]
 * deploy_callback_timeout` (Ironic's `cleanup_after_timeout`): the deploy fails (`deploy
 * failed`, `lastError` "Timeout reached while waiting for callback for node …"), the node is
 * powered off, its floppy removed and media ejected, and `deploy.cleanUp` runs (a failure there
 * is logged). Resolves to the `InstanceDeployFailure` to report; never throws.
 *
 * @example
 * ```ts
 * const limitMs = config.conductor.deployCallbackTimeout * 1000;
 * if (task.node.provisionState === 'wait call-back' && clock.now() - waitingSince > limitMs) {
 *   const error = await failDeployAfterCallbackTimeout(task, driver, { logger });
 *   alert(error.message);
 * }
 * ```
 */
export async function failDeployAfterCallbackTimeout(
  task: Task,
  driver: Pick<Driver, 'deploy' | 'power' | 'boot'>,
  options: CallbackTimeoutOptions = {},
): Promise<InstanceDeployFailure> {
  const logger = options.logger ?? noopLogger;
  const message = `Timeout reached while waiting for callback for node ${task.node.uuid}`;
  const call = options.signal === undefined ? {} : { signal: options.signal };
  await setFailedState(task, message, {
    power: driver.power,
    ...(driver.boot === undefined ? {} : { boot: driver.boot }),
    logger,
    ...call,
  });
  try {
    await driver.deploy.cleanUp(task, call);
  } catch (e) {
    logger.error(
      `Cleanup failed for node ${task.node.uuid} after deploy timeout: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  return new InstanceDeployFailure({ reason: message });
}
