import type { OperationOptions } from '../../contracts/index.js';
import type { ServerCapabilities } from '../health-types.js';
import { hrefOf, type RisChannel, type RisObject } from './channel.js';

type Flags = Omit<ServerCapabilities, 'serverModel' | 'pciGpuDevices' | 'bootModeBios' | 'bootModeUefi'>;

async function drives(ris: RisChannel, system: RisObject, o: OperationOptions) {
  const storage = hrefOf((system.Oem as RisObject | undefined)?.Hp, 'SmartStorage');
  if (storage === undefined) return undefined;
  const controllers = hrefOf((await ris.get(storage, o)).body, 'ArrayControllers');
  if (controllers === undefined) return undefined;
  const members = await ris.members(controllers, o);
  const logical: RisObject[] = [];
  const physical: RisObject[] = [];
  for (const controller of members) {
    for (const [link, into] of [
      ['LogicalDrives', logical],
      ['PhysicalDrives', physical],
    ] as const) {
      const uri = hrefOf(controller.body, link);
      if (uri !== undefined) into.push(...(await ris.members(uri, o)).map((m) => m.body));
    }
  }
  return { controllers: members.length, logical, physical };
}

/**
 * The scheduling flags proliantutils derives from RIS: disks and RAID from SmartStorage, TPM,
 * virtualisation, NVDIMM-N and SR-IOV from BIOS settings, iSCSI boot from the BIOS links.
 */
export async function risCapabilityFlags(
  ris: RisChannel,
  system: RisObject,
  o: OperationOptions,
): Promise<Flags> {
  const flags: Flags = {};
  const storage = await drives(ris, system, o);
  if (storage !== undefined) {
    flags.hardwareSupportsRaid = storage.controllers > 0;
    const rpms = new Set<number>();
    for (const d of storage.physical) {
      if (d.MediaType === 'HDD') {
        flags.hasRotational = true;
        if (typeof d.RotationalSpeedRpm === 'number') rpms.add(d.RotationalSpeedRpm);
      } else if (d.MediaType !== undefined) flags.hasSsd = true;
    }
    if (rpms.size > 0) flags.rotationalDriveRpms = [...rpms].sort((a, b) => a - b);
    const levels = [...new Set(storage.logical.map((l) => l.Raid).filter((r) => typeof r === 'string'))];
    if (levels.length > 0) flags.logicalRaidLevels = (levels as string[]).sort();
  }
  const biosUri = hrefOf((system.Oem as RisObject | undefined)?.Hp, 'BIOS');
  if (biosUri !== undefined) {
    const bios = (await ris.get(biosUri, o)).body;
    if (bios.TpmState !== undefined) flags.trustedBoot = bios.TpmState !== 'NotPresent';
    if (bios.ProcVirtualization !== undefined) flags.cpuVt = bios.ProcVirtualization === 'Enabled';
    if (bios.NvDimmNMemFunctionality !== undefined)
      flags.nvdimmN = bios.NvDimmNMemFunctionality === 'Enabled';
    if (bios.Sriov !== undefined) flags.sriovEnabled = bios.Sriov === 'Enabled';
    flags.iscsiBoot = hrefOf(bios, 'iScsi') !== undefined;
  }
  return flags;
}
