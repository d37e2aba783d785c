import type { Command } from 'commander';
import { type BootMode, IloManagement } from '../../index.js';
import { EXAMPLE_ILO, withExamples } from '../help.js';
import { addNodeCommand } from '../node-command.js';
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
  addNodeCommand(group, {
    name: 'set <mode>',
    description: 'request a boot mode (bios or uefi); it applies at the next reset',
    examples: [`ironic-ilo boot-mode set bios ${EXAMPLE_ILO}`],
    async run({ task, options }, [mode]) {
      await new IloManagement(options).setBootMode(task, mode as BootMode);
      return { pendingBootMode: mode };
    },
  });
}
