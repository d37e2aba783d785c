import type { OperationOptions } from '../../contracts/index.js';
import { IloCommandNotSupported, IloOperationError, InvalidParameterValue } from '../../errors/index.js';
import type { IloBackend } from '../backend.js';
import type { ServerCapabilities } from '../health-types.js';
import type { Credentials } from '../ribcl/channel.js';
import type {
  IloBootDevice,
  IloBootMode,
  IloOneTimeBoot,
  IloOneTimeBootTarget,
  IloPendingBootMode,
  IloPersistentBootTarget,
  IloPowerStatus,
  IloSupportedBootMode,
  VirtualMediaDevice,
  VmBootOption,
  VmStatus,
} from '../types.js';
import { risCapabilityFlags } from './capabilities.js';
import { allows, hrefOf, type RisChannel, type RisObject } from './channel.js';
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
  RIS_BOOT_TARGETS,
  RIS_ONLY_TARGETS,
  romFirmwareFromSystem,
  supportedBootModeFromSystem,
  vmStatusFromMedia,
} from './resources.js';

const SYSTEM = '/rest/v1/Systems/1';
const MANAGER = '/rest/v1/Managers/1';
const ACCOUNTS = '/rest/v1/AccountService/Accounts';

/**
 * Gen9 (iLO 4 with RIS): the operations proliantutils sends to `/rest/v1` go there; inventory,
 * health, licences listing and the iLO reset stay on RIBCL, as proliantutils routes them.
 */
export class RisBackend implements IloBackend {
  constructor(
    private readonly ris: RisChannel,
    private readonly ribcl: IloBackend,
    private readonly credentials: Credentials,
    private readonly model: string,
  ) {}

  private async system(o: OperationOptions): Promise<RisObject> {
    return (await this.ris.get(SYSTEM, o)).body;
  }

  private async systemLink(name: string, o: OperationOptions): Promise<string> {
    const system = await this.system(o);
    const href = hrefOf((system.Oem as RisObject | undefined)?.Hp, name);
    if (href === undefined) throw new IloCommandNotSupported(`${name} is not available on ${this.model}`);
    return href;
  }

  /** The BIOS resource, its URI and the URI that accepts PATCH (the resource or its Settings). */
  private async bios(o: OperationOptions): Promise<{ bios: RisObject; writeUri: string }> {
    const uri = await this.systemLink('BIOS', o);
    const { body, headers } = await this.ris.get(uri, o);
    if (allows(headers, 'PATCH')) return { bios: body, writeUri: uri };
    const settings = hrefOf(body, 'Settings');
    if (settings === undefined)
      throw new IloCommandNotSupported(`BIOS settings cannot be changed on ${this.model}`);
    return { bios: body, writeUri: settings };
  }

  private async post(body: RisObject, o: OperationOptions): Promise<void> {
    await this.ris.post(SYSTEM, body, o);
  }

  async getHostPowerStatus(o: OperationOptions): Promise<IloPowerStatus> {
    return powerFromSystem(await this.system(o));
  }

  async setHostPower(target: IloPowerStatus, o: OperationOptions): Promise<void> {
    if ((await this.getHostPowerStatus(o)) === target) return;
    await this.post({ Action: 'Reset', ResetType: target === 'ON' ? 'On' : 'ForceOff' }, o);
  }

  async holdPwrBtn(o: OperationOptions): Promise<void> {
    await this.post({ Action: 'PowerButton', Target: '/Oem/Hp', PushType: 'PressAndHold' }, o);
  }

  async pressPwrBtn(o: OperationOptions): Promise<void> {
    await this.post({ Action: 'PowerButton', Target: '/Oem/Hp', PushType: 'Press' }, o);
  }

  async resetServer(o: OperationOptions): Promise<void> {
    await this.post({ Action: 'Reset', ResetType: 'ForceRestart' }, o);
  }

  async getOneTimeBoot(o: OperationOptions): Promise<IloOneTimeBoot> {
    return oneTimeBootFromSystem(await this.system(o));
  }

  private async override(device: IloOneTimeBootTarget, enabled: 'Once' | 'Continuous', o: OperationOptions) {
    const target =
      RIS_BOOT_TARGETS[device as IloBootDevice] ??
      Object.entries(RIS_ONLY_TARGETS).find(([, name]) => name === device)?.[0];
    if (target === undefined)
      throw new IloCommandNotSupported(`Booting from ${device} is not supported on ${this.model}`);
    if (target === 'UefiTarget') {
      const supported = (await this.system(o)).Boot as RisObject | undefined;
      const list = (supported?.UefiTargetBootSourceOverrideSupported as unknown[] | undefined) ?? [];
      const iscsi = list.find((d): d is string => typeof d === 'string' && d.includes('iSCSI'));
      if (iscsi === undefined) throw new IloCommandNotSupported(`No UEFI iSCSI boot option on ${this.model}`);
      await this.ris.patch(SYSTEM, { Boot: { UefiTargetBootSourceOverride: iscsi } }, o);
    }
    await this.ris.patch(
      SYSTEM,
      { Boot: { BootSourceOverrideEnabled: enabled, BootSourceOverrideTarget: target } },
      o,
    );
  }

