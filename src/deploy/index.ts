/**
 * Deploy: for now the iscsi_ilo data path (userspace iSCSI initiator and disk-image writer);
 * the deploy drivers build on it.
 *
 * @module
 */
export * from './iscsi/index.js';
