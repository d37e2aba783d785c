import type { SimulatedInventory } from './inventory.js';
import { MediaSlot } from './media.js';
import type { Personality } from './personalities.js';

/**
 * One entry of the UEFI boot order of a simulated Gen9.
 *
 * @example
 * ```ts
 * const cd: SimulatedUefiBootOption = { id: 'Boot000B', structured: 'CD.Virtual.2.1', description: 'iLO Virtual USB 2 : HP iLO Virtual USB CD/DVD ROM', device: 'CDROM' };
 * ```
 */
export interface SimulatedUefiBootOption {
  /** `BootXXXX`. */
  id: string;
  /** RIS `StructuredBootString`. */
  structured: string;
  /** Description (RIBCL `DESCRIPTION`, RIS `BootString`). */
  description: string;
  /** The device class it boots. */
  device: 'CDROM' | 'NETWORK' | 'HDD' | 'USB' | 'ISCSI';
}

/**
 * What the server did at one boot: where it booted from and in which mode, and the media it
 * read. Deploy tests assert on these.
 *
 * @example
 * ```ts
 * const last = node.server.boots.at(-1); // { source: 'CDROM', bootMode: 'UEFI', mediaUrl: 'http://…/boot.iso', … }
 * ```
 */
export interface SimulatedBoot {
  /** When (`Date.now()`). */
  at: number;
  /** What caused it. */
  cause: 'power-on' | 'reset';
  /** The device it booted from (`'CDROM'`, `'FLOPPY'`, `'NETWORK'`, `'HDD'`, `'USB'`, `'ISCSI'`, `'RBSU'`…). */
  source: string;
  /** Boot mode of this boot. */
  bootMode: 'LEGACY' | 'UEFI';
  /** Whether secure boot was on for this boot. */
  secureBoot: boolean;
  /** The image URL of the virtual media it booted from, if it booted from virtual media. */
  mediaUrl: string | null;
}

/**
 * A licence installed on the simulated iLO.
 *
 * @example
 * ```ts
 * expect(node.server.licenses[0]?.key).toBe('AAAAA-BBBBB-CCCCC-DDDDD-EEEEE');
 * ```
 */
export interface SimulatedLicense {
  /** For example `'iLO 4 Advanced'`. */
  type: string;
  /** The key. */
  key: string;
  /** When it was installed. */
  installDate: string;
  /** For example `'FQL'`. */
  licenseClass: string;
}

/**
 * A user account of the simulated iLO.
 *
 * @example
 * ```ts
 * node.server.users.push({ login: 'operator', name: 'Operator', password: 'operator-pw' });
 * ```
 */
export interface SimulatedUser {
  /** Login name (`USER_LOGIN`). */
  login: string;
  /** Display name (`USER_NAME`). */
  name: string;
  /** Password. */
  password: string;
}

const LICENSE_KEY = /^[A-Z0-9]{5}(-[A-Z0-9]{5}){4}$/;

function defaultUefiOrder(inventory: SimulatedInventory): SimulatedUefiBootOption[] {
  const nic = inventory.nics[0]?.adapter ?? 'HP Ethernet 1Gb 4-port 331FLR Adapter';
  return [
    {
      id: 'Boot0007',
      structured: 'HD.Emb.1.2',
      description:
        'Embedded SAS : Smart Array P440ar Controller - 558.88 GiB, RAID 1 Logical Drive(Target:0, Lun:0)',
      device: 'HDD',
    },
    {
      id: 'Boot0009',
      structured: 'NIC.FlexLOM.1.1.IPv4',
      description: `Embedded FlexibleLOM 1 Port 1 : ${nic} - NIC (PXE IPv4)`,
      device: 'NETWORK',
    },
    {
      id: 'Boot0008',
      structured: 'NIC.FlexLOM.1.1.IPv6',
      description: `Embedded FlexibleLOM 1 Port 1 : ${nic} - NIC (PXE IPv6)`,
      device: 'NETWORK',
    },
    {
      id: 'Boot000A',
      structured: 'Generic.USB.1.1',
      description: 'iLO Virtual USB 1 : HP iLO Virtual USB Key',
      device: 'USB',
    },
    {
      id: 'Boot000B',
      structured: 'CD.Virtual.2.1',
      description: 'iLO Virtual USB 2 : HP iLO Virtual USB CD/DVD ROM',
      device: 'CDROM',
    },
  ];
}

