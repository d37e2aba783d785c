import type { IloConfig } from '../config/index.js';
import type { CleanStep } from '../contracts/index.js';

/**
 * The deploy agent's in-band clean steps with the priority of `erase_devices` overridden as the
 * iLO agent deploy did: `[ilo] clean_priority_erase_devices` when set (0 disables the step),
 * otherwise `[deploy] erase_devices_priority` when set (the option Ironic later asked operators
 * to use instead, bug 1515871), otherwise the agent's own priority. Pure: the input is not changed.
 *
 * @example
 * ```ts
 * const steps = withEraseDevicesPriority(await agent.getCleanSteps(task), config);
 * ```
 */
export function withEraseDevicesPriority(agentSteps: readonly CleanStep[], config: IloConfig): CleanStep[] {
  const override = config.ilo.cleanPriorityEraseDevices ?? config.deploy.eraseDevicesPriority;
  return agentSteps.map((s) =>
    override !== undefined && s.step === 'erase_devices' && s.interface === 'deploy'
      ? { ...s, priority: override }
      : { ...s },
  );
}
