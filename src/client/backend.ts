import type { OperationOptions } from '../contracts/index.js';
import type { EssentialProperties, HostHealthData, ServerCapabilities } from './health-types.js';
import type {
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
 * The seam between `IloClient` and the protocols. A backend answers in the library's types only,
 * so that nothing above it knows whether RIBCL, RIS or (later) Redfish answered. Arguments arrive
 * validated and with defaults applied.
 */
export interface IloBackend {
  getHostPowerStatus(o: OperationOptions): Promise<IloPowerStatus>;
  setHostPower(target: IloPowerStatus, o: OperationOptions): Promise<void>;
  holdPwrBtn(o: OperationOptions): Promise<void>;
  pressPwrBtn(o: OperationOptions): Promise<void>;
  resetServer(o: OperationOptions): Promise<void>;
  getOneTimeBoot(o: OperationOptions): Promise<IloOneTimeBoot>;
  setOneTimeBoot(target: IloOneTimeBootTarget, o: OperationOptions): Promise<void>;
  getPersistentBootDevice(o: OperationOptions): Promise<IloBootDevice | null>;
  updatePersistentBoot(devices: readonly IloPersistentBootTarget[], o: OperationOptions): Promise<void>;
  getCurrentBootMode(o: OperationOptions): Promise<IloBootMode>;
  getPendingBootMode(o: OperationOptions): Promise<IloPendingBootMode>;
  getSupportedBootMode(o: OperationOptions): Promise<IloSupportedBootMode>;
  setPendingBootMode(mode: IloBootMode, o: OperationOptions): Promise<void>;
  getSecureBootMode(o: OperationOptions): Promise<boolean>;
  setSecureBootMode(enable: boolean, o: OperationOptions): Promise<void>;
  resetSecureBootKeys(o: OperationOptions): Promise<void>;
  clearSecureBootKeys(o: OperationOptions): Promise<void>;
  resetBiosToDefault(o: OperationOptions): Promise<void>;
  insertVirtualMedia(url: string, device: VirtualMediaDevice, o: OperationOptions): Promise<void>;
  ejectVirtualMedia(device: VirtualMediaDevice, o: OperationOptions): Promise<void>;
  getVmStatus(device: VirtualMediaDevice, o: OperationOptions): Promise<VmStatus>;
  setVmStatus(
    device: VirtualMediaDevice,
    bootOption: VmBootOption,
    writeProtect: boolean,
    o: OperationOptions,
  ): Promise<void>;
  getEssentialProperties(o: OperationOptions): Promise<EssentialProperties>;
  getServerCapabilities(o: OperationOptions): Promise<ServerCapabilities>;
  getHostHealthData(o: OperationOptions): Promise<HostHealthData>;
  getAllLicenses(o: OperationOptions): Promise<IloLicense[]>;
  activateLicense(key: string, o: OperationOptions): Promise<void>;
  /** Asks the iLO to reboot itself; `IloClient.resetIlo` then waits for it. */
  requestIloReset(o: OperationOptions): Promise<void>;
  /** Changes the logged-in user's password (the shared credentials are updated by the client). */
  changePassword(newPassword: string, o: OperationOptions): Promise<void>;
}

/** The server generation a model string names, which decides the protocols. */
export type ServerGeneration = 'G7-or-older' | 'Gen8' | 'Gen9' | 'Gen10-or-later';

/** Reads the generation from a product name such as `ProLiant DL380 Gen9`. */
export function generationOf(model: string): ServerGeneration {
  const gen = /\bGen(\d+)/i.exec(model);
  if (gen === null) return 'G7-or-older';
  const n = Number(gen[1]);
  if (n >= 10) return 'Gen10-or-later';
  return n === 9 ? 'Gen9' : 'Gen8';
}
