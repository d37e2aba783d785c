import type { ServerCapabilities } from '../client/index.js';
import { formatCapabilities, parseCapabilities } from '../config/index.js';

const FLAGS: ReadonlyArray<[keyof ServerCapabilities, string]> = [
  ['bootModeBios', 'boot_mode_bios'],
  ['bootModeUefi', 'boot_mode_uefi'],
  ['secureBoot', 'secure_boot'],
  ['trustedBoot', 'trusted_boot'],
  ['cpuVt', 'cpu_vt'],
  ['sriovEnabled', 'sriov_enabled'],
  ['iscsiBoot', 'iscsi_boot'],
  ['nvdimmN', 'nvdimm_n'],
  ['hardwareSupportsRaid', 'hardware_supports_raid'],
  ['hasRotational', 'has_rotational'],
  ['hasSsd', 'has_ssd'],
];

/** A capability value cannot hold the `,` that separates capabilities. */
const safe = (value: string): string => value.replace(/,/g, ' ').trim();

/**
 * The capabilities inspection records, in Ironic's names and string values: `server_model`,
 * `ilo_firmware_version`, `rom_firmware_version`, `pci_gpu_devices`, `nic_capacity`,
 * `boot_mode_bios`, `boot_mode_uefi`, `secure_boot`, `trusted_boot`, `cpu_vt`, `sriov_enabled`,
 * `iscsi_boot`, `nvdimm_n`, `hardware_supports_raid`, `has_rotational`, `has_ssd`,
 * `rotational_drive_<rpm>_rpm` and `logical_raid_level_<level>`. Flags the iLO could not
 * determine are left out rather than guessed.
 *
 * @example
 * ```ts
 * inspectedCapabilities(await ilo.getServerCapabilities());
 * // { server_model: 'ProLiant DL380 Gen9', pci_gpu_devices: '0', boot_mode_uefi: 'true', … }
 * ```
 */
export function inspectedCapabilities(caps: ServerCapabilities): Record<string, string> {
  const out: Record<string, string> = { server_model: safe(caps.serverModel) };
  if (caps.iloFirmwareVersion !== undefined) out.ilo_firmware_version = safe(caps.iloFirmwareVersion);
  if (caps.romFirmwareVersion !== undefined) out.rom_firmware_version = safe(caps.romFirmwareVersion);
  out.pci_gpu_devices = String(caps.pciGpuDevices);
  if (caps.nicCapacity !== undefined) out.nic_capacity = safe(caps.nicCapacity);
  for (const [key, name] of FLAGS) {
    const value = caps[key];
    if (typeof value === 'boolean') out[name] = String(value);
  }
  for (const rpm of caps.rotationalDriveRpms ?? []) out[`rotational_drive_${rpm}_rpm`] = 'true';
  for (const level of caps.logicalRaidLevels ?? [])
    out[`logical_raid_level_${level.replace(/\+/g, '')}`] = 'true';
  return out;
}

/**
 * Merges inspected capabilities into the node's `"k:v,k:v"` string as Ironic's
 * `get_updated_capabilities`: the operator's other keys stay, inspected keys are overwritten. The
 * `rotational_drive_*` and `logical_raid_level_*` families are replaced as a whole when the iLO
 * reported them, so that a drive or volume that is gone does not linger. A malformed string is an
 * `InvalidParameterValue`.
 *
 * @example
 * ```ts
 * mergeInspectedCapabilities('foo:bar', { server_model: 'ProLiant DL380 Gen9' }, []); // 'foo:bar,server_model:ProLiant DL380 Gen9'
 * ```
 */
export function mergeInspectedCapabilities(
  current: string | undefined,
  inspected: Record<string, string>,
  replacedFamilies: readonly string[],
): string {
  const kept = Object.entries(parseCapabilities(current)).filter(
    ([key]) => !replacedFamilies.some((prefix) => key.startsWith(prefix)),
  );
  return formatCapabilities({ ...Object.fromEntries(kept), ...inspected });
}

/** The capability families `caps` reports in full. */
export function reportedFamilies(caps: ServerCapabilities): string[] {
  const out: string[] = [];
  if (caps.rotationalDriveRpms !== undefined) out.push('rotational_drive_');
  if (caps.logicalRaidLevels !== undefined) out.push('logical_raid_level_');
  return out;
}
