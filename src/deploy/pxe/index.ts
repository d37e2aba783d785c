/**
 * pxe_ilo's seam to the embedder's DHCP and TFTP servers (the library runs neither).
 *
 * @module
 */
export type { PxeConfigurator, PxeInstanceRequest, PxeRamdiskRequest } from './configurator.js';
export { validateUefiBootOption } from './uefi.js';
