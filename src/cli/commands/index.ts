import type { Command } from 'commander';
import { registerAgent } from './agent.js';
import { registerBootDevice } from './boot-device.js';
import { registerBootMode } from './boot-mode.js';
import { registerCleanSteps } from './clean-steps.js';
import { registerDemo } from './demo.js';
import { registerFleet } from './fleet.js';
import { registerImage } from './image.js';
import { registerInfo } from './info.js';
import { registerInspect } from './inspect.js';
import { registerIscsiWrite } from './iscsi.js';
import { registerIscsiTarget } from './iscsi-target.js';
import { registerPower } from './power.js';
import { registerSecureBoot } from './secure-boot.js';
import { registerSensors } from './sensors.js';
import { registerSimulator } from './simulator.js';
import { registerStore } from './store.js';
import { registerVmedia } from './vmedia.js';

/** Every sub-command, registered in `--help` order. */
export const COMMANDS: ReadonlyArray<(program: Command) => void> = [
  registerDemo,
  registerInfo,
  registerPower,
  registerBootDevice,
  registerBootMode,
  registerSecureBoot,
  registerVmedia,
  registerInspect,
  registerSensors,
  registerCleanSteps,
  registerAgent,
  registerFleet,
  registerImage,
  registerStore,
  registerIscsiWrite,
  registerIscsiTarget,
  registerSimulator,
];
