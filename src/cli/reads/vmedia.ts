import { InvalidParameterValue, redactUrl, type VirtualMediaDevice, type VmStatus } from '../../index.js';
import { defineRead } from './read.js';

/** The devices `--device` names, `fallback` when absent. */
export function devicesOf(value: unknown, fallback: readonly VirtualMediaDevice[]): VirtualMediaDevice[] {
  if (value === undefined) return [...fallback];
  const device = String(value).toUpperCase();
  if (device !== 'CDROM' && device !== 'FLOPPY') {
    throw new InvalidParameterValue(`--device must be cdrom or floppy, not '${String(value)}'`, {
      fields: [{ field: '--device', problem: 'must be cdrom or floppy' }],
    });
  }
  return [device];
}

/** A status fit to print: temp-URL signatures removed from the image URL. */
export const shownStatus = (s: VmStatus): VmStatus => ({
  ...s,
  imageUrl: s.imageUrl === null ? null : redactUrl(s.imageUrl),
});

/** One line for a device: `empty`, or the URL and how it is attached. */
export function describeMedia(s: VmStatus | undefined): string {
  if (s === undefined) return '';
  if (!s.imageInserted) return 'empty';
  const how = [s.bootOption.toLowerCase().replace('_', ' '), s.writeProtect ? 'write-protected' : 'writable'];
  return `${s.imageUrl ?? '(no URL)'} (${how.join(', ')})`;
}

/** The state of the virtual floppy and CD, keyed by lower-case device name. */
export type VirtualMediaState = Partial<Record<'floppy' | 'cdrom', VmStatus>>;

/** `vmedia status`: the virtual floppy and CD. */
export const vmediaStatus = defineRead({
  words: ['vmedia', 'status'],
  description: 'print the state of the virtual floppy and CD (temp-URL signatures hidden)',
  example: 'vmedia status --device cdrom',
  configure: (cmd) => cmd.option('--device <device>', 'cdrom or floppy (default: both)'),
  async read(node, flags): Promise<VirtualMediaState> {
    const devices = devicesOf(flags.device, ['FLOPPY', 'CDROM']);
    const ilo = await node.client();
    const out: VirtualMediaState = {};
    for (const device of devices) {
      out[device === 'FLOPPY' ? 'floppy' : 'cdrom'] = shownStatus(await ilo.getVmStatus(device, node.call));
    }
    return out;
  },
  text: (r) => Object.entries(r).map(([device, s]) => [device, describeMedia(s)] as const),
  columns: [
    { header: 'FLOPPY', cell: (r) => describeMedia(r.floppy) },
    { header: 'CDROM', cell: (r) => describeMedia(r.cdrom) },
  ],
});
