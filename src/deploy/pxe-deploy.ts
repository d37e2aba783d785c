import type { BootMode, OperationOptions, Task } from '../contracts/index.js';
import { BootDevice, PowerState } from '../contracts/index.js';
import { nodePowerAction } from './common/node.js';
import { IscsiDeploy, type IscsiDeployOptions, isLocalBoot } from './iscsi-deploy.js';
import { validateUefiBootOption } from './pxe/index.js';

/**
 * Options of {@link PxeDeploy}: those of {@link IscsiDeploy}, its boot interface being a
 * `PxeBoot`.
 *
 * @example
 * ```ts
 * const deploy = new PxeDeploy({ boot: new PxeBoot({ pxe, management }), power, management, images, agent, diskWriter });
 * ```
 */
export type PxeDeployOptions = IscsiDeployOptions;

/**
 * Ironic's `IloPXEDeploy` (pxe_ilo): the iSCSI deploy with a PXE-booted ramdisk, for servers
 * without an iLO Advanced licence. The iLO adds the boot mode before PXE (set while preparing),
 * the refusal of a whole-disk image net-booted in UEFI mode (bug 1432498) and a one-time network
 * boot before the reboot into the ramdisk.
 *
 * @example
 * ```ts
 * await deploy.prepare(task); // power off, boot mode, UEFI check, PXE set-up through the configurator
 * await deploy.deploy(task); // one-time PXE, reboot: 'wait call-back'
 * ```
 */
export class PxeDeploy extends IscsiDeploy {
  /** Refuses a whole-disk image net-booted in UEFI mode. */
  protected override async beforeRamdisk(task: Task, bootMode: BootMode): Promise<void> {
    validateUefiBootOption(task.node, bootMode, {
      isWholeDiskImage: task.node.driverInternalInfo.is_whole_disk_image === true,
      bootOption: isLocalBoot(task) ? 'local' : 'netboot',
    });
  }

  /** One-time boot from the network, then the reboot. */
  protected override async rebootIntoRamdisk(task: Task, call: OperationOptions): Promise<void> {
    await this.management.setBootDevice(task, BootDevice.PXE, call);
    await nodePowerAction(task, this.power, PowerState.REBOOT, call);
  }
}
