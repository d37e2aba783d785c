/**
 * Configuration: ironic.conf's `[ilo]`, `[deploy]`, `[glance]`, `[swift]`, `[conductor]`,
 * `[pxe]`, `[agent]` and `[DEFAULT]` options with Ironic's names and defaults (camel-cased), and
 * the validation of `driver_info` and `instance_info`.
 *
 * @module
 */
export {
  formatCapabilities,
  instanceCapabilities,
  mergeCapabilities,
  parseCapabilities,
} from './capabilities.js';
export type { IloDriverInfo } from './driver-info.js';
export { parseDriverInfo } from './driver-info.js';
export type { ParsedInstanceInfo } from './instance-info.js';
export { isGlanceImage, parseInstanceInfo } from './instance-info.js';
export type { LoadIronicConfOptions } from './load.js';
export { loadIronicConf, parseConfig } from './load.js';
export {
  ILO_CLEAN_PROPERTIES,
  ILO_COMMON_PROPERTIES,
  ILO_OPTIONAL_PROPERTIES,
  ILO_REQUIRED_PROPERTIES,
} from './properties.js';
export type { IloConfig, IloConfigInput, IloConfigSection } from './schema.js';
