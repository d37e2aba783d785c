/**
 * Test doubles for users' own suites (`ironic-ilo/testing`). They depend on the public API only.
 *
 * @module ironic-ilo/testing
 */

export * from './fake-agent/index.js';
export type { FileDiskWrite, FileDiskWriterOptions } from './file-disk-writer.js';
export { FileDiskWriter } from './file-disk-writer.js';
export type { ChapAccount } from './iscsi-target/chap.js';
export type {
  DropConnectionOptions,
  FailCommandOptions,
  LoginRefusalReason,
  RefuseLoginOptions,
  ReportCapacityOptions,
  StallHandle,
  StallOptions,
} from './iscsi-target/faults.js';
export { IscsiTargetFaults } from './iscsi-target/faults.js';
export type { IscsiTargetSessionInfo, IscsiTargetStats } from './iscsi-target/info.js';
export { SimulatedLun } from './iscsi-target/lun.js';
export type { IscsiTargetNegotiation, NegotiatedParameters } from './iscsi-target/negotiation.js';
export { TGT_NEGOTIATION } from './iscsi-target/negotiation.js';
export type {
  IscsiTargetSimulatorOptions,
  SimulatedLunOptions,
  SimulatedTargetOptions,
} from './iscsi-target/options.js';
export type { SenseCondition } from './iscsi-target/scsi/outcome.js';
export { IscsiTargetSimulator } from './iscsi-target/simulator.js';
export { SimulatedTarget } from './iscsi-target/target.js';
export type { RegisteredPort } from './memory-port-registry.js';
export { MemoryPortRegistry } from './memory-port-registry.js';
export type {
  MemoryObject,
  MemoryStoreOperation,
  MemoryStoreOptions,
  MemoryStoreRequest,
} from './memory-store.js';
export { MemoryStore } from './memory-store.js';
export type {
  PxeConfiguratorCall,
  PxeConfiguratorMethod,
  RecordedPxeConfig,
} from './recording-pxe-configurator.js';
export { RecordingPxeConfigurator } from './recording-pxe-configurator.js';
export type { TestCertificate } from './simulator/certificate.js';
export { createTestCertificate } from './simulator/certificate.js';
export type { CommandLogEntry, InjectedFailure, SimulatedChannel } from './simulator/faults.js';
export { FaultInjector } from './simulator/faults.js';
export type {
  SimulatedDimm,
  SimulatedDisk,
  SimulatedFan,
  SimulatedFirmware,
  SimulatedInventory,
  SimulatedLogicalDrive,
  SimulatedNic,
  SimulatedPowerSupply,
  SimulatedProcessor,
  SimulatedTemperature,
} from './simulator/inventory.js';
export type { MediaFetch, MediaFetcher } from './simulator/media.js';
export { MediaSlot } from './simulator/media.js';
export type { SimulatedConnection } from './simulator/node.js';
export { SimulatedIlo } from './simulator/node.js';
export type {
  Personality,
  SimulatedFirmwareRelease,
  SimulatedGeneration,
  SimulatedRomRelease,
} from './simulator/personalities.js';
export type {
  SimulatedBoot,
  SimulatedLicense,
  SimulatedUefiBootOption,
  SimulatedUser,
} from './simulator/server.js';
export { SimulatedServer } from './simulator/server.js';
export type { IloSimulatorOptions, SimulatedNodeOptions } from './simulator/simulator.js';
export { IloSimulator } from './simulator/simulator.js';
export type { TestTask, TestTaskOptions } from './test-task.js';
export { createTestTask } from './test-task.js';
export { VirtualClock } from './virtual-clock.js';
