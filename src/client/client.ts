import type { Logger, OperationOptions } from '../contracts/index.js';
import { IloConnectionError, IloTimeout } from '../errors/index.js';
import { noopLogger, redactingLogger, redactUrl } from '../util/index.js';
import { imageUrl, oneOf, secretText } from './arguments.js';
import { generationOf, type IloBackend } from './backend.js';
import type { EssentialProperties, HostHealthData, ServerCapabilities } from './health-types.js';
import { validateImageUrl } from './image-url.js';
import type { IloOperations, InsertVirtualMediaOptions, ResetIloOptions } from './operations.js';
import { type IloClientOptions, type ResolvedClientOptions, resolveClientOptions } from './options.js';
import { RibclBackend, readProductName } from './ribcl/backend.js';
import { type Credentials, RibclChannel } from './ribcl/channel.js';
import { escapeXmlAttribute } from './ribcl/request.js';
import { RisBackend } from './ris/backend.js';
import { RisChannel } from './ris/channel.js';
import { IloTransport } from './transport/http.js';
import type {
  HostUuid,
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
} from './types.js';
import { parseXmlData } from './xmldata.js';

const DEVICES: readonly VirtualMediaDevice[] = ['FLOPPY', 'CDROM'];
const POWER: readonly IloPowerStatus[] = ['ON', 'OFF'];
const MODES: readonly IloBootMode[] = ['LEGACY', 'UEFI'];
const VM_OPTIONS: readonly VmBootOption[] = ['BOOT_ONCE', 'BOOT_ALWAYS', 'NO_BOOT', 'CONNECT', 'DISCONNECT'];
const PERSISTENT: readonly IloPersistentBootTarget[] = ['NETWORK', 'HDD', 'CDROM', 'ISCSI'];
const ONE_TIME: readonly string[] = [
  'NETWORK',
  'HDD',
  'CDROM',
  'ISCSI',
  'FLOPPY',
  'USB',
  'RBSU',
  'UEFIHTTP',
  'EMB-MENU',
  'EMB-ACU',
  'EMB-HPSUM-AUTO',
  'EMB-DIAGS',
  'UEFISHELL',
  'UTILITIES',
  'DIAGS',
];

/** What the first request told: the model, the backend it picks, and the power read with it. */
interface Detected {
  model: string;
  backend: IloBackend;
  power?: IloPowerStatus;
}

/** Waits for `promise`, or rejects with the signal's reason as soon as it aborts. */
function raced<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

/**
 * A client for one iLO, with proliantutils' `IloClient` operations typed and camel-cased. The
 * first call reads the product name over RIBCL (once, then cached) and picks the protocols:
 * RIBCL for iLO 3 and Gen8, RIS `/rest/v1` for the Gen9 operations proliantutils routes there,
 * RIBCL for iLO 5+ (whose Redfish-only features reject with `NotSupported` until the Redfish
 * backend lands). A first call of `getHostPowerStatus` reads the power state in the same RIBCL
 * script as the product name: one request instead of two when a fleet is polled with new clients.
 * Close it (or `await using` it) to release its connection pool.
 *
 * @example
 * ```ts
 * await using ilo = new IloClient({ address: '10.0.0.5', username: 'Administrator', password, caFile });
 * if ((await ilo.getHostPowerStatus()) === 'OFF') await ilo.setHostPower('ON');
 * await ilo.insertVirtualMedia('http://10.0.0.1/deploy.iso', 'CDROM');
 * await ilo.setVmStatus('CDROM', 'CONNECT');
 * await ilo.setOneTimeBoot('CDROM');
 * ```
 */
export class IloClient implements IloOperations, AsyncDisposable {
  /** The iLO's address. */
  readonly address: string;
  /** The iLO's HTTPS port. */
  readonly port: number;
  private readonly options: ResolvedClientOptions;
  private readonly logger: Logger;
  private readonly credentials: Credentials;
  private readonly transport: IloTransport;
  private readonly ribcl: RibclChannel;
  private readonly retiredSecrets = new Set<string>();
  private detected: Promise<Detected> | undefined;

