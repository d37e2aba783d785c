import type { CleanStep, PlannedCleanStep } from './clean-step.js';
import type { JsonValue } from './node.js';
import type { BootDevice, BootMode, PowerState, ProvisionState } from './states.js';
import type { OperationOptions, Task } from './task.js';

/** `get_properties()`: property name to human description. */
export type PropertyDescriptions = Record<string, string>;

/** Options of power actions. */
export interface PowerActionOptions extends OperationOptions {
  /** How long to wait for the target state, instead of `power_retry × power_wait`. */
  timeoutMs?: number;
}

/**
 * Ironic's PowerInterface.
 *
 * @example
 * ```ts
 * await driver.power.validate(task);
 * await driver.power.setPowerState(task, PowerState.ON);
 * ```
 */
export interface PowerInterface {
  /** Properties this interface reads from `driver_info`. */
  getProperties(): PropertyDescriptions;
  /** Checks `driver_info` (no network I/O). */
  validate(task: Task): Promise<void>;
  /** Reads the power state from the BMC. */
  getPowerState(task: Task, options?: OperationOptions): Promise<PowerState>;
  /** Sets the power state and waits for it. */
  setPowerState(task: Task, state: PowerState, options?: PowerActionOptions): Promise<void>;
  /** Hard reboot; a node that is off is powered on. */
  reboot(task: Task, options?: PowerActionOptions): Promise<void>;
  /** The power states {@link PowerInterface.setPowerState} accepts. */
  getSupportedPowerStates(task: Task): Promise<readonly PowerState[]>;
}

/** The answer of {@link ManagementInterface.getBootDevice}; `null` means unknown. */
export interface BootDeviceInfo {
  /** The next boot device. */
  bootDevice: BootDevice | null;
  /** Whether it applies to every boot. */
  persistent: boolean | null;
}

/** `get_sensors_data()`: `{SensorType: {SensorId: {'Sensor Reading': …, …}}}`. */
export type SensorsData = Record<string, Record<string, Record<string, string>>>;

/**
 * Ironic's ManagementInterface, with the boot-mode and secure-boot additions of later releases.
 *
 * @example
 * ```ts
 * await driver.management.setBootDevice(task, BootDevice.PXE, { persistent: true });
 * ```
 */
export interface ManagementInterface {
  /** Properties this interface reads. */
  getProperties(): PropertyDescriptions;
  /** Checks `driver_info` (no network I/O). */
  validate(task: Task): Promise<void>;
  /** Boot devices {@link ManagementInterface.setBootDevice} accepts. */
  getSupportedBootDevices(task: Task): Promise<readonly BootDevice[]>;
  /** Sets the next boot device, once or for every boot. */
  setBootDevice(
    task: Task,
    device: BootDevice,
    options?: { persistent?: boolean } & OperationOptions,
  ): Promise<void>;
  /** Reads the next boot device. */
  getBootDevice(task: Task, options?: OperationOptions): Promise<BootDeviceInfo>;
  /** Reads the sensors. */
  getSensorsData(task: Task, options?: OperationOptions): Promise<SensorsData>;
  /** Boot modes the hardware supports. */
  getSupportedBootModes(task: Task, options?: OperationOptions): Promise<readonly BootMode[]>;
  /** Sets the boot mode (applied at the next reset). */
  setBootMode(task: Task, mode: BootMode, options?: OperationOptions): Promise<void>;
  /** Reads the current boot mode, `null` when unknown. */
  getBootMode(task: Task, options?: OperationOptions): Promise<BootMode | null>;
  /** Reads whether UEFI secure boot is on. */
  getSecureBootState(task: Task, options?: OperationOptions): Promise<boolean>;
  /** Turns UEFI secure boot on or off. */
  setSecureBootState(task: Task, enabled: boolean, options?: OperationOptions): Promise<void>;
  /** Clean steps this interface offers. */
  getCleanSteps(task: Task): Promise<CleanStep[]>;
  /** Runs one clean step; returns `'clean wait'` when it continues asynchronously. */
  executeCleanStep(
    task: Task,
    step: PlannedCleanStep,
    options?: OperationOptions,
  ): Promise<ProvisionState | undefined>;
}

/**
 * Ironic's DeployInterface. `prepare`, `cleanUp` and `takeOver` must be idempotent.
 *
 * @example
 * ```ts
 * await driver.deploy.prepare(task);
 * const state = await driver.deploy.deploy(task); // 'wait call-back'
 * ```
 */
export interface DeployInterface {
  /** Properties this interface reads. */
  getProperties(): PropertyDescriptions;
  /** Checks that the node holds what a deploy needs. */
  validate(task: Task): Promise<void>;
  /** Starts the deploy; returns the next provision state. */
  deploy(task: Task, options?: OperationOptions): Promise<ProvisionState>;
  /** Undoes a deploy; returns `'deleted'`. */
  tearDown(task: Task, options?: OperationOptions): Promise<ProvisionState>;
  /** Prepares the environment for a deploy (idempotent). */
  prepare(task: Task, options?: OperationOptions): Promise<void>;
  /** Removes whatever `prepare` created (idempotent). */
  cleanUp(task: Task, options?: OperationOptions): Promise<void>;
  /** Takes a node over from a conductor that died. */
  takeOver(task: Task, options?: OperationOptions): Promise<void>;
  /** Prepares in-band cleaning; returns `'clean wait'` when asynchronous. */
  prepareCleaning(task: Task, options?: OperationOptions): Promise<ProvisionState | undefined>;
  /** Undoes `prepareCleaning`. */
  tearDownCleaning(task: Task, options?: OperationOptions): Promise<void>;
  /** Clean steps this interface offers. */
  getCleanSteps(task: Task, options?: OperationOptions): Promise<CleanStep[]>;
  /** Runs one clean step; returns `'clean wait'` when it continues asynchronously. */
  executeCleanStep(
    task: Task,
    step: PlannedCleanStep,
    options?: OperationOptions,
  ): Promise<ProvisionState | undefined>;
}

