import type { Command } from 'commander';
import { addRead, sensors } from '../reads/index.js';

/** `ironic-ilo sensors`. */
export function registerSensors(program: Command): void {
  addRead(program, sensors);
}