/** BIOS settings of a Gen9 out of the factory (the RIS attributes proliantutils reads). */
function defaultBios(bootMode: 'LEGACY' | 'UEFI'): Record<string, unknown> {
  return {
    BootMode: bootMode === 'UEFI' ? 'Uefi' : 'LegacyBios',
    UefiOptimizedBoot: bootMode === 'UEFI' ? 'Enabled' : 'Disabled',
    CustomPostMessage: '',
    ProcVirtualization: 'Enabled',
    Sriov: 'Enabled',
    TpmState: 'PresentEnabled',
    NvDimmNMemFunctionality: 'Disabled',
    PowerProfile: 'BalancedPowerPerf',
    AdminName: '',
    UefiShellStartupUrl: '',
  };
}

/**
 * The state of one simulated server and its iLO: power, boot order and one-time boot, boot mode
 * (pending → current at a boot), secure boot and its keys, BIOS settings, virtual media, licences,
 * users. Protocol handlers change it only through these methods, so RIBCL and RIS always agree.
 * Tests may read and change it directly to set up a scenario.
 *
 * @example
 * ```ts
 * node.server.power = 'OFF';
 * node.server.oneTimeBoot = 'CDROM';
 * ```
 */
export class SimulatedServer {
  /** Host power. */
  power: 'ON' | 'OFF' = 'ON';
  /** One-time boot target, `'Normal'` when none; cleared by the next boot. */
  oneTimeBoot = 'Normal';
  /** A continuous boot override set through RIS (`BootSourceOverrideEnabled: Continuous`). */
  continuousOverride: string | null = null;
  /** Legacy BIOS boot order. */
  legacyBootOrder: string[] = ['CDROM', 'FLOPPY', 'USB', 'HDD', 'NETWORK'];
  /** UEFI boot order. */
  uefiBootOrder: SimulatedUefiBootOption[];
  /** BIOS settings in effect (`BootMode` among them). */
  bios: Record<string, unknown>;
  /** BIOS settings applied at the next boot, or `null`. */
  pendingBios: Record<string, unknown> | null = null;
  /** Factory BIOS settings (`BaseConfigs` `default`). */
  readonly defaultBios: Record<string, unknown>;
  /** Secure boot in effect for the current boot. */
  secureBootCurrent = false;
  /** Secure boot requested for the next boot. */
  secureBootEnable = false;
  /** State of the secure boot key databases. */
  secureBootKeys: 'default' | 'cleared' = 'default';
  /** The virtual floppy. */
  readonly floppy: MediaSlot;
  /** The virtual CD/DVD. */
  readonly cdrom: MediaSlot;
  /** Installed licences. */
  licenses: SimulatedLicense[];
  /** iLO user accounts. */
  users: SimulatedUser[];
  /** Every boot, oldest first. */
  readonly boots: SimulatedBoot[] = [];
  /** Shortest password `MOD_USER` accepts (iLO 4 default: 8). */
  minPasswordLength = 8;
  /**
   * Answer `UNKNOWN` to RIBCL `GET_PENDING_BOOT_MODE` until a boot mode is set, as some iLO 4
   * firmware does (Ironic then requests UEFI).
   */
  pendingBootModeUnknown = false;

  /** What the generation can do. */
  readonly personality: Personality;
  /** The model, for example `ProLiant DL380 Gen9`. */
  readonly productName: string;
  /** What the server contains. */
  readonly inventory: SimulatedInventory;
  /** Serial number. */
  readonly serialNumber: string;
  /** The host's UUID (`/xmldata` `cUUID`, RIS `UUID`). */
  readonly uuid: string;

