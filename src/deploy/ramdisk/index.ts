/**
 * The deploy ramdisk's parameters (what the virtual floppy's `parameters.txt` carries).
 *
 * @module
 */
export { ironicApiUrl } from './api-url.js';
export type {
  AgentOptionsInput,
  AgentRamdiskOptions,
  DeployOptionsInput,
  DeployRamdiskOptions,
  RamdiskNode,
} from './options.js';
export {
  agentIloRamdiskParams,
  buildAgentOptions,
  buildDeployRamdiskOptions,
  getBootIf,
  iscsiIloRamdiskParams,
} from './options.js';
export { formatRootDeviceHints } from './root-device.js';
export { generateAgentToken, generateDeployKey } from './secrets.js';
