import { describe, expect, it } from 'vitest';
import type { RisObject } from '../../../src/client/ris/channel.js';
import {
  bootModeFromBios,
  continuousBootFromSystem,
  gpuCount,
  iloFirmwareFromManager,
  mediaServes,
  nicCapacity,
  oneTimeBootFromSystem,
  persistentDeviceFromBootSettings,
  powerFromSystem,
  romFirmwareFromSystem,
  supportedBootModeFromSystem,
  vmStatusFromMedia,
} from '../../../src/client/ris/resources.js';
import type { VmStatus } from '../../../src/client/types.js';
import { jsonSample } from '../../helpers/client-fixtures.js';

const ris = (name: string) => jsonSample<RisObject>('ris', name);

/** proliantutils' RIBCL-style VM status dict, typed as this library returns it. */
function typed(dict: Record<string, string>): VmStatus {
  return {
    device: dict.DEVICE as VmStatus['device'],
    vmApplet: dict.VM_APPLET as VmStatus['vmApplet'],
    bootOption: dict.BOOT_OPTION as VmStatus['bootOption'],
    writeProtect: dict.WRITE_PROTECT === 'YES',
    imageInserted: dict.IMAGE_INSERTED === 'YES',
    imageUrl: dict.IMAGE_URL === '' ? null : (dict.IMAGE_URL ?? null),
  };
}

describe('RIS /rest/v1 bodies recorded by proliantutils', () => {
  it('reads Systems/1: power, model, boot override, UEFI class and ROM', () => {
    const system = ris('RESPONSE_BODY_FOR_REST_OP');
    expect(powerFromSystem(system)).toBe('OFF');
    expect(system.Model).toBe('ProLiant BL460c Gen9');
    expect(oneTimeBootFromSystem(system)).toBe('Normal');
    expect(continuousBootFromSystem(system)).toBeUndefined();
    expect(supportedBootModeFromSystem(system)).toBe('legacy bios and uefi');
    expect(romFirmwareFromSystem(system)).toBe('I36 v1.40 (01/28/2015)');
  });

  it('reads one-time and continuous overrides', () => {
    expect(oneTimeBootFromSystem(ris('RESP_BODY_FOR_SYSTEM_WITH_CDROM'))).toBe('CDROM');
    expect(oneTimeBootFromSystem(ris('RESP_BODY_WITH_UEFI_SHELL'))).toBe('UEFISHELL');
    expect(continuousBootFromSystem(ris('SYSTEM_WITH_CDROM_CONT'))).toBe('CDROM');
    expect(continuousBootFromSystem(ris('SYSTEM_WITH_UEFISHELL_CONT'))).toBeNull();
    expect(oneTimeBootFromSystem(ris('RESP_BODY_FOR_SYSTEM_WITHOUT_BOOT'))).toBe('Normal');
  });

  it('reads the iLO firmware of Managers/1', () => {
    expect(iloFirmwareFromManager(ris('GET_MANAGER_DETAILS'))).toBe('iLO 4 v2.20');
    expect(iloFirmwareFromManager({ Firmware: {} })).toBeUndefined();
  });

  it('reads the current and pending BIOS boot mode', () => {
    expect(bootModeFromBios(ris('GET_BIOS_SETTINGS'))).toBe('UEFI');
    expect(bootModeFromBios(ris('GET_BIOS_PENDING_SETTINGS'))).toBe('UEFI');
    expect(bootModeFromBios({ BootMode: 'LegacyBios' })).toBe('LEGACY');
    expect(() => bootModeFromBios({})).toThrow(/BootMode/);
  });

  it('classifies the first persistent UEFI boot source', () => {
    const boot = ris('GET_BIOS_BOOT');
    expect(persistentDeviceFromBootSettings(boot)).toBe('HDD');
    const order = (name: string) => ({
      ...boot,
      PersistentBootConfigOrder: jsonSample<string[]>('ris', name),
    });
    expect(persistentDeviceFromBootSettings(order('UEFI_BOOT_DEVICE_ORDER_PXE'))).toBe('NETWORK');
    expect(persistentDeviceFromBootSettings(order('UEFI_BOOT_DEVICE_ORDER_HDD'))).toBe('HDD');
    expect(persistentDeviceFromBootSettings(order('UEFI_BOOT_DEVICE_ORDER_CD'))).toBe('CDROM');
    expect(persistentDeviceFromBootSettings(order('UEFI_BOOT_DEVICE_ORDER_ERR'))).toBeNull();
    expect(
      persistentDeviceFromBootSettings({ ...boot, PersistentBootConfigOrder: ['NIC.LOM.1.1.iSCSI'] }),
    ).toBe('NETWORK');
  });

  it('synthesises GET_VM_STATUS exactly as proliantutils expects', () => {
    const pairs: Array<[string, string, 'FLOPPY' | 'CDROM']> = [
      ['RESP_VM_STATUS_FLOPPY_EMPTY', 'GET_VM_STATUS_FLOPPY_EMPTY', 'FLOPPY'],
      ['RESP_VM_STATUS_FLOPPY_INSERTED', 'GET_VM_STATUS_FLOPPY_INSERTED', 'FLOPPY'],
      ['RESP_VM_STATUS_CDROM_EMPTY', 'GET_VM_STATUS_CDROM_EMPTY', 'CDROM'],
      ['RESP_VM_STATUS_CDROM_INSERTED', 'GET_VM_STATUS_CDROM_INSERTED', 'CDROM'],
    ];
    for (const [body, expected, device] of pairs) {
      expect(mediaServes(ris(body), device)).toBe(true);
      expect(vmStatusFromMedia(device, ris(body))).toEqual(typed(jsonSample('ris', expected)));
    }
    expect(mediaServes(ris('RESP_VM_STATUS_CDROM_MISSING'), 'CDROM')).toBe(false);
  });

  it('counts GPUs among PCI devices and reads NIC speeds from their names', () => {
    expect(gpuCount(ris('PCI_DEVICE_DETAILS'))).toBe(1);
    expect(gpuCount(ris('PCI_DEVICE_DETAILS_NO_GPU'))).toBe(0);
    expect(gpuCount({ Items: jsonSample<RisObject[]>('ris', 'PCI_GPU_LIST') })).toBe(1);
    expect(
      nicCapacity({
        Items: [
          { Name: 'HP Ethernet 1Gb 4-port 331i Adapter' },
          { Name: 'HPE Ethernet 10Gb 2-port 562SFP+ Adapter' },
        ],
      }),
    ).toBe('10Gb');
    expect(nicCapacity(ris('PCI_DEVICE_DETAILS_NO_GPU'))).toBeUndefined();
  });

  it('reads secure boot state', () => {
    expect(ris('REST_GET_SECURE_BOOT').SecureBootCurrentState).toBe(false);
  });
});
