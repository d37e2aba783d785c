/**
 * ironic-ilo: provision and manage HPE ProLiant servers through iLO, with Ironic's driver
 * interfaces, typed.
 *
 * @module ironic-ilo
 */
export * from './boot/index.js';
export * from './clean/index.js';
export * from './client/index.js';
export * from './config/index.js';
export * from './contracts/index.js';
export * from './deploy/index.js';
export * from './drivers/index.js';
export * from './errors/index.js';
export * from './image/index.js';
export * from './inspect/index.js';
export * from './management/index.js';
export * from './power/index.js';
export * from './store/index.js';
export * from './util/index.js';
