/**
 * Deploy: the Ironic Python Agent client, the deploy ramdisk's parameters, the PXE
 * configuration seam of pxe_ilo, and the iscsi_ilo data path (userspace iSCSI initiator and
 * disk-image writer). The deploy drivers build on them.
 *
 * @module
 */
export * from './agent/index.js';
export * from './iscsi/index.js';
export * from './pxe/index.js';
export * from './ramdisk/index.js';