  async setOneTimeBoot(target: IloOneTimeBootTarget, o: OperationOptions): Promise<void> {
    await this.override(target, 'Once', o);
  }

  async getPersistentBootDevice(o: OperationOptions): Promise<IloBootDevice | null> {
    const continuous = continuousBootFromSystem(await this.system(o));
    if (continuous !== undefined) return continuous;
    const { bios } = await this.bios(o);
    if (bootModeFromBios(bios) !== 'UEFI') return null;
    const boot = hrefOf(bios, 'Boot');
    if (boot === undefined)
      throw new IloCommandNotSupported(`The UEFI boot order is not available on ${this.model}`);
    return persistentDeviceFromBootSettings((await this.ris.get(boot, o)).body);
  }

  async updatePersistentBoot(
    devices: readonly IloPersistentBootTarget[],
    o: OperationOptions,
  ): Promise<void> {
    // RIS sets one continuous override target: the first requested device, as proliantutils does.
    await this.override(devices[0]!, 'Continuous', o);
  }

  async getCurrentBootMode(o: OperationOptions): Promise<IloBootMode> {
    return bootModeFromBios((await this.bios(o)).bios);
  }

  async getPendingBootMode(o: OperationOptions): Promise<IloPendingBootMode> {
    const { bios } = await this.bios(o);
    const settings = hrefOf(bios, 'Settings');
    if (settings === undefined)
      throw new IloCommandNotSupported(`Pending BIOS settings are not available on ${this.model}`);
    return bootModeFromBios((await this.ris.get(settings, o)).body);
  }

  async getSupportedBootMode(o: OperationOptions): Promise<IloSupportedBootMode> {
    return supportedBootModeFromSystem(await this.system(o));
  }

  async setPendingBootMode(mode: IloBootMode, o: OperationOptions): Promise<void> {
    const { writeUri } = await this.bios(o);
    const body =
      mode === 'UEFI' ? { BootMode: 'Uefi', UefiOptimizedBoot: 'Enabled' } : { BootMode: 'LegacyBios' };
    await this.ris.patch(writeUri, body, o);
  }

  async getSecureBootMode(o: OperationOptions): Promise<boolean> {
    const uri = await this.systemLink('SecureBoot', o);
    return (await this.ris.get(uri, o)).body.SecureBootCurrentState === true;
  }

  /** Secure boot changes, UEFI only, followed by a BIOS write that makes iLO 4 apply them. */
  private async changeSecureBoot(change: RisObject, what: string, o: OperationOptions): Promise<void> {
    if ((await this.getCurrentBootMode(o)) !== 'UEFI') {
      throw new IloCommandNotSupported(`${what} needs UEFI boot mode; ${this.model} boots legacy BIOS`);
    }
    await this.ris.patch(await this.systemLink('SecureBoot', o), change, o);
    // iLO 4 firmware only applies a secure boot change when a BIOS setting changes too: proliantutils
    // toggles a trailing space of CustomPostMessage, and so does this.
    const { bios, writeUri } = await this.bios(o);
    const message = typeof bios.CustomPostMessage === 'string' ? bios.CustomPostMessage : '';
    const toggled = message.endsWith(' ') ? message.trimEnd() : `${message} `;
    await this.ris.patch(writeUri, { CustomPostMessage: toggled }, o);
  }

  async setSecureBootMode(enable: boolean, o: OperationOptions): Promise<void> {
    await this.changeSecureBoot({ SecureBootEnable: enable }, 'Changing secure boot', o);
  }

  async resetSecureBootKeys(o: OperationOptions): Promise<void> {
    await this.changeSecureBoot({ ResetToDefaultKeys: true }, 'Resetting the secure boot keys', o);
  }

  async clearSecureBootKeys(o: OperationOptions): Promise<void> {
    await this.changeSecureBoot({ ResetAllKeys: true }, 'Clearing the secure boot keys', o);
  }

  async resetBiosToDefault(o: OperationOptions): Promise<void> {
    const { bios, writeUri } = await this.bios(o);
    const base = hrefOf(bios, 'BaseConfigs');
    if (base === undefined)
      throw new IloCommandNotSupported(`BIOS defaults are not available on ${this.model}`);
    const configs = ((await this.ris.get(base, o)).body.BaseConfigs as RisObject[] | undefined) ?? [];
    const defaults = configs.find((c) => typeof c.default === 'object' && c.default !== null)?.default;
    if (defaults === undefined) throw new IloCommandNotSupported(`No default BIOS settings on ${this.model}`);
    await this.ris.patch(writeUri, defaults, o);
  }

