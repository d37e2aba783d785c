import type { Command } from 'commander';
import { type BootDevice, IloManagement } from '../../index.js';
import { EXAMPLE_ILO, withExamples } from '../help.js';
import { withCliNode, withNodeOptions } from '../node-task.js';
import { printResult } from '../output.js';
import { addRead, bootDeviceGet } from '../reads/index.js';

/** `ironic-ilo boot-device get|set DEVICE [--persistent]`. */
export function registerBootDevice(program: Command): void {
  const group = program
    .command('boot-device')
    .description('read or set the next boot device (pxe, disk, cdrom)');
  withExamples(
    group,
    `ironic-ilo boot-device get ${EXAMPLE_ILO}`,
    `ironic-ilo boot-device set cdrom ${EXAMPLE_ILO}`,
  );
  addRead(group, bootDeviceGet);
  const set = group
    .command('set')
    .description('boot from DEVICE (pxe, disk or cdrom) at the next boot, or always with --persistent')
    .argument('<device>', 'pxe, disk or cdrom')
    .option('--persistent', 'for every boot, not only the next one', false);
  withExamples(
    withNodeOptions(set),
    `ironic-ilo boot-device set cdrom ${EXAMPLE_ILO}`,
    `ironic-ilo boot-device set disk --persistent ${EXAMPLE_ILO}`,
  ).action(async (device: string, opts: Record<string, unknown>) => {
    const persistent = opts.persistent === true;
    await withCliNode(opts, ({ task, options }) =>
      new IloManagement(options).setBootDevice(task, device as BootDevice, { persistent }),
    );
    printResult({ bootDevice: device, persistent }, opts.json === true);
  });
}
