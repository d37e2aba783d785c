import { PxeBoot, PxeDeploy } from '../deploy/index.js';
import { MissingParameterValue } from '../errors/index.js';
import { assemble, deployDeps, driverParts, iscsiDeps, isoAttacherOf, powerWith } from './compose.js';
import type { PxeIloDriverOptions } from './options.js';
import type { PxeIloDriver } from './types.js';

/**
 * Ironic's pxe_ilo: `IloPower`, `IloManagement`, `PxeBoot` over your `PxeConfigurator` (this
 * library runs no DHCP or TFTP server: the configurator drives yours), `PxeDeploy` (the iSCSI
 * deploy with the boot mode set before PXE, a one-time network boot, and UEFI + whole-disk
 * netboot refused), `VendorPassthru` and, given `ports`, `Inspector`. For servers without an iLO
 * Advanced licence. Throws `MissingParameterValue` without `pxe`.
 *
 * @example
 * ```ts
 * await using driver = createPxeIloDriver({ config, pxe: myDnsmasqConfigurator, logger });
 * await driver.deploy.prepare(task);
 * await driver.deploy.deploy(task); // one-time PXE, reboot: 'wait call-back'
 * ```
 */
export function createPxeIloDriver(options: PxeIloDriverOptions): PxeIloDriver {
  if (options?.pxe === undefined) {
    throw new MissingParameterValue(
      'pxe_ilo needs a PxeConfigurator (this library runs no DHCP or TFTP server).',
      {
        fields: [{ field: 'pxe', problem: 'required' }],
      },
    );
  }
  const parts = driverParts(options, options.store);
  const power = powerWith(parts, undefined);
  const boot = new PxeBoot({ pxe: options.pxe, management: parts.management });
  const deploy = new PxeDeploy({
    ...deployDeps(parts, boot, power),
    ...iscsiDeps(options, parts),
  });
  return assemble('pxe_ilo', options, parts, boot, deploy, power, isoAttacherOf(parts));
}
