/**
 * What a simulated iLO received, in the words of the seeds' sequence diagrams ("Attaches the FAT
 * image URL as virtual media floppy"), whichever protocol carried it: RIBCL on Gen8, RIS
 * `/rest/v1` on Gen9. Reads are not steps of the diagrams and are left out.
 */
import type { CommandLogEntry } from '../../testing/index.js';

/** Names the media a URL points at, for the step's words ("the deploy ISO", "the boot ISO"). */
export type MediaNamer = (url: string, device: 'floppy' | 'cdrom') => string;

const DEVICES: Record<string, 'floppy' | 'cdrom'> = {
  FLOPPY: 'floppy',
  CDROM: 'cdrom',
  '1': 'floppy',
  '2': 'cdrom',
};
const TARGETS: Record<string, string> = {
  CDROM: 'CD',
  Cd: 'CD',
  HDD: 'disk',
  Hdd: 'disk',
  NETWORK: 'network (PXE)',
  Pxe: 'network (PXE)',
};

function attach(device: 'floppy' | 'cdrom' | undefined, url: string | undefined, name: MediaNamer): string {
  const what = url === undefined || device === undefined ? 'the image' : name(url, device);
  return `Attaches ${what} URL as virtual media ${device === 'floppy' ? 'floppy' : 'CD'}`;
}

const eject = (device: 'floppy' | 'cdrom' | undefined) =>
  `Ejects the virtual ${device === 'floppy' ? 'floppy' : 'CD'}`;

const bootDevice = (target: string, once: boolean) =>
  once ? `Sets a one-time boot from ${target}` : `Sets the boot device to ${target}, persistent`;

function ribcl(e: CommandLogEntry, name: MediaNamer): string | undefined {
  const a = e.attributes ?? {};
  switch (e.command) {
    case 'HOLD_PWR_BTN':
      return 'Powers the server off (holds the power button)';
    case 'PRESS_PWR_BTN':
      return 'Presses the power button';
    case 'SET_HOST_POWER':
      return a.HOST_POWER === 'Yes' ? 'Powers the server on' : 'Powers the server off';
    case 'RESET_SERVER':
      return 'Reboots the server';
    case 'INSERT_VIRTUAL_MEDIA':
      return attach(DEVICES[a.DEVICE ?? ''], a.IMAGE_URL, name);
    case 'EJECT_VIRTUAL_MEDIA':
      return eject(DEVICES[a.DEVICE ?? '']);
    case 'SET_ONE_TIME_BOOT':
      return bootDevice(TARGETS[a.value ?? ''] ?? String(a.value), true);
    case 'SET_PERSISTENT_BOOT':
      return bootDevice(TARGETS[a['DEVICE.VALUE'] ?? ''] ?? String(a['DEVICE.VALUE']), false);
    case 'SET_PENDING_BOOT_MODE':
      return `Sets the boot mode to ${a.value === 'UEFI' ? 'UEFI' : 'legacy BIOS'}`;
    case 'RESET_RIB':
      return 'Resets the iLO';
    default:
      return e.mode === 'write' ? `Runs ${e.command}` : undefined;
  }
}

function risSystemAction(body: Record<string, unknown>): string | undefined {
  if (body.Action === 'PowerButton')
    return body.PushType === 'Press'
      ? 'Presses the power button'
      : 'Powers the server off (holds the power button)';
  if (body.ResetType === 'On') return 'Powers the server on';
  if (body.ResetType === 'ForceOff') return 'Powers the server off';
  if (body.ResetType === 'ForceRestart') return 'Reboots the server';
  return undefined;
}

function risPatch(path: string, body: Record<string, unknown>, name: MediaNamer): string | undefined {
  const media = /VirtualMedia\/(\d)$/i.exec(path);
  if (media !== null && 'Image' in body) {
    const device = DEVICES[media[1] ?? ''];
    return typeof body.Image === 'string' ? attach(device, body.Image, name) : eject(device);
  }
  const boot = body.Boot as Record<string, string> | undefined;
  if (boot?.BootSourceOverrideTarget !== undefined) {
    const target = TARGETS[boot.BootSourceOverrideTarget] ?? boot.BootSourceOverrideTarget;
    return bootDevice(target, boot.BootSourceOverrideEnabled === 'Once');
  }
  if (/\/AccountService\/Accounts\//i.test(path)) return 'Changes the password of its iLO account';
  if (/\/SecureBoot$/i.test(path)) {
    if (body.ResetToDefaultKeys === true) return 'Resets the secure boot keys to their defaults';
    if (body.ResetAllKeys === true) return 'Clears the secure boot keys';
    if (typeof body.SecureBootEnable === 'boolean')
      return `Turns UEFI secure boot ${body.SecureBootEnable ? 'on' : 'off'}`;
  }
  if (/\/bios\/Settings$/i.test(path)) {
    const keys = Object.keys(body);
    if (keys.length === 1 && typeof body.BootMode === 'string')
      return `Sets the boot mode to ${body.BootMode === 'Uefi' ? 'UEFI' : 'legacy BIOS'}`;
    if (keys.length === 1 && 'CustomPostMessage' in body)
      return 'Touches a BIOS setting (iLO 4 applies a secure boot change only with one)';
    return `Writes ${keys.length} BIOS settings, applied at the next boot`;
  }
  return undefined;
}

function ris(e: CommandLogEntry, name: MediaNamer): string | undefined {
  const space = e.command.indexOf(' ');
  const method = e.command.slice(0, space);
  const path = e.command.slice(space + 1);
  const body = (e.body ?? {}) as Record<string, unknown>;
  if (method === 'GET' || method === 'HEAD') return undefined;
  if (method === 'POST' && /\/systems\/1$/i.test(path)) return risSystemAction(body) ?? `Posts ${path}`;
  if (method === 'PATCH' || method === 'PUT') return risPatch(path, body, name) ?? `Changes ${path}`;
  if (method === 'POST' && /\/Managers\/1$/i.test(path) && body.Action === 'Reset') return 'Resets the iLO';
  return `${method} ${path}`;
}

/** The step a command stands for, or `undefined` for a read. Failed commands say so. */
export function iloStep(entry: CommandLogEntry, name: MediaNamer): string | undefined {
  const step =
    entry.channel === 'ribcl' ? ribcl(entry, name) : entry.channel === 'ris' ? ris(entry, name) : undefined;
  if (step === undefined) return undefined;
  return entry.outcome === 'ok' ? step : `${step} (refused: ${entry.outcome})`;
}
