import type { Command } from 'commander';
import { type BootDevice, IloManagement } from '../../index.js';
import { EXAMPLE_ILO, withExamples } from '../help.js';
import { addNodeCommand } from '../node-command.js';
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
  addNodeCommand(group, {
    name: 'set <device>',
    description: 'boot from DEVICE (pxe, disk or cdrom) at the next boot, or always with --persistent',
    configure: (cmd) => cmd.option('--persistent', 'for every boot, not only the next one', false),
    examples: [
      `ironic-ilo boot-device set cdrom ${EXAMPLE_ILO}`,
      `ironic-ilo boot-device set disk --persistent ${EXAMPLE_ILO}`,
    ],
    async run({ task, options }, [device], opts) {
      const persistent = opts.persistent === true;
      await new IloManagement(options).setBootDevice(task, device as BootDevice, { persistent });
      return { bootDevice: device, persistent };
    },
  });
}
