import { type BootDeviceInfo, type BootMode, IloManagement } from '../../index.js';
import { defineRead, onOff } from './read.js';

/** `boot-device get`: the next boot device and whether it is persistent. */
export const bootDeviceGet = defineRead({
  words: ['boot-device', 'get'],
  description: 'print the next boot device (pxe, disk, cdrom) and whether it is persistent',
  example: 'boot-device get',
  read: (node): Promise<BootDeviceInfo> => new IloManagement(node.options).getBootDevice(node.task),
  columns: [
    { header: 'BOOT DEVICE', cell: (r) => r.bootDevice ?? 'unknown' },
    { header: 'PERSISTENT', cell: (r) => (r.persistent === null ? '' : r.persistent ? 'yes' : 'no') },
  ],
});

/** What `boot-mode get` reports. */
export interface BootModeResult {
  /** The boot mode the server booted in, `null` when unknown. */
  bootMode: BootMode | null;
  /** The boot modes the hardware supports. */
  supportedBootModes: readonly BootMode[];
}

/** `boot-mode get`: the current boot mode and the supported ones. */
export const bootModeGet = defineRead({
  words: ['boot-mode', 'get'],
  description: 'print the current boot mode (bios, uefi) and the supported ones',
  example: 'boot-mode get',
  async read(node): Promise<BootModeResult> {
    const management = new IloManagement(node.options);
    const bootMode = await management.getBootMode(node.task);
    const supportedBootModes = await management.getSupportedBootModes(node.task);
    return { bootMode, supportedBootModes };
  },
  columns: [
    { header: 'BOOT MODE', cell: (r) => r.bootMode ?? 'unknown' },
    { header: 'SUPPORTED', cell: (r) => r.supportedBootModes.join(',') },
  ],
});

/** `secure-boot get`: whether UEFI secure boot is on. */
export const secureBootGet = defineRead({
  words: ['secure-boot', 'get'],
  description: 'print whether UEFI secure boot is on (exit 3 on hardware without it)',
  example: 'secure-boot get',
  async read(node): Promise<{ secureBoot: boolean }> {
    return { secureBoot: await new IloManagement(node.options).getSecureBootState(node.task) };
  },
  columns: [{ header: 'SECURE BOOT', cell: (r) => onOff(r.secureBoot) }],
});
