import type { Command } from 'commander';
import { registerDemo } from './demo.js';
import { registerIscsiWrite } from './iscsi.js';

/** Every sub-command, registered in `--help` order. */
export const COMMANDS: ReadonlyArray<(program: Command) => void> = [registerDemo, registerIscsiWrite];
