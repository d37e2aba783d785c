/**
 * Cleaning: the iLO's out-of-band clean steps, the `erase_devices` priority override of the
 * agent's in-band steps, the ordering of automated clean steps and the validation of manual ones.
 *
 * @module
 */
export type { CleanStepsOptions } from './clean-steps.js';
export { CleanSteps } from './clean-steps.js';
export { withEraseDevicesPriority } from './erase-devices.js';
export { automatedCleanSteps, CLEANING_INTERFACE_PRIORITY, manualCleanSteps } from './order.js';
export type { CleanStepOutcome, IloCleanStepName } from './steps.js';
export { iloCleanSteps } from './steps.js';
