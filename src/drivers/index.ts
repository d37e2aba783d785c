/**
 * Drivers: Ironic's classic iLO drivers as factories — {@link createIscsiIloDriver},
 * {@link createAgentIloDriver}, {@link createPxeIloDriver} — composing power, management, boot,
 * deploy, vendor and inspect interfaces with every dependency injectable.
 *
 * @module
 */
export { createAgentIloDriver } from './agent-ilo.js';
export { createIscsiIloDriver } from './iscsi-ilo.js';
export type { IloDriverOptions, IscsiIloDriverOptions, PxeIloDriverOptions } from './options.js';
export { createPxeIloDriver } from './pxe-ilo.js';
export type { CallbackTimeoutOptions } from './timeout.js';
export { failDeployAfterCallbackTimeout } from './timeout.js';
export type { AgentIloDriver, IloDriver, IscsiIloDriver, PxeIloDriver } from './types.js';