  constructor(options: IloClientOptions) {
    this.options = resolveClientOptions(options);
    this.address = this.options.address;
    this.port = this.options.port;
    this.credentials = { username: this.options.username, password: this.options.password };
    const secrets = () => this.secrets();
    // Redaction costs a few regular expressions per line: only pay it when lines go somewhere.
    this.logger =
      this.options.logger === noopLogger ? noopLogger : redactingLogger(this.options.logger, secrets);
    this.transport = new IloTransport(this.options, this.logger, secrets);
    this.ribcl = new RibclChannel(this.transport, this.credentials, this.logger, secrets);
    if (this.options.insecure) {
      this.logger.warn(`TLS certificate verification is disabled for iLO ${this.address}:${this.port}`);
    }
  }

  /** Every form a secret could take in a message: as given, XML-escaped, inside Basic auth. */
  private secrets(): string[] {
    const { username, password } = this.credentials;
    const out = [
      password,
      escapeXmlAttribute(password),
      Buffer.from(`${username}:${password}`).toString('base64'),
    ];
    for (const s of this.retiredSecrets) out.push(s, escapeXmlAttribute(s));
    return out;
  }

  private detect(withPower = false): Promise<Detected> {
    if (this.detected === undefined) {
      const detection = readProductName(this.ribcl, {}, withPower).then((first): Detected => {
        const backend = this.backendFor(first.model);
        // Only a RIBCL-routed power read may take the answer that came with the product name.
        const power = backend instanceof RibclBackend ? first.power : undefined;
        return power === undefined ? { model: first.model, backend } : { model: first.model, backend, power };
      });
      this.detected = detection;
      // A failed detection is retried by the next call rather than cached.
      detection.catch(() => {
        if (this.detected === detection) this.detected = undefined;
      });
    }
    return this.detected;
  }

  private backendFor(model: string): IloBackend {
    const generation = generationOf(model);
    this.ribcl.model = model;
    const ribcl = new RibclBackend(this.ribcl, this.credentials, model, generation === 'Gen10-or-later');
    this.logger.debug(`iLO ${this.address}:${this.port} manages a ${model}`, { generation });
    if (generation !== 'Gen9') return ribcl;
    const ris = new RisChannel(this.transport, this.credentials, () => this.secrets());
    return new RisBackend(ris, ribcl, this.credentials, model);
  }

  private async backend(o: OperationOptions | undefined): Promise<IloBackend> {
    return (await raced(this.detect(), o?.signal)).backend;
  }

  /** @inheritDoc IloOperations.getProductName */
  async getProductName(options: OperationOptions = {}): Promise<string> {
    return (await raced(this.detect(), options.signal)).model;
  }

  /** @inheritDoc IloOperations.getHostPowerStatus */
  async getHostPowerStatus(options: OperationOptions = {}): Promise<IloPowerStatus> {
    // The call that starts the detection may use the power state read in the same script.
    const first = this.detected === undefined;
    const detected = await raced(this.detect(first), options.signal);
    if (first && detected.power !== undefined) return detected.power;
    return detected.backend.getHostPowerStatus(options);
  }

  /** @inheritDoc IloOperations.setHostPower */
  async setHostPower(target: IloPowerStatus, options: OperationOptions = {}): Promise<void> {
    const value = oneOf(target, POWER, 'target');
    await (await this.backend(options)).setHostPower(value, options);
  }

  /** @inheritDoc IloOperations.holdPwrBtn */
  async holdPwrBtn(options: OperationOptions = {}): Promise<void> {
    await (await this.backend(options)).holdPwrBtn(options);
  }

  /** @inheritDoc IloOperations.pressPwrBtn */
  async pressPwrBtn(options: OperationOptions = {}): Promise<void> {
    await (await this.backend(options)).pressPwrBtn(options);
  }

  /** @inheritDoc IloOperations.resetServer */
  async resetServer(options: OperationOptions = {}): Promise<void> {
    await (await this.backend(options)).resetServer(options);
  }

  /** @inheritDoc IloOperations.getOneTimeBoot */
  async getOneTimeBoot(options: OperationOptions = {}): Promise<IloOneTimeBoot> {
    return (await this.backend(options)).getOneTimeBoot(options);
  }

  /** @inheritDoc IloOperations.setOneTimeBoot */
  async setOneTimeBoot(target: IloOneTimeBootTarget, options: OperationOptions = {}): Promise<void> {
    const value = /^Boot[0-9A-Fa-f]{4}$/.test(String(target)) ? target : oneOf(target, ONE_TIME, 'target');
    await (await this.backend(options)).setOneTimeBoot(value as IloOneTimeBootTarget, options);
  }

