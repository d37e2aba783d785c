import type { Command } from 'commander';
import { type BootMode, IloManagement } from '../../index.js';
import { cliNode, withNodeOptions } from '../node-task.js';
import { printResult } from '../output.js';

/** `ironic-ilo boot-mode get|set bios|uefi`. */
export function registerBootMode(program: Command): void {
  const group = program.command('boot-mode').description('read or request the boot mode (bios, uefi)');
  withNodeOptions(
    group.command('get').description('print the current boot mode and the supported ones'),
  ).action(async (opts) => {
    const { task, options } = cliNode(opts);
    const management = new IloManagement(options);
    const bootMode = await management.getBootMode(task);
    const supportedBootModes = await management.getSupportedBootModes(task);
    printResult({ bootMode, supportedBootModes }, opts.json === true);
  });
  withNodeOptions(
    group
      .command('set')
      .description('request a boot mode; it applies at the next reset')
      .argument('<mode>', 'bios or uefi'),
  ).action(async (mode: string, opts) => {
    const { task, options } = cliNode(opts);
    await new IloManagement(options).setBootMode(task, mode as BootMode);
    printResult({ pendingBootMode: mode }, opts.json === true);
  });
}
