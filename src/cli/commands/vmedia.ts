import type { Command } from 'commander';
import {
  createIloClient,
  type IloClient,
  InvalidParameterValue,
  parseDriverInfo,
  redactUrl,
  type VirtualMediaDevice,
  type VmStatus,
} from '../../index.js';
import { cliNode, withNodeOptions } from '../node-task.js';
import { printResult } from '../output.js';

/** The devices `--device` names, all of them when absent. */
function devicesOf(value: unknown, fallback: readonly VirtualMediaDevice[]): VirtualMediaDevice[] {
  if (value === undefined) return [...fallback];
  const device = String(value).toUpperCase();
  if (device !== 'CDROM' && device !== 'FLOPPY') {
    throw new InvalidParameterValue(`--device must be cdrom or floppy, not '${String(value)}'`, {
      fields: [{ field: '--device', problem: 'must be cdrom or floppy' }],
    });
  }
  return [device];
}

/** Runs `fn` with a client for the flags' iLO and closes it. */
async function withClient<T>(opts: Record<string, unknown>, fn: (ilo: IloClient) => Promise<T>): Promise<T> {
  const { task, options } = cliNode(opts);
  const ilo = createIloClient(parseDriverInfo(task.node, options.config), { logger: options.logger });
  try {
    return await fn(ilo);
  } finally {
    await ilo.close();
  }
}

/** A status fit to print: temp-URL signatures removed from the image URL. */
const shown = (s: VmStatus) => ({ ...s, imageUrl: s.imageUrl === null ? null : redactUrl(s.imageUrl) });

/** `ironic-ilo vmedia insert URL --device cdrom|floppy | status | eject`. */
export function registerVmedia(program: Command): void {
  const group = program.command('vmedia').description("the iLO's virtual CD and floppy");
  withNodeOptions(
    group
      .command('insert')
      .description('insert an image URL and connect it, write-protected (as Ironic attaches media)')
      .argument('<url>', 'http(s) URL the iLO fetches the image from')
      .option('--device <device>', 'cdrom or floppy', 'cdrom'),
  ).action(async (url: string, opts) => {
    const [device] = devicesOf(opts.device, ['CDROM']);
    await withClient(opts, async (ilo) => {
      await ilo.insertVirtualMedia(url, device);
      await ilo.setVmStatus(device, 'CONNECT', true);
      printResult(shown(await ilo.getVmStatus(device)), opts.json === true);
    });
  });
  withNodeOptions(
    group
      .command('status')
      .description('print the state of the virtual media devices')
      .option('--device <device>', 'cdrom or floppy (default: both)'),
  ).action(async (opts) => {
    const devices = devicesOf(opts.device, ['FLOPPY', 'CDROM']);
    await withClient(opts, async (ilo) => {
      for (const device of devices) printResult(shown(await ilo.getVmStatus(device)), opts.json === true);
    });
  });
  withNodeOptions(
    group
      .command('eject')
      .description('eject the image (nothing happens when none is inserted)')
      .option('--device <device>', 'cdrom or floppy (default: the floppy, then the CD)'),
  ).action(async (opts) => {
    const devices = devicesOf(opts.device, ['FLOPPY', 'CDROM']);
    await withClient(opts, async (ilo) => {
      for (const device of devices) await ilo.ejectVirtualMedia(device);
      printResult({ ejected: devices.map((d) => d.toLowerCase()) }, opts.json === true);
    });
  });
}
