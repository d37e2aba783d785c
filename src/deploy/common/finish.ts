import type { IloConfig } from '../../config/index.js';
import type { Clock, Logger, OperationOptions, PowerInterface, Task } from '../../contracts/index.js';
import { PowerState } from '../../contracts/index.js';
import { InstanceDeployFailure } from '../../errors/index.js';
import type { AgentClient } from '../agent/index.js';
import { forgetAgent, nodePowerAction } from './node.js';

/** What {@link rebootAndFinishDeploy} uses. */
export interface FinishDeps {
  power: Pick<PowerInterface, 'getPowerState' | 'setPowerState' | 'reboot'>;
  agent: Pick<AgentClient, 'powerOff'>;
  config: IloConfig;
  clock: Clock;
  logger: Logger;
}

function text(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Ironic's `reboot_and_finish_deploy`: the agent powers the node off (`standby.power_off`, so
 * that the disk is synced and unmounted), the power is polled `[agent]
 * post_deploy_get_power_state_retries` times every `post_deploy_get_power_state_retry_interval`
 * seconds; a node still on is powered off through the iLO; then powered on, and the deploy is
 * `'done'`. The agent's URL and token are forgotten. A failure is an `InstanceDeployFailure`
 * ("Error rebooting node … after deploy").
 */
export async function rebootAndFinishDeploy(
  task: Task,
  deps: FinishDeps,
  options: OperationOptions,
): Promise<void> {
  const { power, agent, config, clock, logger } = deps;
  const node = task.node;
  try {
    try {
      await agent.powerOff(node, options);
      const attempts = config.agent.postDeployGetPowerStateRetries + 1;
      const waitMs = config.agent.postDeployGetPowerStateRetryInterval * 1000;
      let state = await power.getPowerState(task, options);
      for (let attempt = 1; state === PowerState.ON && attempt < attempts; attempt++) {
        await clock.sleep(waitMs, options.signal);
        state = await power.getPowerState(task, options);
      }
      if (state === PowerState.ON) throw new Error(`still on after ${((attempts - 1) * waitMs) / 1000} s`);
    } catch (error) {
      options.signal?.throwIfAborted();
      logger.warn(`Failed to soft power off node ${node.uuid} through its agent: ${text(error)}`);
      await nodePowerAction(task, power, PowerState.OFF, options);
    }
    await nodePowerAction(task, power, PowerState.ON, options);
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason;
    throw new InstanceDeployFailure({
      reason: `Error rebooting node ${node.uuid} after deploy. Error: ${text(error)}`,
      cause: error,
    });
  }
  forgetAgent(task);
  await task.save();
  await task.processEvent('done');
  logger.info(`Deployment to node ${node.uuid} done`);
}
