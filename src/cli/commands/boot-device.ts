import type { Command } from 'commander';
import { type BootDevice, IloManagement } from '../../index.js';
import { cliNode, withNodeOptions } from '../node-task.js';
import { printResult } from '../output.js';

/** `ironic-ilo boot-device get|set DEVICE [--persistent]`. */
export function registerBootDevice(program: Command): void {
  const group = program
    .command('boot-device')
    .description('read or set the next boot device (pxe, disk, cdrom)');
  withNodeOptions(
    group.command('get').description('print the next boot device and whether it is persistent'),
  ).action(async (opts) => {
    const { task, options } = cliNode(opts);
    printResult(await new IloManagement(options).getBootDevice(task), opts.json === true);
  });
  withNodeOptions(
    group
      .command('set')
      .description('boot from DEVICE (pxe, disk or cdrom) at the next boot, or always with --persistent')
      .argument('<device>', 'pxe, disk or cdrom')
      .option('--persistent', 'for every boot, not only the next one', false),
  ).action(async (device: string, opts) => {
    const { task, options } = cliNode(opts);
    const persistent = opts.persistent === true;
    await new IloManagement(options).setBootDevice(task, device as BootDevice, { persistent });
    printResult({ bootDevice: device, persistent }, opts.json === true);
  });
}
