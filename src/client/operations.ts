import type { OperationOptions } from '../contracts/index.js';
import type { EssentialProperties, HostHealthData, ServerCapabilities } from './health-types.js';
import type {
  HostUuid,
  IloBootDevice,
  IloBootMode,
  IloLicense,
  IloOneTimeBoot,
  IloOneTimeBootTarget,
  IloPendingBootMode,
  IloPersistentBootTarget,
  IloPowerStatus,
  IloSupportedBootMode,
  VirtualMediaDevice,
  VmBootOption,
  VmStatus,
} from './types.js';

/**
 * How `resetIlo` waits for the iLO to answer again after `RESET_RIB`.
 *
 * @example
 * ```ts
 * await client.resetIlo({ initialDelayMs: 10_000, pollIntervalMs: 5_000, timeoutMs: 120_000 });
 * ```
 */
export interface ResetIloOptions extends OperationOptions {
  /** Wait before the first poll, while the iLO goes down (default 10 000, as proliantutils). */
  initialDelayMs?: number;
  /** Between polls (default 5 000). */
  pollIntervalMs?: number;
  /** Give up after this long, counted from the reset (default 120 000): `IloConnectionError`. */
  timeoutMs?: number;
}

/**
 * Options of `insertVirtualMedia`.
 *
 * @example
 * ```ts
 * await client.insertVirtualMedia(url, 'CDROM', { validateUrl: false });
 * ```
 */
export interface InsertVirtualMediaOptions extends OperationOptions {
  /**
   * Send `HEAD` to the URL first (from this process, through the client's `dispatcher` when one
   * is given) and refuse it unless it answers 200 and names a file, as proliantutils does
   * (`ImageRefValidationFailed`). Default `true`.
   */
  validateUrl?: boolean;
}

/**
 * The iLO operation set, with proliantutils' `IloClient` names in camelCase. {@link IloClient}
 * implements it over RIBCL and RIS; inject any other implementation (a recording double, a proxy,
 * a Redfish client) wherever an `IloOperations` is expected. An operation with no meaning on the
 * hardware rejects with `IloCommandNotSupported`.
 *
 * @example
 * ```ts
 * async function ensureOn(ilo: IloOperations): Promise<void> {
 *   if ((await ilo.getHostPowerStatus()) === 'OFF') await ilo.setHostPower('ON');
 * }
 * ```
 */
export interface IloOperations {
  /** The server model, for example `'ProLiant DL380 Gen9'` (read once, then cached). */
  getProductName(options?: OperationOptions): Promise<string>;
  /** Host power. */
  getHostPowerStatus(options?: OperationOptions): Promise<IloPowerStatus>;
  /** Powers the host on or off (a forced off; Ironic's hard power off uses `holdPwrBtn`). */
  setHostPower(target: IloPowerStatus, options?: OperationOptions): Promise<void>;
  /** Presses and holds the power button: forces the host off. */
  holdPwrBtn(options?: OperationOptions): Promise<void>;
  /** Presses the power button momentarily: a graceful off when on, on when off. */
  pressPwrBtn(options?: OperationOptions): Promise<void>;
  /** Warm-resets the host. */
  resetServer(options?: OperationOptions): Promise<void>;
  /** The one-time boot target, `'Normal'` when none. */
  getOneTimeBoot(options?: OperationOptions): Promise<IloOneTimeBoot>;
  /** Boots once from `target` at the next boot. */
  setOneTimeBoot(target: IloOneTimeBootTarget, options?: OperationOptions): Promise<void>;
  /** The first persistent boot device, `null` when it cannot be classified. */
  getPersistentBootDevice(options?: OperationOptions): Promise<IloBootDevice | null>;
  /** Makes these devices first in the persistent boot order, in this order. */
  updatePersistentBoot(
    devices: readonly IloPersistentBootTarget[],
    options?: OperationOptions,
  ): Promise<void>;
  /** The boot mode the BIOS booted in. */
  getCurrentBootMode(options?: OperationOptions): Promise<IloBootMode>;
  /** The boot mode applied at the next reset. */
  getPendingBootMode(options?: OperationOptions): Promise<IloPendingBootMode>;
  /** The boot modes the hardware supports. */
  getSupportedBootMode(options?: OperationOptions): Promise<IloSupportedBootMode>;
  /** Sets the boot mode for the next reset. */
  setPendingBootMode(mode: IloBootMode, options?: OperationOptions): Promise<void>;
  /** Whether UEFI secure boot is on for the current boot. */
  getSecureBootMode(options?: OperationOptions): Promise<boolean>;
  /** Turns UEFI secure boot on or off from the next boot (UEFI mode only). */
  setSecureBootMode(enable: boolean, options?: OperationOptions): Promise<void>;
  /** Restores the manufacturer's secure boot keys. */
  resetSecureBootKeys(options?: OperationOptions): Promise<void>;
  /** Deletes every secure boot key. */
  clearSecureBootKeys(options?: OperationOptions): Promise<void>;
  /** Applies the BIOS default settings (from the next boot). */
  resetBiosToDefault(options?: OperationOptions): Promise<void>;
  /** Inserts an image URL into a virtual media device (default `'FLOPPY'`, as proliantutils). */
  insertVirtualMedia(
    url: string,
    device?: VirtualMediaDevice,
    options?: InsertVirtualMediaOptions,
  ): Promise<void>;
  /** Ejects the device's image; does nothing when none is inserted. */
  ejectVirtualMedia(device?: VirtualMediaDevice, options?: OperationOptions): Promise<void>;
  /** The state of a virtual media device (default `'FLOPPY'`). */
  getVmStatus(device?: VirtualMediaDevice, options?: OperationOptions): Promise<VmStatus>;
  /** Sets a device's boot option (default `'BOOT_ONCE'`) and write protection (default on). */
  setVmStatus(
    device?: VirtualMediaDevice,
    bootOption?: VmBootOption,
    writeProtect?: boolean,
    options?: OperationOptions,
  ): Promise<void>;
  /** Memory, CPUs, architecture, local disk and MACs, for Ironic's inspection. */
  getEssentialProperties(options?: OperationOptions): Promise<EssentialProperties>;
  /** Firmware versions, model, GPUs, boot modes, secure boot and other scheduling flags. */
  getServerCapabilities(options?: OperationOptions): Promise<ServerCapabilities>;
  /** Fans, temperatures, power, processors, memory, storage, NICs and firmware. */
  getHostHealthData(options?: OperationOptions): Promise<HostHealthData>;
  /** Installed iLO licences. */
  getAllLicenses(options?: OperationOptions): Promise<IloLicense[]>;
  /** Installs an iLO licence key. */
  activateLicense(key: string, options?: OperationOptions): Promise<void>;
  /** Reboots the iLO (not the host) and waits, bounded, until it answers again. */
  resetIlo(options?: ResetIloOptions): Promise<void>;
  /** Changes the password of the user this client logs in as; later calls use the new one. */
  resetIloCredential(newPassword: string, options?: OperationOptions): Promise<void>;
  /** Model and UUID from the unauthenticated `/xmldata?item=all`. */
  getHostUuid(options?: OperationOptions): Promise<HostUuid>;
}
