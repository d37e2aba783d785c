import type { Command } from 'commander';
import { EXAMPLE_ILO, withExamples } from '../help.js';
import { addNodeCommand } from '../node-command.js';
import { addRead, devicesOf, shownStatus, vmediaStatus } from '../reads/index.js';

/** `ironic-ilo vmedia insert URL --device cdrom|floppy | status | eject`. */
export function registerVmedia(program: Command): void {
  const group = program.command('vmedia').description("the iLO's virtual CD and floppy");
  withExamples(
    group,
    `ironic-ilo vmedia insert http://10.0.0.1:8080/deploy.iso --device cdrom ${EXAMPLE_ILO}`,
    `ironic-ilo vmedia status ${EXAMPLE_ILO}`,
    `ironic-ilo vmedia eject ${EXAMPLE_ILO}`,
  );
  addNodeCommand(group, {
    name: 'insert <url>',
    description: 'insert an http(s) image URL and connect it, write-protected (as Ironic attaches media)',
    configure: (cmd) => cmd.option('--device <device>', 'cdrom or floppy', 'cdrom'),
    examples: [`ironic-ilo vmedia insert http://10.0.0.1:8080/deploy.iso ${EXAMPLE_ILO}`],
    async run(node, [url], opts) {
      const [device] = devicesOf(opts.device, ['CDROM']);
      const ilo = await node.client();
      await ilo.insertVirtualMedia(url!, device, node.call);
      await ilo.setVmStatus(device, 'CONNECT', true, node.call);
      return shownStatus(await ilo.getVmStatus(device, node.call));
    },
  });
  addRead(group, vmediaStatus);
  addNodeCommand(group, {
    name: 'eject',
    description: 'eject the image (nothing happens when none is inserted)',
    configure: (cmd) => cmd.option('--device <device>', 'cdrom or floppy (default: the floppy, then the CD)'),
    examples: [`ironic-ilo vmedia eject --device cdrom ${EXAMPLE_ILO}`],
    async run(node, _args, opts) {
      const devices = devicesOf(opts.device, ['FLOPPY', 'CDROM']);
      const ilo = await node.client();
      for (const device of devices) await ilo.ejectVirtualMedia(device, node.call);
      return { ejected: devices.map((d) => d.toLowerCase()) };
    },
  });
}
