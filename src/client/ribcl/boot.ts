import type { IloBootDevice, IloPersistentBootTarget } from '../types.js';

/** One entry of `PERSISTENT_BOOT`: a legacy device name, or a UEFI `BootXXXX` with its description. */
export interface PersistentBootEntry {
  /** `CDROM`, `HDD`…, or `Boot000B` in UEFI mode. */
  value: string;
  /** The UEFI boot option's description; absent in legacy BIOS mode. */
  description?: string;
}

const LEGACY_DEVICES = new Set<string>(['CDROM', 'FLOPPY', 'USB', 'HDD', 'NETWORK']);
const DISK_WORDS = ['Logical Drive', 'HDD', 'Storage', 'LogVol'];

/** Whether a UEFI boot description names a disk (proliantutils' `isDisk`). */
export function isDiskDescription(description: string): boolean {
  return DISK_WORDS.some((w) => description.includes(w));
}

/** The device class of a UEFI boot option description, as proliantutils classifies it. */
export function classifyUefiDescription(description: string): IloBootDevice | null {
  if (description.includes('HP iLO Virtual USB CD')) return 'CDROM';
  if (description.includes('NIC') || description.includes('PXE')) return 'NETWORK';
  if (isDiskDescription(description)) return 'HDD';
  return null;
}

/** The first persistent boot device: the legacy name, or the class of the first UEFI option. */
export function firstPersistentDevice(entries: readonly PersistentBootEntry[]): IloBootDevice | null {
  const first = entries[0];
  if (first === undefined) return null;
  if (first.description === undefined) {
    const name = first.value.toUpperCase();
    return LEGACY_DEVICES.has(name) ? (name as IloBootDevice) : null;
  }
  return classifyUefiDescription(first.description);
}

/**
 * The UEFI boot options that stand for the requested devices, in request order: for `NETWORK`
 * the PXE NICs first, then other NICs, then iSCSI; for `HDD` the disks; for `CDROM` the iLO
 * virtual CD.
 */
export function uefiBootOrderFor(
  entries: readonly PersistentBootEntry[],
  devices: readonly IloPersistentBootTarget[],
): string[] {
  const matching = (test: (d: string) => boolean): string[] =>
    entries.filter((e) => test(e.description ?? '')).map((e) => e.value);
  const out: string[] = [];
  for (const device of devices) {
    if (device === 'NETWORK') {
      out.push(
        ...matching((d) => d.includes('PXE')),
        ...matching((d) => !d.includes('PXE') && !d.includes('iSCSI') && d.includes('NIC')),
        ...matching((d) => !d.includes('PXE') && d.includes('iSCSI')),
      );
    } else if (device === 'HDD') out.push(...matching(isDiskDescription));
    else if (device === 'CDROM') out.push(...matching((d) => d.includes('HP iLO Virtual USB CD')));
  }
  return out;
}
