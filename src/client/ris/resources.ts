import { IloOperationError } from '../../errors/index.js';
import { classifyUefiDescription } from '../ribcl/boot.js';
import type {
  IloBootDevice,
  IloBootMode,
  IloOneTimeBoot,
  IloOneTimeBootTarget,
  IloPowerStatus,
  IloSupportedBootMode,
  VirtualMediaDevice,
  VmStatus,
} from '../types.js';
import type { RisObject } from './channel.js';

/** RIS `BootSourceOverrideTarget` names of the library's boot devices. */
export const RIS_BOOT_TARGETS: Partial<Record<IloBootDevice, string>> = {
  NETWORK: 'Pxe',
  CDROM: 'Cd',
  HDD: 'Hdd',
  ISCSI: 'UefiTarget',
  USB: 'Usb',
  RBSU: 'BiosSetup',
  UEFIHTTP: 'UefiHttp',
};
/** One-time targets only RIS offers. */
export const RIS_ONLY_TARGETS: Record<string, IloOneTimeBootTarget> = {
  UefiShell: 'UEFISHELL',
  Utilities: 'UTILITIES',
  Diags: 'DIAGS',
};
const FROM_RIS = new Map(Object.entries(RIS_BOOT_TARGETS).map(([k, v]) => [v, k as IloBootDevice]));

const SUPPORTED: Record<number, IloSupportedBootMode> = {
  0: 'legacy bios only',
  2: 'legacy bios and uefi',
  3: 'uefi only',
};

function at(obj: unknown, ...path: string[]): unknown {
  let v: unknown = obj;
  for (const key of path) v = v !== null && typeof v === 'object' ? (v as RisObject)[key] : undefined;
  return v;
}

function bad(resource: string, what: string, value: unknown): IloOperationError {
  return new IloOperationError({
    operation: `Read ${resource}`,
    error: `unexpected ${what} ${JSON.stringify(value ?? null)}`,
  });
}

/** `Systems/1` `Power`. */
export function powerFromSystem(system: RisObject): IloPowerStatus {
  const power = typeof system.Power === 'string' ? system.Power.toUpperCase() : undefined;
  if (power !== 'ON' && power !== 'OFF') throw bad('Systems/1', 'Power', system.Power);
  return power;
}

function mapTarget(target: unknown): IloBootDevice | null {
  return typeof target === 'string' ? (FROM_RIS.get(target) ?? null) : null;
}

/** `Systems/1` one-time boot override, `'Normal'` unless `BootSourceOverrideEnabled` is `Once`. */
export function oneTimeBootFromSystem(system: RisObject): IloOneTimeBoot {
  if (at(system, 'Boot', 'BootSourceOverrideEnabled') !== 'Once') return 'Normal';
  const target = at(system, 'Boot', 'BootSourceOverrideTarget');
  const device = mapTarget(target) ?? (typeof target === 'string' ? RIS_ONLY_TARGETS[target] : undefined);
  if (device === undefined) throw bad('Systems/1', 'BootSourceOverrideTarget', target);
  return device;
}

/** The continuous override target, or `undefined` when no continuous override is set. */
export function continuousBootFromSystem(system: RisObject): IloBootDevice | null | undefined {
  if (at(system, 'Boot', 'BootSourceOverrideEnabled') !== 'Continuous') return undefined;
  return mapTarget(at(system, 'Boot', 'BootSourceOverrideTarget'));
}

/** `Systems/1` `Oem.Hp.Bios.UefiClass`: 0 legacy only, 2 both, 3 UEFI only (absent means legacy). */
export function supportedBootModeFromSystem(system: RisObject): IloSupportedBootMode {
  const uefiClass = at(system, 'Oem', 'Hp', 'Bios', 'UefiClass') ?? 0;
  const mode = SUPPORTED[Number(uefiClass)];
  if (mode === undefined) throw bad('Systems/1', 'UefiClass', uefiClass);
  return mode;
}

