import { describe, expect, it } from 'vitest';
import {
  InvalidParameterValue,
  inspectedCapabilities,
  mergeInspectedCapabilities,
} from '../../../src/index.js';

describe('inspectedCapabilities', () => {
  it("names the client's capabilities as Ironic does, leaving unknown flags out", () => {
    expect(
      inspectedCapabilities({
        serverModel: 'ProLiant DL380 Gen9',
        iloFirmwareVersion: 'iLO 4 v2.30',
        romFirmwareVersion: 'P89 v2.00 (12/27/2015)',
        pciGpuDevices: 1,
        nicCapacity: '10Gb',
        bootModeBios: true,
        bootModeUefi: true,
        secureBoot: true,
        cpuVt: false,
        rotationalDriveRpms: [10000, 15000],
        logicalRaidLevels: ['1', '1+0'],
      }),
    ).toEqual({
      server_model: 'ProLiant DL380 Gen9',
      ilo_firmware_version: 'iLO 4 v2.30',
      rom_firmware_version: 'P89 v2.00 (12/27/2015)',
      pci_gpu_devices: '1',
      nic_capacity: '10Gb',
      boot_mode_bios: 'true',
      boot_mode_uefi: 'true',
      secure_boot: 'true',
      cpu_vt: 'false',
      rotational_drive_10000_rpm: 'true',
      rotational_drive_15000_rpm: 'true',
      logical_raid_level_1: 'true',
      logical_raid_level_10: 'true',
    });
  });

  it('keeps a value with a comma from breaking the capabilities string', () => {
    const caps = inspectedCapabilities({
      serverModel: 'ProLiant, odd',
      pciGpuDevices: 0,
      bootModeBios: true,
      bootModeUefi: false,
    });
    expect(caps.server_model).toBe('ProLiant  odd');
  });
});

describe('mergeInspectedCapabilities', () => {
  it("keeps the operator's keys, overwrites inspected ones, replaces reported families", () => {
    expect(
      mergeInspectedCapabilities(
        'foo:bar,secure_boot:false,rotational_drive_7200_rpm:true,boot_mode:uefi',
        { secure_boot: 'true', rotational_drive_10000_rpm: 'true' },
        ['rotational_drive_'],
      ),
    ).toBe('foo:bar,secure_boot:true,boot_mode:uefi,rotational_drive_10000_rpm:true');
  });

  it('rejects a malformed string', () => {
    expect(() => mergeInspectedCapabilities('foo', {}, [])).toThrow(InvalidParameterValue);
  });
});
