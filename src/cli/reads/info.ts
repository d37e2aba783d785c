import {
  type FirmwareHealth,
  type HealthSummary,
  type IloBootDevice,
  type IloBootMode,
  IloCommandNotSupported,
  type IloOneTimeBoot,
  type IloPendingBootMode,
  type IloPowerStatus,
  type VmStatus,
} from '../../index.js';
import { defineRead, onOff } from './read.js';
import { describeMedia, shownStatus } from './vmedia.js';

/**
 * What `ironic-ilo info` reports, in the iLO's own words (proliantutils' values, as
 * `IloOperations` returns them). A field the hardware lacks is `null` and named in `notSupported`.
 */
export interface IloInfo {
  /** Server model, for example `ProLiant DL380 Gen9`. */
  productName: string;
  /** Firmware components from the embedded health (iLO, system ROM, …). */
  firmware: FirmwareHealth[];
  /** Installed licence types (never the keys). */
  licenses: string[] | null;
  /** Host power. */
  powerStatus: IloPowerStatus;
  /** The boot mode the server booted in. */
  currentBootMode: IloBootMode | null;
  /** The boot mode of the next reset. */
  pendingBootMode: IloPendingBootMode | null;
  /** Whether UEFI secure boot is on. */
  secureBootMode: boolean | null;
  /** The one-time boot target, `Normal` when none. */
  oneTimeBoot: IloOneTimeBoot;
  /** The first persistent boot device, `null` when it cannot be classified. */
  persistentBootDevice: IloBootDevice | null;
  /** Virtual floppy and CD (temp-URL signatures hidden). */
  virtualMedia: { floppy: VmStatus; cdrom: VmStatus };
  /** The embedded health's at-a-glance summary, by subsystem. */
  health: Record<string, HealthSummary>;
  /** Fields this iLO has no command for (an iLO 3 has no boot-mode commands; a Gen8 no secure boot). */
  notSupported: string[];
}

type Settled<T extends readonly unknown[]> = { -readonly [K in keyof T]: Awaited<T[K]> };

/**
 * Waits for every read (the client bounds the requests in flight per iLO) and throws the first
 * failure only once all have settled, so that none is still running when the client closes.
 */
async function all<T extends readonly unknown[] | []>(reads: T): Promise<Settled<T>> {
  const settled: ReadonlyArray<PromiseSettledResult<unknown>> =
    await Promise.allSettled<readonly unknown[]>(reads);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<unknown>).value) as Settled<T>;
}

function bootModeText(info: IloInfo): string {
  if (info.currentBootMode === null) return 'not supported';
  const pending = info.pendingBootMode === null ? '' : ` (pending ${info.pendingBootMode})`;
  return `${info.currentBootMode}${pending}`;
}

function healthText(health: Record<string, HealthSummary>): string {
  const bad = Object.entries(health).filter(([, h]) => h.status !== undefined && h.status !== 'OK');
  if (bad.length > 0) return bad.map(([k, h]) => `${k} ${h.status}`).join(', ');
  return Object.keys(health).length === 0 ? 'unknown' : 'OK';
}

const firmwareText = (firmware: readonly FirmwareHealth[]) =>
  firmware.map((f) => `${f.name} ${f.version}`).join('; ') || 'unknown';

const iloFirmware = (info: IloInfo) =>
  info.firmware.find((f) => /^iLO\b/i.test(f.name))?.version ?? 'unknown';

const nextBoot = (info: IloInfo) =>
  info.oneTimeBoot === 'Normal'
    ? `${info.persistentBootDevice ?? 'unknown'} (persistent)`
    : `${info.oneTimeBoot} (once)`;

/** `info`: product, firmware, licence, power, boot mode, secure boot, boot device and virtual media. */
export const info = defineRead({
  words: ['info'],
  description:
    'one table: product, firmware, licence, power, current/pending boot mode, secure boot, ' +
    'one-time and persistent boot device, virtual floppy and CD, health',
  example: 'info',
  async read(node): Promise<IloInfo> {
    const ilo = await node.client();
    const call = node.call;
    const productName = await ilo.getProductName(call);
    const notSupported: string[] = [];
    const optional = <T>(name: string, read: Promise<T>): Promise<T | null> =>
      read.catch((error: unknown) => {
        if (!(error instanceof IloCommandNotSupported)) throw error;
        notSupported.push(name);
        return null;
      });
    const [power, health, licenses, current, pending, secure, once, persistent, floppy, cdrom] = await all([
      ilo.getHostPowerStatus(call),
      ilo.getHostHealthData(call),
      optional('licenses', ilo.getAllLicenses(call)),
      optional('currentBootMode', ilo.getCurrentBootMode(call)),
      optional('pendingBootMode', ilo.getPendingBootMode(call)),
      optional('secureBootMode', ilo.getSecureBootMode(call)),
      ilo.getOneTimeBoot(call),
      ilo.getPersistentBootDevice(call),
      ilo.getVmStatus('FLOPPY', call),
      ilo.getVmStatus('CDROM', call),
    ]);
    return {
      productName,
      firmware: health.firmware,
      licenses: licenses?.map((l) => l.type) ?? null,
      powerStatus: power,
      currentBootMode: current,
      pendingBootMode: pending,
      secureBootMode: secure,
      oneTimeBoot: once,
      persistentBootDevice: persistent,
      virtualMedia: { floppy: shownStatus(floppy), cdrom: shownStatus(cdrom) },
      health: health.healthAtAGlance,
      notSupported: notSupported.sort(),
    };
  },
  text: (i) => [
    ['product', i.productName],
    ['firmware', firmwareText(i.firmware)],
    ['licence', i.licenses === null ? 'not supported' : i.licenses.join(', ') || 'none'],
    ['power', i.powerStatus],
    ['boot mode', bootModeText(i)],
    ['secure boot', onOff(i.secureBootMode)],
    ['one-time boot', i.oneTimeBoot === 'Normal' ? 'none' : i.oneTimeBoot],
    ['persistent boot', i.persistentBootDevice ?? 'unknown'],
    ['floppy', describeMedia(i.virtualMedia.floppy)],
    ['cdrom', describeMedia(i.virtualMedia.cdrom)],
    ['health', healthText(i.health)],
  ],
  columns: [
    { header: 'PRODUCT', cell: (i) => i.productName },
    { header: 'ILO FW', cell: iloFirmware },
    { header: 'POWER', cell: (i) => i.powerStatus },
    { header: 'BOOT MODE', cell: (i) => i.currentBootMode ?? '-' },
    { header: 'SECURE BOOT', cell: (i) => (i.secureBootMode === null ? '-' : onOff(i.secureBootMode)) },
    { header: 'NEXT BOOT', cell: nextBoot },
    { header: 'CDROM', cell: (i) => describeMedia(i.virtualMedia.cdrom) },
  ],
});
