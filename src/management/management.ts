import { type IloInterfaceOptions, IloTaskRunner, toIloOperationError } from '../client/index.js';
import { ILO_CLEAN_PROPERTIES, ILO_REQUIRED_PROPERTIES } from '../config/index.js';
import type {
  BootDeviceInfo,
  CleanStep,
  ManagementInterface,
  OperationOptions,
  PlannedCleanStep,
  PropertyDescriptions,
  ProvisionState,
  SensorsData,
  Task,
} from '../contracts/index.js';
import { BootDevice, type BootMode } from '../contracts/index.js';
import { InvalidParameterValue } from '../errors/index.js';
import { requireExclusiveLock } from '../util/index.js';
import { iloBootDevice, readBootDevice, writeBootDevice } from './boot-device.js';
import {
  checkedBootMode,
  readBootMode,
  readSupportedBootModes,
  requestBootMode,
  updateDeployBootMode,
} from './boot-mode.js';
import {
  disableRequestedSecureBoot,
  prepareDeployBootMode,
  readSecureBoot,
  updateRequestedSecureBoot,
  writeSecureBoot,
} from './secure-boot.js';
import { sensorsFromHealth } from './sensors.js';

/**
 * The clean steps a management interface offers: the `CleanSteps` of the `clean` module, or
 * anything with the same two methods.
 *
 * @example
 * ```ts
 * const cleanSteps: ManagementCleanSteps = new CleanSteps(options);
 * ```
 */
export type ManagementCleanSteps = Pick<ManagementInterface, 'getCleanSteps' | 'executeCleanStep'>;

/**
 * Options of {@link IloManagement}.
 *
 * @example
 * ```ts
 * const management = new IloManagement({ ...options, cleanSteps: new CleanSteps(options) });
 * ```
 */
export interface IloManagementOptions extends IloInterfaceOptions {
  /** The clean steps to offer (Ironic's iLO steps come from `CleanSteps`); none when absent. */
  cleanSteps?: ManagementCleanSteps;
}

/** Options of {@link IloManagement.setBootDevice}. */
export interface SetBootDeviceOptions extends OperationOptions {
  /** For every boot from now on, rather than the next one only (default `false`). */
  persistent?: boolean;
}

const BOOT_DEVICES: readonly BootDevice[] = Object.freeze([
  BootDevice.PXE,
  BootDevice.DISK,
  BootDevice.CDROM,
]);

/**
 * Ironic's `IloManagement`: boot device (`pxe`, `disk`, `cdrom`; once or persistent), boot mode
 * and UEFI secure boot, sensors from the iLO's embedded health, and the clean steps it is given.
 * The deploy-time rules the virtual-media boot and deploy interfaces call live here too:
 * {@link IloManagement.updateBootMode}, {@link IloManagement.prepareBootModeForDeploy},
 * {@link IloManagement.updateSecureBootMode} and {@link IloManagement.disableSecureBootIfSupported}.
 * Every method that changes the node or its hardware needs an exclusive lock; iLO failures are
 * `IloOperationError` (secure boot on hardware without it: `IloOperationNotSupported`).
 *
 * @example
 * ```ts
 * const management = new IloManagement({ config, clients, logger, cleanSteps: new CleanSteps({ config, clients, logger }) });
 * await management.setBootDevice(task, BootDevice.CDROM); // next boot only
 * const { bootDevice, persistent } = await management.getBootDevice(task);
 * const sensors = await management.getSensorsData(task);
 * ```
 */
export class IloManagement implements ManagementInterface {
  private readonly runner: IloTaskRunner;
  private readonly cleanSteps: ManagementCleanSteps | undefined;

  constructor(options: IloManagementOptions = {}) {
    this.runner = new IloTaskRunner(options);
    this.cleanSteps = options.cleanSteps;
  }

  /** The iLO credentials and `ilo_change_password` (read by the `reset_ilo_credential` step). */
  getProperties(): PropertyDescriptions {
    return { ...ILO_REQUIRED_PROPERTIES, ...ILO_CLEAN_PROPERTIES };
  }

  /** Validates `driver_info` (every bad field at once); no network I/O. */
  async validate(task: Task): Promise<void> {
    this.runner.driverInfo(task);
  }

  /** `pxe`, `disk` and `cdrom`. */
  async getSupportedBootDevices(_task: Task): Promise<readonly BootDevice[]> {
    return BOOT_DEVICES;
  }

  /** Sets the next boot device, once (default) or for every boot (`persistent: true`). */
  async setBootDevice(task: Task, device: BootDevice, options: SetBootDeviceOptions = {}): Promise<void> {
    requireExclusiveLock(task);
    iloBootDevice(device);
    await this.runner.run(task, options, (ctx) => writeBootDevice(ctx, device, options.persistent === true));
  }