  private async media(
    device: VirtualMediaDevice,
    o: OperationOptions,
  ): Promise<{ uri: string; body: RisObject }> {
    const manager = (await this.ris.get(MANAGER, o)).body;
    const collection = hrefOf(manager, 'VirtualMedia');
    if (collection === undefined)
      throw new IloCommandNotSupported(`Virtual media is not available on ${this.model}`);
    for (const member of await this.ris.members(collection, o)) {
      if (mediaServes(member.body, device)) return member;
    }
    throw new IloOperationError({
      operation: 'Find virtual media',
      error: `no ${device} device on this iLO`,
    });
  }

  async insertVirtualMedia(url: string, device: VirtualMediaDevice, o: OperationOptions): Promise<void> {
    const media = await this.media(device, o);
    // RIS refuses to replace an image: eject first.
    if (media.body.Inserted === true) await this.ris.patch(media.uri, { Image: null }, o);
    await this.ris.patch(media.uri, { Image: url }, o);
  }

  async ejectVirtualMedia(device: VirtualMediaDevice, o: OperationOptions): Promise<void> {
    const media = await this.media(device, o);
    if (media.body.Inserted !== true) return;
    await this.ris.patch(media.uri, { Image: null }, o);
  }

  async getVmStatus(device: VirtualMediaDevice, o: OperationOptions): Promise<VmStatus> {
    return vmStatusFromMedia(device, (await this.media(device, o)).body);
  }

  async setVmStatus(device: VirtualMediaDevice, bootOption: VmBootOption, _wp: boolean, o: OperationOptions) {
    // RIS connects media on insert, and write protection is read-only there.
    if (bootOption === 'CONNECT') return;
    if (bootOption === 'DISCONNECT') {
      throw new IloCommandNotSupported(
        `DISCONNECT is not supported on ${this.model}; eject the media instead`,
      );
    }
    const media = await this.media(device, o);
    await this.ris.patch(
      media.uri,
      { Oem: { Hp: { BootOnNextServerReset: bootOption === 'BOOT_ONCE' } } },
      o,
    );
  }

  getEssentialProperties(o: OperationOptions) {
    return this.ribcl.getEssentialProperties(o);
  }

  getHostHealthData(o: OperationOptions) {
    return this.ribcl.getHostHealthData(o);
  }

  getAllLicenses(o: OperationOptions) {
    return this.ribcl.getAllLicenses(o);
  }

  requestIloReset(o: OperationOptions) {
    return this.ribcl.requestIloReset(o);
  }

  async getServerCapabilities(o: OperationOptions): Promise<ServerCapabilities> {
    const system = await this.system(o);
    const manager = (await this.ris.get(MANAGER, o)).body;
    const pciUri = hrefOf((system.Oem as RisObject | undefined)?.Hp, 'PCIDevices');
    const pci = pciUri === undefined ? { Items: [] } : (await this.ris.get(pciUri, o)).body;
    const supported = supportedBootModeFromSystem(system);
    const caps: ServerCapabilities = {
      serverModel: typeof system.Model === 'string' ? system.Model : this.model,
      pciGpuDevices: gpuCount(pci),
      bootModeBios: supported !== 'uefi only',
      bootModeUefi: supported !== 'legacy bios only',
    };
    const ilo = iloFirmwareFromManager(manager);
    const rom = romFirmwareFromSystem(system);
    const nic = nicCapacity(pci);
    if (ilo !== undefined) caps.iloFirmwareVersion = ilo;
    if (rom !== undefined) caps.romFirmwareVersion = rom;
    if (nic !== undefined) caps.nicCapacity = nic;
    try {
      await this.getSecureBootMode(o);
      caps.secureBoot = true;
    } catch (error) {
      if (!(error instanceof IloCommandNotSupported)) throw error;
    }
    return { ...caps, ...(await risCapabilityFlags(this.ris, system, o)) };
  }

  async activateLicense(key: string, o: OperationOptions): Promise<void> {
    const manager = (await this.ris.get(MANAGER, o)).body;
    const uri = hrefOf((manager.Oem as RisObject | undefined)?.Hp, 'LicenseService');
    if (uri === undefined)
      throw new IloCommandNotSupported(`The licence service is not available on ${this.model}`);
    await this.ris.post(uri, { LicenseKey: key }, o);
  }

  async changePassword(newPassword: string, o: OperationOptions): Promise<void> {
    for (const account of await this.ris.members(ACCOUNTS, o)) {
      if (account.body.UserName === this.credentials.username) {
        await this.ris.patch(account.uri, { Password: newPassword }, o);
        return;
      }
    }
    throw new InvalidParameterValue(`iLO account ${this.credentials.username} was not found.`, {
      fields: [{ field: 'username', problem: 'no such iLO account' }],
    });
  }
}