/** Options handed to the deploy ramdisk (written to the virtual floppy's `parameters.txt`). */
export type RamdiskParams = Record<string, string | number | boolean | null>;

/**
 * Ironic's BootInterface.
 *
 * @example
 * ```ts
 * await driver.boot.prepareRamdisk(task, { 'ipa-api-url': 'http://conductor:6385' });
 * ```
 */
export interface BootInterface {
  /** Properties this interface reads. */
  getProperties(): PropertyDescriptions;
  /** Checks the boot information of the ramdisk and the instance. */
  validate(task: Task): Promise<void>;
  /** Prepares booting the deploy ramdisk with these parameters (the caller reboots). */
  prepareRamdisk(task: Task, params: RamdiskParams, options?: OperationOptions): Promise<void>;
  /** Undoes `prepareRamdisk`. */
  cleanUpRamdisk(task: Task, options?: OperationOptions): Promise<void>;
  /** Prepares booting the deployed instance. */
  prepareInstance(task: Task, options?: OperationOptions): Promise<void>;
  /** Undoes `prepareInstance`. */
  cleanUpInstance(task: Task, options?: OperationOptions): Promise<void>;
}

/** HTTP methods a vendor route answers. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Metadata of a vendor passthru route, as Ironic's `@passthru` decorator recorded it. */
export interface VendorRouteInfo {
  /** Route (method) name. */
  name: string;
  /** HTTP methods it answers. */
  httpMethods: readonly HttpMethod[];
  /** Whether the API answers 202 and runs it in the background. */
  async: boolean;
  /** What it does. */
  description: string;
  /** Whether its return value is attached to the HTTP response body. */
  attach: boolean;
}

/** A node-level vendor route: runs with a task. */
export interface VendorRoute extends VendorRouteInfo {
  /** Runs the route. */
  handler(
    task: Task,
    args: Record<string, JsonValue>,
    options?: OperationOptions,
  ): Promise<JsonValue | undefined>;
}

/** A driver-level vendor route: runs without a node (for example the agent's `lookup`). */
export interface DriverVendorRoute extends VendorRouteInfo {
  /** Runs the route. */
  handler(args: Record<string, JsonValue>, options?: OperationOptions): Promise<JsonValue | undefined>;
}

/**
 * Ironic's VendorInterface: routes are typed data, looked up by name.
 *
 * @example
 * ```ts
 * await vendor.validate(task, 'boot_into_iso', { boot_iso_href: url });
 * await vendor.routes.find((r) => r.name === 'boot_into_iso')!.handler(task, { boot_iso_href: url });
 * ```
 */
export interface VendorInterface {
  /** Properties this interface reads. */
  getProperties(): PropertyDescriptions;
  /** Node-level routes. */
  readonly routes: readonly VendorRoute[];
  /** Driver-level routes. */
  readonly driverRoutes: readonly DriverVendorRoute[];
  /** Checks a call before it runs. */
  validate(task: Task, method: string, args: Record<string, JsonValue>): Promise<void>;
}

/**
 * Ironic's InspectInterface.
 *
 * @example
 * ```ts
 * const next = await driver.inspect.inspectHardware(task); // 'manageable'
 * ```
 */
export interface InspectInterface {
  /** Properties this interface reads. */
  getProperties(): PropertyDescriptions;
  /** Checks `driver_info` (no network I/O). */
  validate(task: Task): Promise<void>;
  /** Discovers properties, capabilities and ports; returns the next provision state. */
  inspectHardware(task: Task, options?: OperationOptions): Promise<ProvisionState>;
}

/** Connection information for a console. */
export interface ConsoleInfo {
  /** Console type, for example `'shellinabox'` or `'socat'`. */
  type: string;
  /** Where to connect. */
  url: string;
}

/**
 * Ironic's ConsoleInterface.
 *
 * @example
 * ```ts
 * await driver.console?.startConsole(task);
 * ```
 */
export interface ConsoleInterface {
  /** Properties this interface reads. */
  getProperties(): PropertyDescriptions;
  /** Checks `driver_info`. */
  validate(task: Task): Promise<void>;
  /** Starts the console. */
  startConsole(task: Task, options?: OperationOptions): Promise<void>;
  /** Stops the console. */
  stopConsole(task: Task, options?: OperationOptions): Promise<void>;
  /** Returns how to connect. */
  getConsole(task: Task, options?: OperationOptions): Promise<ConsoleInfo>;
}

/**
 * A driver: a composition of interfaces, as Ironic's classic drivers were. `power` and `deploy`
 * are required; the others are optional.
 */
export interface Driver {
  /** The driver's name (`iscsi_ilo`, `agent_ilo`, `pxe_ilo`). */
  readonly name: string;
  /** Power control. */
  readonly power: PowerInterface;
  /** Deploy flow. */
  readonly deploy: DeployInterface;
  /** Boot device, boot mode, sensors and management clean steps. */
  readonly management?: ManagementInterface;
  /** How ramdisk and instance boot. */
  readonly boot?: BootInterface;
  /** Vendor passthru routes. */
  readonly vendor?: VendorInterface;
  /** Hardware inspection. */
  readonly inspect?: InspectInterface;
  /** Serial console. */
  readonly console?: ConsoleInterface;
}
