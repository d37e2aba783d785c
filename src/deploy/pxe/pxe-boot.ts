import { parseInstanceInfo } from '../../config/index.js';
import type {
  BootInterface,
  OperationOptions,
  PropertyDescriptions,
  RamdiskParams,
  Task,
} from '../../contracts/index.js';
import { BootDevice } from '../../contracts/index.js';
import { getBootModeForDeploy, type IloManagement } from '../../management/index.js';
import { collectIssues, requireExclusiveLock, throwIssues } from '../../util/index.js';
import type { PxeConfigurator, PxeInstanceRequest } from './configurator.js';

/**
 * Options of {@link PxeBoot}.
 *
 * @example
 * ```ts
 * const boot = new PxeBoot({ pxe: myDnsmasqConfigurator, management });
 * ```
 */
export interface PxeBootOptions {
  /** The embedder's DHCP and TFTP set-up (this library runs neither). */
  pxe: PxeConfigurator;
  /** Sets the persistent boot device of the instance. */
  management: Pick<IloManagement, 'setBootDevice'>;
}

/**
 * pxe_ilo's boot interface (Ironic's `PXEBoot` as pxe_ilo used it): the deploy ramdisk and a
 * netboot instance boot from the network, through the injected {@link PxeConfigurator}; the
 * instance's persistent boot device is set through the iLO (the disk for local boot and
 * whole-disk images, the network otherwise). The library runs no DHCP or TFTP server.
 *
 * @example
 * ```ts
 * const boot = new PxeBoot({ pxe, management });
 * await boot.prepareRamdisk(task, iscsiIloRamdiskParams(task.node, task.ports, config, { deployKey, bootMode: 'bios' }));
 * ```
 */
export class PxeBoot implements BootInterface {
  private readonly pxe: PxeConfigurator;
  private readonly management: Pick<IloManagement, 'setBootDevice'>;

  constructor(options: PxeBootOptions) {
    this.pxe = options.pxe;
    this.management = options.management;
  }

  /** `deploy_kernel` and `deploy_ramdisk`. */
  getProperties(): PropertyDescriptions {
    return {
      deploy_kernel: 'UUID (from Glance) or URL of the deployment kernel. Required.',
      deploy_ramdisk: 'UUID (from Glance) or URL of the ramdisk that is mounted at boot time. Required.',
    };
  }

  /** `driver_info.deploy_kernel`, `deploy_ramdisk`, `instance_info` in one error; then the configurator's own check. */
  async validate(task: Task): Promise<void> {
    const issues = collectIssues([() => parseInstanceInfo(task.node)]).map((i) => ({
      ...i,
      field: `instance_info.${i.field}`,
    }));
    for (const key of ['deploy_kernel', 'deploy_ramdisk'] as const) {
      const v = task.node.driverInfo[key];
      if (typeof v !== 'string' || v === '')
        issues.unshift({ field: `driver_info.${key}`, problem: 'required' });
    }
    throwIssues(`Node ${task.node.uuid} cannot boot from the network`, issues);
    await this.pxe.validate?.(task, task.signal === undefined ? {} : { signal: task.signal });
  }

  /** The configurator makes the node's next network boot start the deploy ramdisk with `params`. */
  async prepareRamdisk(task: Task, params: RamdiskParams, options: OperationOptions = {}): Promise<void> {
    requireExclusiveLock(task);
    await this.pxe.prepareRamdisk(
      task,
      {
        deployKernel: task.node.driverInfo.deploy_kernel as string,
        deployRamdisk: task.node.driverInfo.deploy_ramdisk as string,
        params,
        bootMode: getBootModeForDeploy(task.node) ?? 'bios',
      },
      options,
    );
  }

  /** Undoes {@link PxeBoot.prepareRamdisk}. */
  async cleanUpRamdisk(task: Task, options: OperationOptions = {}): Promise<void> {
    await this.pxe.cleanUpRamdisk(task, options);
  }

  /**
   * The configurator switches the node to its instance; the persistent boot device becomes the
   * disk (local boot, whole-disk image) or the network (netboot).
   */
  async prepareInstance(task: Task, options: OperationOptions = {}): Promise<void> {
    const node = task.node;
    const info = parseInstanceInfo(node);
    const local = info.bootOption === 'local' || info.isWholeDiskImage;
    const rootUuid = node.driverInternalInfo.root_uuid_or_disk_id;
    const request: PxeInstanceRequest = {
      bootOption: local ? 'local' : 'netboot',
      bootMode: getBootModeForDeploy(node) ?? 'bios',
      isWholeDiskImage: info.isWholeDiskImage,
      ...(typeof rootUuid === 'string' ? { rootUuid } : {}),
      ...(info.kernel === undefined ? {} : { kernel: info.kernel }),
      ...(info.ramdisk === undefined ? {} : { ramdisk: info.ramdisk }),
    };
    await this.pxe.prepareInstance(task, request, options);
    await this.management.setBootDevice(task, local ? BootDevice.DISK : BootDevice.PXE, {
      ...options,
      persistent: true,
    });
  }

  /** The configurator removes the instance's PXE set-up and the node's DHCP options. */
  async cleanUpInstance(task: Task, options: OperationOptions = {}): Promise<void> {
    await this.pxe.cleanUpInstance(task, options);
    const dii = { ...task.node.driverInternalInfo };
    delete dii.root_uuid_or_disk_id;
    task.node.driverInternalInfo = dii;
    await task.save();
  }
}