  private readonly bootListeners = new Set<(boot: SimulatedBoot) => void>();
  private readonly powerOffListeners = new Set<() => void>();

  /** @internal Servers are made by `IloSimulator`. */
  constructor(
    identity: {
      personality: Personality;
      productName: string;
      inventory: SimulatedInventory;
      serialNumber: string;
      uuid: string;
    },
    admin: { username: string; password: string },
    fetchMedia: MediaSlot['fetcher'],
  ) {
    this.personality = identity.personality;
    this.productName = identity.productName;
    this.inventory = identity.inventory;
    this.serialNumber = identity.serialNumber;
    this.uuid = identity.uuid;
    const personality = identity.personality;
    const inventory = identity.inventory;
    this.defaultBios = defaultBios(personality.defaultBootMode);
    this.bios = { ...this.defaultBios };
    this.uefiBootOrder = defaultUefiOrder(inventory);
    this.floppy = new MediaSlot('FLOPPY', fetchMedia);
    this.cdrom = new MediaSlot('CDROM', fetchMedia);
    this.licenses = [
      {
        type: personality.license,
        key: 'ABCDE-FGHIJ-KLMNO-PQRST-UVXYZ',
        installDate: 'Thu Mar  5 09:42:28 2015',
        licenseClass: 'FQL',
      },
    ];
    this.users = [{ login: admin.username, name: admin.username, password: admin.password }];
  }

  /** The virtual media slot of `device`. */
  media(device: 'FLOPPY' | 'CDROM'): MediaSlot {
    return device === 'FLOPPY' ? this.floppy : this.cdrom;
  }

  /** The boot mode in effect. */
  get bootMode(): 'LEGACY' | 'UEFI' {
    return this.bios.BootMode === 'Uefi' ? 'UEFI' : 'LEGACY';
  }

  /** The boot mode the next boot will use. */
  get pendingBootMode(): 'LEGACY' | 'UEFI' {
    const pending = this.pendingBios?.BootMode ?? this.bios.BootMode;
    return pending === 'Uefi' ? 'UEFI' : 'LEGACY';
  }

  /** Requests a boot mode for the next boot. */
  setPendingBootMode(mode: 'LEGACY' | 'UEFI'): void {
    this.changeBios(
      mode === 'UEFI' ? { BootMode: 'Uefi', UefiOptimizedBoot: 'Enabled' } : { BootMode: 'LegacyBios' },
    );
  }

  /** Queues BIOS changes for the next boot. */
  changeBios(settings: Record<string, unknown>): void {
    this.pendingBios = { ...(this.pendingBios ?? {}), ...settings };
  }

  /** The user whose credentials these are, if they are right. */
  authenticate(login: string, password: string): SimulatedUser | undefined {
    return this.users.find((u) => u.login === login && u.password === password);
  }

  /** Installs a licence; false when the key is malformed (`License key error`). */
  activateLicense(key: string): boolean {
    if (!LICENSE_KEY.test(key)) return false;
    this.licenses = [
      { type: this.personality.license, key, installDate: new Date().toUTCString(), licenseClass: 'FQL' },
    ];
    return true;
  }

  /** Powers on (a boot), unless already on. Returns false when it was on. */
  powerOn(): boolean {
    if (this.power === 'ON') return false;
    this.power = 'ON';
    this.boot('power-on');
    return true;
  }

  /** Forces power off. Returns false when it was off. */
  powerOff(): boolean {
    if (this.power === 'OFF') return false;
    this.power = 'OFF';
    for (const listener of [...this.powerOffListeners]) notify(listener, undefined);
    return true;
  }

