import { AgentDeploy } from '../deploy/index.js';
import { assemble, deployDeps, powerWith, virtualMediaParts } from './compose.js';
import type { IloDriverOptions } from './options.js';
import type { AgentIloDriver } from './types.js';

/**
 * Ironic's agent_ilo: `IloPower`, `IloManagement` (with the iLO's clean steps),
 * `VirtualMediaBoot`, `AgentDeploy` (the agent writes the image itself; in-band cleaning),
 * `VendorPassthru` (`heartbeat`, `boot_into_iso`, `lookup`) and, given `ports`, `Inspector`.
 * Every dependency can be injected; the driver owns (and `close()` closes) what it creates.
 *
 * @example
 * ```ts
 * await using driver = createAgentIloDriver({ config, store, ports, lookupNode, logger });
 * await driver.deploy.validate(task);
 * await task.processEvent('deploy');
 * await driver.deploy.prepare(task);
 * await driver.deploy.deploy(task); // 'wait call-back'
 * await task.processEvent('wait');
 * // on each heartbeat: await driver.vendor.heartbeat(task, { agentUrl, agentToken });
 * ```
 */
export function createAgentIloDriver(options: IloDriverOptions = {}): AgentIloDriver {
  const parts = virtualMediaParts(options);
  const power = powerWith(parts, parts.boot);
  const deploy = new AgentDeploy({
    ...deployDeps(parts, parts.boot, power),
  });
  return assemble('agent_ilo', options, parts, parts.boot, deploy, power, parts.boot);
}
