import { IscsiDeploy } from '../deploy/index.js';
import { assemble, deployDeps, iscsiDeps, powerWith, virtualMediaParts } from './compose.js';
import type { IscsiIloDriverOptions } from './options.js';
import type { IscsiIloDriver } from './types.js';

/**
 * Ironic's iscsi_ilo: `IloPower`, `IloManagement` (with the iLO's clean steps),
 * `VirtualMediaBoot`, `IscsiDeploy`, `VendorPassthru` (`pass_deploy_info`, `heartbeat`,
 * `boot_into_iso`, `lookup`) and, given `ports`, `Inspector`. The deploy ramdisk boots from
 * virtual media (iLO Advanced licence); the conductor writes the image over iSCSI. Every
 * dependency can be injected; the driver owns (and `close()` closes) what it creates.
 *
 * @example
 * ```ts
 * await using driver = createIscsiIloDriver({ config, swiftAuth, ports, lookupNode, logger });
 * await driver.deploy.validate(task);
 * await task.processEvent('deploy');
 * await driver.deploy.prepare(task);
 * await driver.deploy.deploy(task); // 'wait call-back'
 * await task.processEvent('wait');
 * // the ramdisk calls back through driver.vendor (pass_deploy_info or heartbeat)
 * ```
 */
export function createIscsiIloDriver(options: IscsiIloDriverOptions = {}): IscsiIloDriver {
  const parts = virtualMediaParts(options);
  const power = powerWith(parts, parts.boot);
  const deploy = new IscsiDeploy({
    ...deployDeps(parts, parts.boot, power),
    ...iscsiDeps(options, parts),
  });
  return assemble('iscsi_ilo', options, parts, parts.boot, deploy, power, parts.boot);
}
