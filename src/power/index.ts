/**
 * Power: Ironic's `IloPower` over the iLO client, with its wait loop and the boot-ISO hook of
 * active netboot nodes.
 *
 * @module
 */
export type { BootIsoReattacher } from './boot-iso.js';
export { bootIsoToReattach } from './boot-iso.js';
export type { IloPowerOptions } from './power.js';
export { IloPower, powerStateOf } from './power.js';
export type { PowerWaitOutcome, PowerWaitPlan } from './wait.js';
export { powerWaitPlan, waitForPowerState } from './wait.js';
