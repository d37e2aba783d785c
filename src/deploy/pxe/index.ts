/**
 * pxe_ilo's seam to the embedder's DHCP and TFTP servers (the library runs neither), and its
 * boot interface over it.
 *
 * @module
 */
export type { PxeConfigurator, PxeInstanceRequest, PxeRamdiskRequest } from './configurator.js';
export type { PxeBootOptions } from './pxe-boot.js';
export { PxeBoot } from './pxe-boot.js';
export { validateUefiBootOption } from './uefi.js';
