import type { OperationOptions } from '../../contracts/index.js';
import {
  IloCommandNotSupported,
  IloOperationError,
  InvalidParameterValue,
  NotSupported,
} from '../../errors/index.js';
import type { IloBackend } from '../backend.js';
import type { HostHealthData, ServerCapabilities } from '../health-types.js';
import { essentialPropertiesFrom, healthCapabilities } from '../inspection.js';
import type {
  IloBootDevice,
  IloBootMode,
  IloLicense,
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
import { attr, child, childrenNamed, fieldValue, type XmlElement } from '../xml.js';
import { firstPersistentDevice, type PersistentBootEntry, uefiBootOrderFor } from './boot.js';
import type { Credentials, RibclChannel } from './channel.js';
import { parseEmbeddedHealth } from './health.js';
import type { RibclBlock, RibclCommand } from './request.js';
import type { RibclSuccess } from './response.js';

const SUPPORTED_BOOT_MODES: Record<string, IloSupportedBootMode> = {
  LEGACY_ONLY: 'legacy bios only',
  UEFI_ONLY: 'uefi only',
  LEGACY_UEFI: 'legacy bios and uefi',
};

/** Reads the payload element `tag`, or fails saying the iLO's reply lacked it. */
function payload(reply: RibclSuccess, command: string, tag: string): XmlElement {
  const found = reply.payloads.find((p) => p.tag === tag);
  if (found === undefined) {
    throw new IloOperationError({ operation: `iLO ${command}`, error: `the reply has no ${tag} element` });
  }
  return found;
}

function unexpected(command: string, what: string, value: string | undefined): IloOperationError {
  return new IloOperationError({
    operation: `iLO ${command}`,
    error: `unexpected ${what} ${JSON.stringify(value ?? null)}`,
  });
}

function yesNo(value: string | undefined): boolean {
  return /^(y|yes|true|1)$/i.test(value ?? '');
}

/** The operations of iLO 3, 4 and 5 over RIBCL (`POST /ribcl`). */
export class RibclBackend implements IloBackend {
  constructor(
    private readonly channel: RibclChannel,
    private readonly credentials: Credentials,
    private readonly model: string,
    /** iLO 5 and later: what RIBCL lacks exists over Redfish, which this library does not speak yet. */
    private readonly redfishGeneration: boolean,
  ) {}

  private run(
    block: RibclBlock,
    mode: 'read' | 'write',
    command: RibclCommand,
    o: OperationOptions,
  ): Promise<RibclSuccess> {
    return this.channel.execute(block, mode, command, { signal: o.signal });
  }

  private read(
    tag: string,
    o: OperationOptions,
    block: RibclBlock = 'SERVER_INFO',
    attrs?: [string, string][],
  ) {
    return this.run(block, 'read', { tag, ...(attrs === undefined ? {} : { attrs }) }, o);
  }

  private async write(command: RibclCommand, o: OperationOptions, block: RibclBlock = 'SERVER_INFO') {
    await this.run(block, 'write', command, o);
  }

  private lacking(feature: string): Error {
    if (this.redfishGeneration) {
      return new NotSupported({
        feature: `${feature} on ${this.model}`,
        reason: 'iLO 5 and later offer it over Redfish, which this version of the library does not speak yet',
      });
    }
    return new IloCommandNotSupported(`${feature} is not supported on ${this.model}`);
  }

  async getHostPowerStatus(o: OperationOptions): Promise<IloPowerStatus> {
    const reply = await this.read('GET_HOST_POWER_STATUS', o);
    const value = attr(
      payload(reply, 'GET_HOST_POWER_STATUS', 'GET_HOST_POWER'),
      'HOST_POWER',
    )?.toUpperCase();
    if (value !== 'ON' && value !== 'OFF') throw unexpected('GET_HOST_POWER_STATUS', 'power state', value);
    return value;
  }

  async setHostPower(target: IloPowerStatus, o: OperationOptions): Promise<void> {
    await this.write({ tag: 'SET_HOST_POWER', attrs: [['HOST_POWER', target === 'ON' ? 'Yes' : 'No']] }, o);
  }

  async holdPwrBtn(o: OperationOptions): Promise<void> {
    await this.write({ tag: 'HOLD_PWR_BTN', attrs: [['TOGGLE', 'NO']] }, o);
  }

  async pressPwrBtn(o: OperationOptions): Promise<void> {
    await this.write({ tag: 'PRESS_PWR_BTN' }, o);
  }

  async resetServer(o: OperationOptions): Promise<void> {
    await this.write({ tag: 'RESET_SERVER' }, o);
  }

  async getOneTimeBoot(o: OperationOptions): Promise<IloOneTimeBoot> {
    const reply = await this.read('GET_ONE_TIME_BOOT', o);
    // iLO 3 and later answer ONE_TIME_BOOT/BOOT_TYPE VALUE; iLO 2 GET_ONE_TIME_BOOT/BOOT_TYPE DEVICE.
    const holder = reply.payloads.find((p) => p.tag === 'ONE_TIME_BOOT' || p.tag === 'GET_ONE_TIME_BOOT');
    const type = child(holder, 'BOOT_TYPE');
    const value = attr(type, 'VALUE') ?? attr(type, 'DEVICE');
    if (value === undefined || value === '') throw unexpected('GET_ONE_TIME_BOOT', 'boot type', value);
    if (value.toLowerCase() === 'normal') return 'Normal';
    return (
      /^boot[0-9a-f]{4}$/i.test(value) ? `Boot${value.slice(4)}` : value.toUpperCase()
    ) as IloOneTimeBoot;
  }

  async setOneTimeBoot(target: IloOneTimeBootTarget, o: OperationOptions): Promise<void> {
    if (['ISCSI', 'UEFIHTTP', 'UEFISHELL', 'UTILITIES', 'DIAGS'].includes(target)) {
      throw this.lacking(`One-time boot from ${target}`);
    }
    // proliantutils writes the attribute in lower case; iLOs match it case-insensitively.
    await this.write({ tag: 'SET_ONE_TIME_BOOT', attrs: [['value', target]] }, o);
  }

  private async persistentEntries(o: OperationOptions): Promise<PersistentBootEntry[]> {
    const reply = await this.read('GET_PERSISTENT_BOOT', o);
    const holder = reply.payloads.find((p) => p.tag === 'PERSISTENT_BOOT' || p.tag === 'GET_PERSISTENT_BOOT');
    return childrenNamed(holder, 'DEVICE').map((d) => {
      const description = attr(d, 'DESCRIPTION');
      const value = attr(d, 'value') ?? '';
      return description === undefined ? { value } : { value, description };
    });
  }

  async getPersistentBootDevice(o: OperationOptions): Promise<IloBootDevice | null> {
    return firstPersistentDevice(await this.persistentEntries(o));
  }

  async updatePersistentBoot(
    devices: readonly IloPersistentBootTarget[],
    o: OperationOptions,
  ): Promise<void> {
    if (devices.includes('ISCSI')) throw this.lacking('Persistent boot from ISCSI');
    const entries = await this.persistentEntries(o);
    const uefi = entries[0]?.description !== undefined;
    const values = uefi ? uefiBootOrderFor(entries, devices) : [...devices];
    if (values.length === 0) {
      throw new InvalidParameterValue(
        `'${devices[0]}' is not configured as boot device on this system of type ${this.model}.`,
        { fields: [{ field: 'devices', problem: 'no boot option of this kind on the server' }] },
      );
    }
    await this.write(
      { tag: 'SET_PERSISTENT_BOOT', children: values.map((v) => ({ tag: 'DEVICE', attrs: [['VALUE', v]] })) },
      o,
    );
  }

  private async bootMode(command: string, o: OperationOptions): Promise<string> {
    const reply = await this.read(command, o);
    const value = fieldValue(payload(reply, command, command), 'BOOT_MODE')?.toUpperCase();
    if (value === undefined) throw unexpected(command, 'boot mode', value);
    return value;
  }

  async getCurrentBootMode(o: OperationOptions): Promise<IloBootMode> {
    const value = await this.bootMode('GET_CURRENT_BOOT_MODE', o);
    if (value !== 'LEGACY' && value !== 'UEFI') throw unexpected('GET_CURRENT_BOOT_MODE', 'boot mode', value);
    return value;
  }

  async getPendingBootMode(o: OperationOptions): Promise<IloPendingBootMode> {
    const value = await this.bootMode('GET_PENDING_BOOT_MODE', o);
    if (value !== 'LEGACY' && value !== 'UEFI' && value !== 'UNKNOWN')
      throw unexpected('GET_PENDING_BOOT_MODE', 'boot mode', value);
    return value;
  }

  async getSupportedBootMode(o: OperationOptions): Promise<IloSupportedBootMode> {
    const reply = await this.read('GET_SUPPORTED_BOOT_MODE', o);
    const raw = fieldValue(
      payload(reply, 'GET_SUPPORTED_BOOT_MODE', 'GET_SUPPORTED_BOOT_MODE'),
      'SUPPORTED_BOOT_MODE',
    );
    const mapped = SUPPORTED_BOOT_MODES[raw?.toUpperCase() ?? ''];
    if (mapped === undefined) throw unexpected('GET_SUPPORTED_BOOT_MODE', 'value', raw);
    return mapped;
  }

  async setPendingBootMode(mode: IloBootMode, o: OperationOptions): Promise<void> {
    await this.write({ tag: 'SET_PENDING_BOOT_MODE', attrs: [['value', mode]] }, o);
  }

  async getSecureBootMode(): Promise<boolean> {
    throw this.lacking('UEFI secure boot');
  }

  async setSecureBootMode(): Promise<void> {
    throw this.lacking('UEFI secure boot');
  }

  async resetSecureBootKeys(): Promise<void> {
    throw this.lacking('Resetting the secure boot keys');
  }

  async clearSecureBootKeys(): Promise<void> {
    throw this.lacking('Clearing the secure boot keys');
  }

  async resetBiosToDefault(): Promise<void> {
    throw this.lacking('Resetting the BIOS to its defaults');
  }

  async insertVirtualMedia(url: string, device: VirtualMediaDevice, o: OperationOptions): Promise<void> {
    const attrs: [string, string][] = [
      ['DEVICE', device],
      ['IMAGE_URL', url],
    ];
    await this.write({ tag: 'INSERT_VIRTUAL_MEDIA', attrs }, o, 'RIB_INFO');
  }

  async ejectVirtualMedia(device: VirtualMediaDevice, o: OperationOptions): Promise<void> {
    if (!(await this.getVmStatus(device, o)).imageInserted) return;
    await this.write({ tag: 'EJECT_VIRTUAL_MEDIA', attrs: [['DEVICE', device]] }, o, 'RIB_INFO');
  }

  async getVmStatus(device: VirtualMediaDevice, o: OperationOptions): Promise<VmStatus> {
    const reply = await this.read('GET_VM_STATUS', o, 'RIB_INFO', [['DEVICE', device]]);
    const status = payload(reply, 'GET_VM_STATUS', 'GET_VM_STATUS');
    const bootOption = attr(status, 'BOOT_OPTION')?.toUpperCase();
    if (bootOption !== 'BOOT_ONCE' && bootOption !== 'BOOT_ALWAYS' && bootOption !== 'NO_BOOT')
      throw unexpected('GET_VM_STATUS', 'boot option', bootOption);
    const url = attr(status, 'IMAGE_URL') ?? '';
    return {
      device,
      vmApplet: attr(status, 'VM_APPLET')?.toUpperCase() === 'CONNECTED' ? 'CONNECTED' : 'DISCONNECTED',
      bootOption,
      writeProtect: yesNo(attr(status, 'WRITE_PROTECT')),
      imageInserted: yesNo(attr(status, 'IMAGE_INSERTED')),
      imageUrl: url === '' ? null : url,
    };
  }

  async setVmStatus(
    device: VirtualMediaDevice,
    bootOption: VmBootOption,
    writeProtect: boolean,
    o: OperationOptions,
  ): Promise<void> {
    const command: RibclCommand = {
      tag: 'SET_VM_STATUS',
      attrs: [['DEVICE', device]],
      children: [
        { tag: 'VM_BOOT_OPTION', attrs: [['VALUE', bootOption]] },
        { tag: 'VM_WRITE_PROTECT', attrs: [['VALUE', writeProtect ? 'YES' : 'NO']] },
      ],
    };
    await this.write(command, o, 'RIB_INFO');
  }

  async getHostHealthData(o: OperationOptions): Promise<HostHealthData> {
    const reply = await this.read('GET_EMBEDDED_HEALTH', o);
    return parseEmbeddedHealth(payload(reply, 'GET_EMBEDDED_HEALTH', 'GET_EMBEDDED_HEALTH_DATA'));
  }

  async getEssentialProperties(o: OperationOptions) {
    return essentialPropertiesFrom(await this.getHostHealthData(o));
  }

  async getServerCapabilities(o: OperationOptions): Promise<ServerCapabilities> {
    const health = await this.getHostHealthData(o);
    let supported: IloSupportedBootMode;
    try {
      supported = await this.getSupportedBootMode(o);
    } catch (error) {
      // iLO 3 has no boot-mode commands: its servers boot legacy BIOS only.
      if (!(error instanceof IloCommandNotSupported)) throw error;
      supported = 'legacy bios only';
    }
    return {
      serverModel: this.model,
      ...healthCapabilities(health),
      bootModeBios: supported !== 'uefi only',
      bootModeUefi: supported !== 'legacy bios only',
    };
  }

  async getAllLicenses(o: OperationOptions): Promise<IloLicense[]> {
    const reply = await this.read('GET_ALL_LICENSES', o, 'RIB_INFO');
    return childrenNamed(payload(reply, 'GET_ALL_LICENSES', 'GET_ALL_LICENSES'), 'LICENSE').map((l) => ({
      type: fieldValue(l, 'LICENSE_TYPE') ?? '',
      key: fieldValue(l, 'LICENSE_KEY') ?? '',
      installDate: fieldValue(l, 'LICENSE_INSTALL_DATE') ?? '',
      licenseClass: fieldValue(l, 'LICENSE_CLASS') ?? '',
    }));
  }

  async activateLicense(key: string, o: OperationOptions): Promise<void> {
    await this.write(
      { tag: 'LICENSE', children: [{ tag: 'ACTIVATE', attrs: [['KEY', key]] }] },
      o,
      'RIB_INFO',
    );
  }

  async requestIloReset(o: OperationOptions): Promise<void> {
    await this.write({ tag: 'RESET_RIB' }, o, 'RIB_INFO');
  }

  async changePassword(newPassword: string, o: OperationOptions): Promise<void> {
    const command: RibclCommand = {
      tag: 'MOD_USER',
      attrs: [['USER_LOGIN', this.credentials.username]],
      children: [{ tag: 'PASSWORD', attrs: [['VALUE', newPassword]] }],
    };
    await this.write(command, o, 'USER_INFO');
  }
}

/** What a client's first script reads: the product name, and the host power when asked for. */
export interface FirstContact {
  /** The product name. */
  model: string;
  /** Host power, read in the same script. */
  power?: IloPowerStatus;
}

/**
 * Reads the product name over RIBCL (`GET_PRODUCT_NAME`): the first request of every client.
 * With `withPower`, `GET_HOST_POWER_STATUS` rides in the same script (RIBCL runs a script's
 * commands in order), so that a client whose first call asks for power makes one request, not two.
 */
export async function readProductName(
  channel: RibclChannel,
  o: OperationOptions,
  withPower = false,
): Promise<FirstContact> {
  const commands = [{ tag: 'GET_PRODUCT_NAME' }, ...(withPower ? [{ tag: 'GET_HOST_POWER_STATUS' }] : [])];
  const reply = await channel.execute('SERVER_INFO', 'read', commands, { signal: o.signal });
  const name = fieldValue(payload(reply, 'GET_PRODUCT_NAME', 'GET_PRODUCT_NAME'), 'PRODUCT_NAME')?.trim();
  if (name === undefined || name === '') throw unexpected('GET_PRODUCT_NAME', 'product name', name);
  const power = attr(
    reply.payloads.find((p) => p.tag === 'GET_HOST_POWER'),
    'HOST_POWER',
  )?.toUpperCase();
  return power === 'ON' || power === 'OFF' ? { model: name, power } : { model: name };
}
