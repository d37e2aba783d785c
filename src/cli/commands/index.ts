import type { Command } from 'commander';
import { registerAgent } from './agent.js';
import { registerDemo } from './demo.js';
import { registerImage } from './image.js';
import { registerIscsiWrite } from './iscsi.js';
import { registerSimulator } from './simulator.js';
import { registerStore } from './store.js';

/** Every sub-command, registered in `--help` order. */
export const COMMANDS: ReadonlyArray<(program: Command) => void> = [
  registerAgent,
  registerDemo,
  registerImage,
  registerIscsiWrite,
  registerSimulator,
  registerStore,
];