/** BIOS `BootMode` (`Uefi` / `LegacyBios`). */
export function bootModeFromBios(bios: RisObject): IloBootMode {
  if (bios.BootMode === 'Uefi') return 'UEFI';
  if (bios.BootMode === 'LegacyBios') return 'LEGACY';
  throw bad('BIOS settings', 'BootMode', bios.BootMode);
}

/** The class of the first `PersistentBootConfigOrder` entry of `bios/Boot`. */
export function persistentDeviceFromBootSettings(boot: RisObject): IloBootDevice | null {
  const first = (boot.PersistentBootConfigOrder as unknown[] | undefined)?.[0];
  const sources = (boot.BootSources as RisObject[] | undefined) ?? [];
  const source = sources.find((s) => s.StructuredBootString === first);
  const text = typeof source?.BootString === 'string' ? source.BootString : '';
  // RIS counts iSCSI boot options as network boot.
  return text.includes('iSCSI') ? 'NETWORK' : classifyUefiDescription(text);
}

/** A virtual media member as `GET_VM_STATUS` would report it (proliantutils' synthesis). */
export function vmStatusFromMedia(device: VirtualMediaDevice, media: RisObject): VmStatus {
  const connected = media.ConnectedVia !== 'NotConnected';
  let bootOption: VmStatus['bootOption'] =
    at(media, 'Oem', 'Hp', 'BootOnNextServerReset') === true ? 'BOOT_ONCE' : 'BOOT_ALWAYS';
  // A disconnected device boots nothing; a floppy never boots once over RIS.
  if (!connected || (bootOption === 'BOOT_ONCE' && device === 'FLOPPY')) bootOption = 'NO_BOOT';
  const image = typeof media.Image === 'string' && media.Image !== '' ? media.Image : null;
  return {
    device,
    vmApplet: connected ? 'CONNECTED' : 'DISCONNECTED',
    bootOption,
    writeProtect: media.WriteProtected === true,
    imageInserted: media.Inserted === true,
    imageUrl: image,
  };
}

/** Whether a virtual media member serves `device` (`MediaTypes` has `Floppy` or `CD`). */
export function mediaServes(media: RisObject, device: VirtualMediaDevice): boolean {
  const types = Array.isArray(media.MediaTypes) ? media.MediaTypes.map((t) => String(t).toLowerCase()) : [];
  return types.includes(device === 'FLOPPY' ? 'floppy' : 'cd');
}

/** GPUs among PCI devices: display controllers (class 3) of subclass 0, 1, 2 or 128. */
export function gpuCount(pci: RisObject): number {
  const items = (pci.Items as RisObject[] | undefined) ?? [];
  return items.filter((d) => d.ClassCode === 3 && [0, 1, 2, 128].includes(Number(d.SubclassCode))).length;
}

/** The largest `NGb` in PCI device names, the way proliantutils reads Redfish PCI devices. */
export function nicCapacity(pci: RisObject): string | undefined {
  const items = (pci.Items as RisObject[] | undefined) ?? [];
  let best = 0;
  for (const d of items) {
    for (const m of String(d.Name ?? '').matchAll(/\b(\d+)Gb\b/g)) best = Math.max(best, Number(m[1]));
  }
  return best > 0 ? `${best}Gb` : undefined;
}

/** `Managers/1` `Firmware.Current.VersionString`, for example `iLO 4 v2.20`. */
export function iloFirmwareFromManager(manager: RisObject): string | undefined {
  const v = at(manager, 'Firmware', 'Current', 'VersionString');
  return typeof v === 'string' ? v : undefined;
}

/** `Systems/1` `Oem.Hp.Bios.Current.VersionString`, for example `I36 v1.40 (01/28/2015)`. */
export function romFirmwareFromSystem(system: RisObject): string | undefined {
  const v = at(system, 'Oem', 'Hp', 'Bios', 'Current', 'VersionString');
  return typeof v === 'string' ? v : undefined;
}