  /** @inheritDoc IloOperations.getPersistentBootDevice */
  async getPersistentBootDevice(options: OperationOptions = {}): Promise<IloBootDevice | null> {
    return (await this.backend(options)).getPersistentBootDevice(options);
  }

  /** @inheritDoc IloOperations.updatePersistentBoot */
  async updatePersistentBoot(devices: readonly IloPersistentBootTarget[], options: OperationOptions = {}) {
    const list = Array.isArray(devices) ? devices : [];
    if (list.length === 0) oneOf(undefined, PERSISTENT, 'devices');
    const checked = list.map((d, i) => oneOf(d, PERSISTENT, `devices[${i}]`));
    await (await this.backend(options)).updatePersistentBoot(checked, options);
  }

  /** @inheritDoc IloOperations.getCurrentBootMode */
  async getCurrentBootMode(options: OperationOptions = {}): Promise<IloBootMode> {
    return (await this.backend(options)).getCurrentBootMode(options);
  }

  /** @inheritDoc IloOperations.getPendingBootMode */
  async getPendingBootMode(options: OperationOptions = {}): Promise<IloPendingBootMode> {
    return (await this.backend(options)).getPendingBootMode(options);
  }

  /** @inheritDoc IloOperations.getSupportedBootMode */
  async getSupportedBootMode(options: OperationOptions = {}): Promise<IloSupportedBootMode> {
    return (await this.backend(options)).getSupportedBootMode(options);
  }

  /** @inheritDoc IloOperations.setPendingBootMode */
  async setPendingBootMode(mode: IloBootMode, options: OperationOptions = {}): Promise<void> {
    const value = oneOf(mode, MODES, 'mode');
    await (await this.backend(options)).setPendingBootMode(value, options);
  }

  /** @inheritDoc IloOperations.getSecureBootMode */
  async getSecureBootMode(options: OperationOptions = {}): Promise<boolean> {
    return (await this.backend(options)).getSecureBootMode(options);
  }

  /** @inheritDoc IloOperations.setSecureBootMode */
  async setSecureBootMode(enable: boolean, options: OperationOptions = {}): Promise<void> {
    if (typeof enable !== 'boolean') oneOf(String(enable), ['true', 'false'], 'enable');
    await (await this.backend(options)).setSecureBootMode(enable, options);
  }

  /** @inheritDoc IloOperations.resetSecureBootKeys */
  async resetSecureBootKeys(options: OperationOptions = {}): Promise<void> {
    await (await this.backend(options)).resetSecureBootKeys(options);
  }

  /** @inheritDoc IloOperations.clearSecureBootKeys */
  async clearSecureBootKeys(options: OperationOptions = {}): Promise<void> {
    await (await this.backend(options)).clearSecureBootKeys(options);
  }

  /** @inheritDoc IloOperations.resetBiosToDefault */
  async resetBiosToDefault(options: OperationOptions = {}): Promise<void> {
    await (await this.backend(options)).resetBiosToDefault(options);
  }

  /** @inheritDoc IloOperations.insertVirtualMedia */
  async insertVirtualMedia(
    url: string,
    device: VirtualMediaDevice = 'FLOPPY',
    options: InsertVirtualMediaOptions = {},
  ): Promise<void> {
    const checked = imageUrl(url);
    const dev = oneOf(device, DEVICES, 'device');
    if (options.validateUrl !== false) {
      await validateImageUrl(checked, {
        dispatcher: this.options.dispatcher,
        signal: options.signal,
        timeoutMs: this.options.timeoutMs,
      });
    }
    this.logger.info(`Inserting ${redactUrl(checked)} into the ${dev} of iLO ${this.address}`);
    await (await this.backend(options)).insertVirtualMedia(checked, dev, options);
  }

  /** @inheritDoc IloOperations.ejectVirtualMedia */
  async ejectVirtualMedia(
    device: VirtualMediaDevice = 'FLOPPY',
    options: OperationOptions = {},
  ): Promise<void> {
    const dev = oneOf(device, DEVICES, 'device');
    await (await this.backend(options)).ejectVirtualMedia(dev, options);
  }

  /** @inheritDoc IloOperations.getVmStatus */
  async getVmStatus(
    device: VirtualMediaDevice = 'FLOPPY',
    options: OperationOptions = {},
  ): Promise<VmStatus> {
    const dev = oneOf(device, DEVICES, 'device');
    return (await this.backend(options)).getVmStatus(dev, options);
  }

