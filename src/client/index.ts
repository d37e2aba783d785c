/**
 * The BMC client: proliantutils' iLO operations, typed, over RIBCL and RIS, behind one seam.
 *
 * @module
 */
export { IloClient } from './client.js';
export type { IloClientExtraOptions } from './factory.js';
export { createIloClient, iloClientOptionsFrom } from './factory.js';
export type {
  EssentialProperties,
  FanHealth,
  FirmwareHealth,
  HealthReading,
  HealthSummary,
  HostHealthData,
  InspectedProperties,
  LogicalDriveHealth,
  MemoryHealth,
  MemoryModuleHealth,
  NicHealth,
  PhysicalDriveHealth,
  PowerHealth,
  PowerSupplyHealth,
  ProcessorHealth,
  ServerCapabilities,
  StorageControllerHealth,
  TemperatureHealth,
} from './health-types.js';
export type { ToIloOperationErrorOptions } from './operation-errors.js';
export { toIloOperationError } from './operation-errors.js';
export type { IloOperations, InsertVirtualMediaOptions, ResetIloOptions } from './operations.js';
export type { IloClientOptions, IloRetryOptions } from './options.js';
export type { IloClientPoolOptions, IloClientProvider } from './provider.js';
export { IloClientPool, perOperationClients } from './provider.js';
export type { IloInterfaceOptions, IloTaskContext } from './task-runner.js';
export { IloTaskRunner } from './task-runner.js';
export type {
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
