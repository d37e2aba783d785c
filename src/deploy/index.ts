/**
 * Deploy: the deploy interfaces of the three iLO drivers ({@link IscsiDeploy},
 * {@link AgentDeploy}, {@link PxeDeploy}), their vendor passthru ({@link VendorPassthru}) and
 * the agent heartbeat, and what they are built from — the Ironic Python Agent client, the deploy
 * ramdisk's parameters, the PXE configuration seam of pxe_ilo, and the iscsi_ilo data path
 * (userspace iSCSI initiator and disk-image writer).
 *
 * @module
 */
export * from './agent/index.js';
export type { AgentDeployOptions } from './agent-deploy.js';
export { AgentDeploy } from './agent-deploy.js';
export type { DeployInterfaceOptions, TakeOverBoot } from './common/context.js';
export type { SetFailedStateOptions } from './common/failure.js';
export { setFailedState } from './common/failure.js';
export type { DeployManagement } from './common/node.js';
export type { DeployHeartbeatFlow } from './heartbeat.js';
export type { AgentHeartbeat, HeartbeatAction, HeartbeatOutcome } from './heartbeat-types.js';
export * from './iscsi/index.js';
export type { IscsiDeployOptions } from './iscsi-deploy.js';
export { IscsiDeploy } from './iscsi-deploy.js';
export type { PassDeployInfo } from './iscsi-write.js';
export * from './pxe/index.js';
export type { PxeDeployOptions } from './pxe-deploy.js';
export { PxeDeploy } from './pxe-deploy.js';
export * from './ramdisk/index.js';
export type { NodeLookup, VendorDeploy, VendorPassthruOptions } from './vendor.js';
export { VendorPassthru } from './vendor.js';