  /** The next boot device: the one-time one if set, otherwise the first persistent one. */
  async getBootDevice(task: Task, options: OperationOptions = {}): Promise<BootDeviceInfo> {
    return this.runner.run(task, options, readBootDevice);
  }

  /** Fans, temperatures, power, processors, memory, drives and health summary (see `sensorsFromHealth`). */
  async getSensorsData(task: Task, options: OperationOptions = {}): Promise<SensorsData> {
    return this.runner.run(task, options, async ({ ilo, call }) => {
      try {
        return sensorsFromHealth(await ilo.getHostHealthData(call));
      } catch (error) {
        throw toIloOperationError(error, 'Get sensors data');
      }
    });
  }

  /** The boot modes the hardware supports (`bios` only on iLO 3). */
  async getSupportedBootModes(task: Task, options: OperationOptions = {}): Promise<readonly BootMode[]> {
    return this.runner.run(task, options, readSupportedBootModes);
  }

  /** Requests a boot mode for the next reset (nothing is written when it is already pending). */
  async setBootMode(task: Task, mode: BootMode, options: OperationOptions = {}): Promise<void> {
    requireExclusiveLock(task);
    const checked = checkedBootMode(mode, 'mode');
    await this.runner.run(task, options, (ctx) => requestBootMode(ctx, checked));
  }

  /** The boot mode the server runs in. */
  async getBootMode(task: Task, options: OperationOptions = {}): Promise<BootMode | null> {
    return this.runner.run(task, options, readBootMode);
  }

  /** Whether secure boot is on: `false` without asking when the server boots legacy BIOS. */
  async getSecureBootState(task: Task, options: OperationOptions = {}): Promise<boolean> {
    return this.runner.run(task, options, readSecureBoot);
  }

  /** Turns secure boot on or off from the next boot (UEFI only). */
  async setSecureBootState(task: Task, enabled: boolean, options: OperationOptions = {}): Promise<void> {
    requireExclusiveLock(task);
    if (typeof enabled !== 'boolean') {
      throw new InvalidParameterValue('enabled must be true or false.', {
        fields: [{ field: 'enabled', problem: 'must be a boolean' }],
      });
    }
    await this.runner.run(task, options, (ctx) => writeSecureBoot(ctx, enabled));
  }

  /** The clean steps it was given (none without `cleanSteps`). */
  async getCleanSteps(task: Task): Promise<CleanStep[]> {
    return this.cleanSteps === undefined ? [] : this.cleanSteps.getCleanSteps(task);
  }

  /** Runs one of its clean steps. */
  async executeCleanStep(
    task: Task,
    step: PlannedCleanStep,
    options: OperationOptions = {},
  ): Promise<ProvisionState | undefined> {
    if (this.cleanSteps === undefined) {
      throw new InvalidParameterValue(`'${step.step}' is not a clean step of this management interface.`, {
        fields: [{ field: 'step', problem: 'no clean steps were given to IloManagement' }],
      });
    }
    return this.cleanSteps.executeCleanStep(task, step, options);
  }

  /**
   * Ironic's `update_boot_mode`, before a deploy and before booting the instance: requests the
   * mode `getBootModeForDeploy` decides, else `[ilo] default_boot_mode`, else keeps the pending
   * mode (`UNKNOWN` pending requests UEFI; iLO 3 means `bios`), recording the choice in
   * `instance_info.deploy_boot_mode`. Returns the mode.
   */
  async updateBootMode(task: Task, options: OperationOptions = {}): Promise<BootMode> {
    requireExclusiveLock(task);
    return this.runner.run(task, options, (ctx) => updateDeployBootMode(ctx, this.runner.config));
  }

  /**
   * The boot-mode part of preparing a deploy (the caller powers the node off first): secure boot
   * is turned off when on, and then the boot mode is left as is (`uefi` recorded when nothing
   * else decides it); otherwise {@link IloManagement.updateBootMode}. Returns the deploy's mode.
   */
  async prepareBootModeForDeploy(task: Task, options: OperationOptions = {}): Promise<BootMode> {
    requireExclusiveLock(task);
    return this.runner.run(task, options, (ctx) => prepareDeployBootMode(ctx, this.runner.config));
  }

  /**
   * Ironic's `update_secure_boot_mode`: turns secure boot on or off only when the instance asks
   * for it (`instance_info.capabilities.secure_boot` is `true`). Returns whether it changed it.
   */
  async updateSecureBootMode(task: Task, enable: boolean, options: OperationOptions = {}): Promise<boolean> {
    requireExclusiveLock(task);
    return this.runner.run(task, options, (ctx) => updateRequestedSecureBoot(ctx, enable));
  }

  /** At tear-down: turns requested secure boot off; hardware without secure boot is only a warning. */
  async disableSecureBootIfSupported(task: Task, options: OperationOptions = {}): Promise<void> {
    requireExclusiveLock(task);
    await this.runner.run(task, options, disableRequestedSecureBoot);
  }
}
