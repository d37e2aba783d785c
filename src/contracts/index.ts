/**
 * Ironic's driver contracts, typed. This module imports nothing and performs no I/O.
 *
 * @module
 */
export type {
  CleaningInterface,
  CleanStep,
  CleanStepArgInfo,
  PlannedCleanStep,
  RequestedCleanStep,
} from './clean-step.js';
export type {
  BootDeviceInfo,
  BootInterface,
  ConsoleInfo,
  ConsoleInterface,
  DeployInterface,
  Driver,
  DriverVendorRoute,
  HttpMethod,
  InspectInterface,
  ManagementInterface,
  PowerActionOptions,
  PowerInterface,
  PropertyDescriptions,
  RamdiskParams,
  SensorsData,
  VendorInterface,
  VendorRoute,
  VendorRouteInfo,
} from './interfaces.js';
export type {
  DriverInfo,
  DriverInternalInfo,
  InstanceInfo,
  JsonValue,
  Node,
  NodeProperties,
  Port,
} from './node.js';
export type { ProvisionEvent } from './states.js';
export { BootDevice, BootMode, PowerState, ProvisionState } from './states.js';
export type { Clock, LogFields, Logger, OperationOptions, Task } from './task.js';
