import { bootDeviceGet, bootModeGet, secureBootGet } from './boot.js';
import { info } from './info.js';
import { powerStatus } from './power.js';
import type { ReadCommand } from './read.js';
import { sensors } from './sensors.js';
import { vmediaStatus } from './vmedia.js';

export { bootDeviceGet, bootModeGet, secureBootGet } from './boot.js';
export { addRead, printRead } from './command.js';
export { info } from './info.js';
export { powerStatus } from './power.js';
export type { FleetColumn, ReadCommand } from './read.js';
export { sensors } from './sensors.js';
export { describeMedia, devicesOf, shownStatus, vmediaStatus } from './vmedia.js';

/** Every read-only command, in `fleet --help` order: what fleet mode may run. */
export const READS: ReadonlyArray<ReadCommand<unknown>> = [
  info,
  powerStatus,
  bootModeGet,
  bootDeviceGet,
  secureBootGet,
  sensors,
  vmediaStatus,
];
