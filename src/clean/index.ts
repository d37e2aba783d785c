/**
 * Cleaning: ordering of automated clean steps and validation of manual ones.
 *
 * @module
 */
export { automatedCleanSteps, CLEANING_INTERFACE_PRIORITY, manualCleanSteps } from './order.js';
