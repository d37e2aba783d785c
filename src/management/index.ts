/**
 * Management: Ironic's `IloManagement` over the iLO client (boot device, boot mode, secure
 * boot, sensors), and the deploy-time boot-mode and secure-boot rules.
 *
 * @module
 */
export { ILO_BOOT_DEVICES } from './boot-device.js';
export { getBootModeForDeploy, isSecureBootRequested } from './boot-mode.js';
export type { IloManagementOptions, ManagementCleanSteps, SetBootDeviceOptions } from './management.js';
export { IloManagement } from './management.js';
export { sensorsFromHealth } from './sensors.js';