  /** @inheritDoc IloOperations.setVmStatus */
  async setVmStatus(
    device: VirtualMediaDevice = 'FLOPPY',
    bootOption: VmBootOption = 'BOOT_ONCE',
    writeProtect = true,
    options: OperationOptions = {},
  ): Promise<void> {
    const dev = oneOf(device, DEVICES, 'device');
    const option = oneOf(bootOption, VM_OPTIONS, 'bootOption');
    if (typeof writeProtect !== 'boolean') oneOf(String(writeProtect), ['true', 'false'], 'writeProtect');
    await (await this.backend(options)).setVmStatus(dev, option, writeProtect, options);
  }

  /** @inheritDoc IloOperations.getEssentialProperties */
  async getEssentialProperties(options: OperationOptions = {}): Promise<EssentialProperties> {
    return (await this.backend(options)).getEssentialProperties(options);
  }

  /** @inheritDoc IloOperations.getServerCapabilities */
  async getServerCapabilities(options: OperationOptions = {}): Promise<ServerCapabilities> {
    return (await this.backend(options)).getServerCapabilities(options);
  }

  /** @inheritDoc IloOperations.getHostHealthData */
  async getHostHealthData(options: OperationOptions = {}): Promise<HostHealthData> {
    return (await this.backend(options)).getHostHealthData(options);
  }

  /** @inheritDoc IloOperations.getAllLicenses */
  async getAllLicenses(options: OperationOptions = {}): Promise<IloLicense[]> {
    const licenses = await (await this.backend(options)).getAllLicenses(options);
    for (const l of licenses) if (l.key !== '') this.retiredSecrets.add(l.key);
    return licenses;
  }

  /** @inheritDoc IloOperations.activateLicense */
  async activateLicense(key: string, options: OperationOptions = {}): Promise<void> {
    this.retiredSecrets.add(secretText(key, 'key'));
    await (await this.backend(options)).activateLicense(key, options);
  }

  /** @inheritDoc IloOperations.resetIlo */
  async resetIlo(options: ResetIloOptions = {}): Promise<void> {
    const { initialDelayMs = 10_000, pollIntervalMs = 5_000, timeoutMs = 120_000 } = options;
    const backend = await this.backend(options);
    const deadline = AbortSignal.timeout(timeoutMs);
    await backend.requestIloReset(options);
    const signal = options.signal === undefined ? deadline : AbortSignal.any([options.signal, deadline]);
    const clock = this.options.clock;
    try {
      await clock.sleep(initialDelayMs, signal);
      for (;;) {
        try {
          await readProductName(this.ribcl, { signal });
          this.logger.info(`iLO ${this.address}:${this.port} is back after its reset`);
          return;
        } catch (error) {
          // Only an iLO that cannot be reached is still resetting; any answer means it is up.
          if (!(error instanceof IloConnectionError || error instanceof IloTimeout) || signal.aborted)
            throw error;
        }
        await clock.sleep(pollIntervalMs, signal);
      }
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason;
      if (deadline.aborted) {
        throw new IloConnectionError(
          `iLO ${this.address}:${this.port} is not up ${timeoutMs} ms after its reset.`,
        );
      }
      throw error;
    }
  }

  /** @inheritDoc IloOperations.resetIloCredential */
  async resetIloCredential(newPassword: string, options: OperationOptions = {}): Promise<void> {
    this.retiredSecrets.add(secretText(newPassword, 'newPassword'));
    await (await this.backend(options)).changePassword(newPassword, options);
    this.retiredSecrets.add(this.credentials.password);
    this.credentials.password = newPassword;
  }

  /** @inheritDoc IloOperations.getHostUuid */
  async getHostUuid(options: OperationOptions = {}): Promise<HostUuid> {
    const res = await this.transport.request({
      method: 'GET',
      path: '/xmldata?item=all',
      idempotent: true,
      operation: 'GET /xmldata',
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
    if (res.status !== 200) throw new IloConnectionError(`iLO answered HTTP ${res.status} to GET /xmldata`);
    return parseXmlData(res.body);
  }

  /** Closes the connection pool; later calls reject. Idempotent. */
  async close(): Promise<void> {
    await this.transport.close();
  }

  /** Same as {@link IloClient.close}, for `await using`. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
