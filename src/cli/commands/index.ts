import type { Command } from 'commander';
import { registerDemo } from './demo.js';
import { registerStore } from './store.js';

/** Every sub-command, registered in `--help` order. */
export const COMMANDS: ReadonlyArray<(program: Command) => void> = [registerDemo, registerStore];