  /**
   * Calls `listener` after every boot (power on, reset), with the boot just recorded in
   * {@link SimulatedServer.boots}: what a test double of the deploy ramdisk waits for. A
   * listener that throws is ignored. Returns a function that unsubscribes.
   *
   * @example
   * ```ts
   * const off = node.server.onBoot((boot) => {
   *   if (boot.source === 'CDROM' && boot.mediaUrl === deployIsoUrl) agent.boot(node);
   * });
   * // …
   * off();
   * ```
   */
  onBoot(listener: (boot: SimulatedBoot) => void): () => void {
    this.bootListeners.add(listener);
    return () => this.bootListeners.delete(listener);
  }

  /**
   * Calls `listener` whenever the host loses power (a forced power off, the power button, or a
   * power off asked of the operating system). A listener that throws is ignored. Returns a
   * function that unsubscribes.
   *
   * @example
   * ```ts
   * const off = node.server.onPowerOff(() => agent.stop());
   * ```
   */
  onPowerOff(listener: () => void): () => void {
    this.powerOffListeners.add(listener);
    return () => this.powerOffListeners.delete(listener);
  }

  /** A momentary power button press: a graceful shutdown when on, power on when off. */
  pressPowerButton(): void {
    if (this.power === 'ON') this.powerOff();
    else this.powerOn();
  }

  /** A warm reset: a boot when on; nothing when off. Returns false when it was off. */
  reset(): boolean {
    if (this.power === 'OFF') return false;
    this.boot('reset');
    return true;
  }

  /** Where the next boot goes: one-time target, then virtual media set to boot, then the boot order. */
  private bootSource(): { source: string; media: MediaSlot | null } {
    if (this.oneTimeBoot !== 'Normal') {
      const uefi = this.uefiBootOrder.find((o) => o.id.toLowerCase() === this.oneTimeBoot.toLowerCase());
      const source = uefi?.device ?? this.oneTimeBoot;
      return { source, media: this.mediaFor(source) };
    }
    for (const slot of [this.cdrom, this.floppy]) {
      if (slot.inserted && (slot.bootOption === 'BOOT_ONCE' || slot.bootOption === 'BOOT_ALWAYS')) {
        return { source: slot.device, media: slot };
      }
    }
    if (this.continuousOverride !== null) {
      return { source: this.continuousOverride, media: this.mediaFor(this.continuousOverride) };
    }
    const first = this.bootMode === 'UEFI' ? this.uefiBootOrder[0]?.device : this.legacyBootOrder[0];
    const source = first ?? 'HDD';
    return { source, media: this.mediaFor(source) };
  }

  private mediaFor(source: string): MediaSlot | null {
    const slot = source === 'CDROM' ? this.cdrom : source === 'FLOPPY' ? this.floppy : null;
    return slot?.inserted === true ? slot : null;
  }

  /** What happens at every boot: pending settings take effect, one-time choices are consumed. */
  private boot(cause: SimulatedBoot['cause']): void {
    if (this.pendingBios !== null) {
      this.bios = { ...this.bios, ...this.pendingBios };
      this.pendingBios = null;
    }
    // Without keys (setup mode) UEFI does not enforce secure boot.
    this.secureBootCurrent =
      this.secureBootEnable && this.bootMode === 'UEFI' && this.secureBootKeys === 'default';
    const { source, media } = this.bootSource();
    this.boots.push({
      at: Date.now(),
      cause,
      source,
      bootMode: this.bootMode,
      secureBoot: this.secureBootCurrent,
      mediaUrl: media?.imageUrl ?? null,
    });
    this.oneTimeBoot = 'Normal';
    for (const slot of [this.cdrom, this.floppy]) slot.afterBoot(slot === media);
    const boot = this.boots.at(-1);
    if (boot !== undefined) for (const listener of [...this.bootListeners]) notify(listener, boot);
  }
}

/** A listener's failure must not break the iLO command that caused the event. */
function notify<T>(listener: (value: T) => void, value: T): void {
  try {
    listener(value);
  } catch {
    // Ignored on purpose: see onBoot / onPowerOff.
  }
}
