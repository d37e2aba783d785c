import type { Command } from 'commander';
import { addRead, info } from '../reads/index.js';

/** `ironic-ilo info`: everything an operator looks at first, in one table. */
export function registerInfo(program: Command): void {
  addRead(program, info);
}
