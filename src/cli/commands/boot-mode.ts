import type { Command } from 'commander';
import { type BootMode, IloManagement } from '../../index.js';
import { EXAMPLE_ILO, withExamples } from '../help.js';
import { withCliNode, withNodeOptions } from '../node-task.js';
import { printResult } from '../output.js';
import { addRead, bootModeGet } from '../reads/index.js';

/** `ironic-ilo boot-mode get|set bios|uefi`. */
export function registerBootMode(program: Command): void {
  const group = program.command('boot-mode').description('read or request the boot mode (bios, uefi)');
  withExamples(
    group,
    `ironic-ilo boot-mode get ${EXAMPLE_ILO}`,
    `ironic-ilo boot-mode set uefi ${EXAMPLE_ILO}`,
  );
  addRead(group, bootModeGet);
  const set = group
    .command('set')
    .description('request a boot mode; it applies at the next reset')
    .argument('<mode>', 'bios or uefi');
  withExamples(withNodeOptions(set), `ironic-ilo boot-mode set bios ${EXAMPLE_ILO}`).action(
    async (mode: string, opts: Record<string, unknown>) => {
      await withCliNode(opts, ({ task, options }) =>
        new IloManagement(options).setBootMode(task, mode as BootMode),
      );
      printResult({ pendingBootMode: mode }, opts.json === true);
    },
  );
}
