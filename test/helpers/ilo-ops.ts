/**
 * The iLO operations a simulated iLO received, as the seeds' sequence diagrams name them, whatever
 * the protocol (RIBCL on Gen8, RIS on Gen9): reads are left out, and so is RIBCL's
 * `SET_VM_STATUS CONNECT` (RIS connects on insert).
 */
import type { CommandLogEntry } from '../../src/testing/index.js';

const DEVICE: Record<string, string> = { FLOPPY: 'floppy', CDROM: 'cdrom', '1': 'floppy', '2': 'cdrom' };
const TARGET: Record<string, string> = {
  CDROM: 'cdrom',
  HDD: 'disk',
  NETWORK: 'network',
  Cd: 'cdrom',
  Hdd: 'disk',
  Pxe: 'network',
};

function ribcl(e: CommandLogEntry): string | undefined {
  const a = e.attributes ?? {};
  switch (e.command) {
    case 'HOLD_PWR_BTN':
      return 'power off';
    case 'PRESS_PWR_BTN':
      return 'press power button';
    case 'SET_HOST_POWER':
      return a.HOST_POWER === 'Yes' ? 'power on' : 'power off';
    case 'RESET_SERVER':
      return 'reset';
    case 'INSERT_VIRTUAL_MEDIA':
      return `insert ${DEVICE[a.DEVICE ?? ''] ?? a.DEVICE}`;
    case 'EJECT_VIRTUAL_MEDIA':
      return `eject ${DEVICE[a.DEVICE ?? ''] ?? a.DEVICE}`;
    case 'SET_ONE_TIME_BOOT':
      return `boot once ${TARGET[a.value ?? ''] ?? a.value}`;
    case 'SET_PERSISTENT_BOOT':
      return `boot always ${TARGET[a['DEVICE.VALUE'] ?? ''] ?? a['DEVICE.VALUE']}`;
    case 'SET_PENDING_BOOT_MODE':
      return `boot mode ${a.value === 'UEFI' ? 'uefi' : 'bios'}`;
    default:
      return undefined;
  }
}

function ris(e: CommandLogEntry): string | undefined {
  const [method, path = ''] = e.command.split(' ');
  const body = (e.body ?? {}) as Record<string, unknown>;
  if (method === 'POST' && /\/systems\/1$/i.test(path)) {
    if (body.Action === 'PowerButton') return body.PushType === 'Press' ? 'press power button' : 'power off';
    if (body.ResetType === 'On') return 'power on';
    if (body.ResetType === 'ForceOff') return 'power off';
    if (body.ResetType === 'ForceRestart') return 'reset';
  }
  if (method !== 'PATCH') return undefined;
  const media = /VirtualMedia\/(\d)$/.exec(path);
  if (media !== null && 'Image' in body)
    return `${body.Image === null ? 'eject' : 'insert'} ${DEVICE[media[1] ?? '']}`;
  const boot = body.Boot as Record<string, string> | undefined;
  if (boot?.BootSourceOverrideTarget !== undefined) {
    const target = TARGET[boot.BootSourceOverrideTarget] ?? boot.BootSourceOverrideTarget;
    return `${boot.BootSourceOverrideEnabled === 'Once' ? 'boot once' : 'boot always'} ${target}`;
  }
  if (typeof body.BootMode === 'string') return `boot mode ${body.BootMode === 'Uefi' ? 'uefi' : 'bios'}`;
  if (typeof body.SecureBootEnable === 'boolean')
    return `secure boot ${body.SecureBootEnable ? 'on' : 'off'}`;
  return undefined;
}

/** The operations in `log` (from index `from`), in order; failed commands are marked `!`. */
export function iloOperations(log: readonly CommandLogEntry[], from = 0): string[] {
  const out: string[] = [];
  for (const e of log.slice(from)) {
    const op = e.channel === 'ribcl' ? ribcl(e) : e.channel === 'ris' ? ris(e) : undefined;
    if (op !== undefined) out.push(e.outcome === 'ok' ? op : `${op} !`);
  }
  return out;
}
