import type { Command } from 'commander';
import { EXAMPLE_ILO, withExamples } from '../help.js';
import { withCliNode, withNodeOptions } from '../node-task.js';
import { printResult } from '../output.js';
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
  const insert = group
    .command('insert')
    .description('insert an image URL and connect it, write-protected (as Ironic attaches media)')
    .argument('<url>', 'http(s) URL the iLO fetches the image from')
    .option('--device <device>', 'cdrom or floppy', 'cdrom');
  withExamples(
    withNodeOptions(insert),
    `ironic-ilo vmedia insert http://10.0.0.1:8080/deploy.iso ${EXAMPLE_ILO}`,
  ).action(async (url: string, opts: Record<string, unknown>) => {
    const [device] = devicesOf(opts.device, ['CDROM']);
    const status = await withCliNode(opts, async (node) => {
      const ilo = await node.client();
      await ilo.insertVirtualMedia(url, device, node.call);
      await ilo.setVmStatus(device, 'CONNECT', true, node.call);
      return ilo.getVmStatus(device, node.call);
    });
    printResult(shownStatus(status), opts.json === true);
  });
  addRead(group, vmediaStatus);
  const eject = group
    .command('eject')
    .description('eject the image (nothing happens when none is inserted)')
    .option('--device <device>', 'cdrom or floppy (default: the floppy, then the CD)');
  withExamples(withNodeOptions(eject), `ironic-ilo vmedia eject --device cdrom ${EXAMPLE_ILO}`).action(
    async (opts: Record<string, unknown>) => {
      const devices = devicesOf(opts.device, ['FLOPPY', 'CDROM']);
      await withCliNode(opts, async (node) => {
        const ilo = await node.client();
        for (const device of devices) await ilo.ejectVirtualMedia(device, node.call);
      });
      printResult({ ejected: devices.map((d) => d.toLowerCase()) }, opts.json === true);
    },
  );
}
