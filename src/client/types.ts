/**
 * Host power as the iLO reports it (proliantutils' `get_host_power_status()`).
 *
 * @example
 * ```ts
 * const power: IloPowerStatus = await client.getHostPowerStatus(); // 'ON'
 * ```
 */
export type IloPowerStatus = 'ON' | 'OFF';

/**
 * Boot devices the iLO names (RIBCL `SET_ONE_TIME_BOOT` / `DEVICE` values; RIS `Pxe`, `Cd`, `Hdd`,
 * `UefiTarget`, `Usb` map to `NETWORK`, `CDROM`, `HDD`, `ISCSI`, `USB`).
 *
 * @example
 * ```ts
 * const device: IloBootDevice = 'CDROM';
 * ```
 */
export type IloBootDevice = 'NETWORK' | 'HDD' | 'CDROM' | 'ISCSI' | 'FLOPPY' | 'USB' | 'RBSU' | 'UEFIHTTP';

/**
 * What `setOneTimeBoot` accepts: a boot device, an iLO 4 embedded target (RIBCL), a RIS-only
 * target (`UEFISHELL`, `UTILITIES`, `DIAGS`, Gen9), or a UEFI boot option such as `Boot000B`.
 *
 * @example
 * ```ts
 * await client.setOneTimeBoot('CDROM');
 * ```
 */
export type IloOneTimeBootTarget =
  | IloBootDevice
  | 'EMB-MENU'
  | 'EMB-ACU'
  | 'EMB-HPSUM-AUTO'
  | 'EMB-DIAGS'
  | 'UEFISHELL'
  | 'UTILITIES'
  | 'DIAGS'
  | `Boot${string}`;

/**
 * What `getOneTimeBoot` returns: the next boot's one-time target, or `'Normal'` when none is set.
 *
 * @example
 * ```ts
 * if ((await client.getOneTimeBoot()) === 'Normal') console.log('no one-time boot pending');
 * ```
 */
export type IloOneTimeBoot = IloOneTimeBootTarget | 'Normal';

/**
 * Devices `updatePersistentBoot` accepts (Ironic's set; `ISCSI` needs the RIS or Redfish backend).
 *
 * @example
 * ```ts
 * await client.updatePersistentBoot(['NETWORK']);
 * ```
 */
export type IloPersistentBootTarget = 'NETWORK' | 'HDD' | 'CDROM' | 'ISCSI';

/**
 * A boot mode the BIOS runs in.
 *
 * @example
 * ```ts
 * const mode: IloBootMode = await client.getCurrentBootMode(); // 'UEFI'
 * ```
 */
export type IloBootMode = 'LEGACY' | 'UEFI';

/**
 * The boot mode applied at the next reset; RIBCL answers `'UNKNOWN'` on some firmware, which
 * Ironic handles by setting `'UEFI'`.
 *
 * @example
 * ```ts
 * const pending: IloPendingBootMode = await client.getPendingBootMode();
 * ```
 */
export type IloPendingBootMode = IloBootMode | 'UNKNOWN';

/**
 * The boot modes the hardware supports, in proliantutils' words.
 *
 * @example
 * ```ts
 * const modes = await client.getSupportedBootMode(); // 'legacy bios and uefi'
 * ```
 */
export type IloSupportedBootMode = 'legacy bios only' | 'uefi only' | 'legacy bios and uefi';

/**
 * A virtual media device.
 *
 * @example
 * ```ts
 * await client.insertVirtualMedia('http://10.0.0.1/boot.iso', 'CDROM');
 * ```
 */
export type VirtualMediaDevice = 'FLOPPY' | 'CDROM';

/**
 * `SET_VM_STATUS` boot options: `CONNECT`/`DISCONNECT` act now; the others at the next server boot.
 *
 * @example
 * ```ts
 * await client.setVmStatus('CDROM', 'BOOT_ONCE', true);
 * ```
 */
export type VmBootOption = 'BOOT_ONCE' | 'BOOT_ALWAYS' | 'NO_BOOT' | 'CONNECT' | 'DISCONNECT';

/**
 * The state of one virtual media device (`GET_VM_STATUS`, or synthesised from RIS as proliantutils does).
 *
 * @example
 * ```ts
 * const { imageInserted, imageUrl } = await client.getVmStatus('CDROM');
 * ```
 */
export interface VmStatus {
  /** The device. */
  device: VirtualMediaDevice;
  /** Whether the remote console applet holds the device (then scripts cannot connect it). */
  vmApplet: 'CONNECTED' | 'DISCONNECTED';
  /** The boot option that applies at the next server boot. */
  bootOption: 'BOOT_ONCE' | 'BOOT_ALWAYS' | 'NO_BOOT';
  /** Whether the host sees the media read-only. */
  writeProtect: boolean;
  /** Whether an image URL is inserted. */
  imageInserted: boolean;
  /** The inserted image URL, or `null`. */
  imageUrl: string | null;
}

/**
 * One iLO licence (`GET_ALL_LICENSES`).
 *
 * @example
 * ```ts
 * const [licence] = await client.getAllLicenses(); // { type: 'iLO 4 Advanced', ... }
 * ```
 */
export interface IloLicense {
  /** For example `'iLO 4 Advanced'`. */
  type: string;
  /** The key (a secret: do not log it). */
  key: string;
  /** When it was installed, as the iLO wrote it. */
  installDate: string;
  /** For example `'FQL'`, `'PERPETUAL'`. */
  licenseClass: string;
}

/**
 * The server's model and UUID, from the unauthenticated `/xmldata?item=all` (proliantutils'
 * `get_host_uuid()` returns the same pair).
 *
 * @example
 * ```ts
 * const { productName, uuid } = await client.getHostUuid();
 * ```
 */
export interface HostUuid {
  /** Server model (`HSI/SPN`), for example `'ProLiant DL380 Gen9'`. */
  productName: string;
  /** The host's UUID (`HSI/cUUID`). */
  uuid: string;
}
