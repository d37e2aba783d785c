import { InvalidParameterValue } from '../../index.js';
import { type SimulatedInventory, uniqueIdentity } from './inventory.js';

/**
 * Server generations the simulator imitates: a G7 with iLO 3 (boot-mode commands answer
 * `0x003C`), a Gen8 with iLO 4 (RIBCL only, legacy BIOS), a Gen9 with iLO 4 (RIBCL and RIS
 * `/rest/v1`, UEFI and secure boot).
 *
 * @example
 * ```ts
 * const gen: SimulatedGeneration = 'Gen9';
 * ```
 */
export type SimulatedGeneration = 'G7' | 'Gen8' | 'Gen9';

/**
 * A firmware version and its date.
 *
 * @example
 * ```ts
 * const fw: SimulatedFirmwareRelease = { version: '2.30', date: 'Mar 04 2015' };
 * ```
 */
export interface SimulatedFirmwareRelease {
  /** For example `'2.30'`. */
  version: string;
  /** For example `'Mar 04 2015'`. */
  date: string;
}

/**
 * A system ROM version: family, version and date (RIS writes `P89 v2.00 (12/27/2015)`, RIBCL the date).
 *
 * @example
 * ```ts
 * const rom: SimulatedRomRelease = { family: 'P89', version: 'v2.00', date: '12/27/2015' };
 * ```
 */
export interface SimulatedRomRelease extends SimulatedFirmwareRelease {
  /** For example `'P89'`. */
  family: string;
}

/**
 * What differs between the simulated generations.
 *
 * @example
 * ```ts
 * if (node.server.personality.ris) console.log('this iLO answers /rest/v1');
 * ```
 */
export interface Personality {
  /** The generation. */
  generation: SimulatedGeneration;
  /** `iLO 3` or `iLO 4`. */
  iloName: string;
  /** iLO firmware. */
  iloFirmware: SimulatedFirmwareRelease;
  /** System ROM. */
  rom: SimulatedRomRelease;
  /** The `Server` header of HTTP answers. */
  server: string;
  /** `VERSION` of reply documents. */
  ribclVersion: string;
  /** Whether the boot-mode commands exist (iLO 4). */
  bootModeCommands: boolean;
  /** Whether `/rest/v1` answers (Gen9). */
  ris: boolean;
  /** `LEGACY_ONLY` or `LEGACY_UEFI`. */
  supportedBootMode: 'LEGACY_ONLY' | 'LEGACY_UEFI';
  /** Boot mode out of the factory. */
  defaultBootMode: 'LEGACY' | 'UEFI';
  /** The licence type name. */
  license: string;
}

const PERSONALITIES: Record<SimulatedGeneration, Personality> = {
  G7: {
    generation: 'G7',
    iloName: 'iLO 3',
    iloFirmware: { version: '1.82', date: 'Jan 15 2015' },
    rom: { family: 'P67', version: 'v2013.07.01', date: '07/01/2013' },
    server: 'Allegro-Software-RomPager/4.62',
    ribclVersion: '2.22',
    bootModeCommands: false,
    ris: false,
    supportedBootMode: 'LEGACY_ONLY',
    defaultBootMode: 'LEGACY',
    license: 'iLO 3 Advanced',
  },
  Gen8: {
    generation: 'Gen8',
    iloName: 'iLO 4',
    iloFirmware: { version: '2.10', date: 'Jan 15 2015' },
    rom: { family: 'P70', version: 'v2014.08.02', date: '08/02/2014' },
    server: 'HP-iLO-Server/1.30',
    ribclVersion: '2.23',
    bootModeCommands: true,
    ris: false,
    supportedBootMode: 'LEGACY_ONLY',
    defaultBootMode: 'LEGACY',
    license: 'iLO 4 Advanced',
  },
  Gen9: {
    generation: 'Gen9',
    iloName: 'iLO 4',
    iloFirmware: { version: '2.30', date: 'Mar 04 2015' },
    rom: { family: 'P89', version: 'v2.00', date: '12/27/2015' },
    server: 'HP-iLO-Server/1.30',
    ribclVersion: '2.23',
    bootModeCommands: true,
    ris: true,
    supportedBootMode: 'LEGACY_UEFI',
    defaultBootMode: 'UEFI',
    license: 'iLO 4 Advanced',
  },
};

/** The generation a product name names (`… G7`, `… Gen8`, `… Gen9`). */
export function personalityOf(model: string): Personality {
  const generation = /\bG7\b/.test(model)
    ? 'G7'
    : /\bGen8\b/.test(model)
      ? 'Gen8'
      : /\bGen9\b/.test(model)
        ? 'Gen9'
        : undefined;
  if (generation === undefined) {
    throw new InvalidParameterValue(`The simulator has no personality for "${model}".`, {
      fields: [
        {
          field: 'model',
          problem: 'must name a G7, Gen8 or Gen9 ProLiant, for example "ProLiant DL380 Gen9"',
        },
      ],
    });
  }
  return PERSONALITIES[generation];
}

const CPUS: Record<SimulatedGeneration, SimulatedInventory['processors'][number]> = {
  G7: { name: 'Intel(R) Xeon(R) CPU X5650 @ 2.67GHz', speedMhz: 2667, cores: 6, threads: 12 },
  Gen8: { name: 'Intel(R) Xeon(R) CPU E5-2640 0 @ 2.50GHz', speedMhz: 2500, cores: 6, threads: 12 },
  Gen9: { name: 'Intel(R) Xeon(R) CPU E5-2650 v3 @ 2.30GHz', speedMhz: 2300, cores: 10, threads: 20 },
};
const DIMM_MB: Record<SimulatedGeneration, number> = { G7: 8192, Gen8: 16384, Gen9: 32768 };
const DIMM_MHZ: Record<SimulatedGeneration, number> = { G7: 1333, Gen8: 1600, Gen9: 2133 };

/** A typical two-socket server of the generation, with MACs and serials unique to `index`. */
export function defaultInventory(generation: SimulatedGeneration, index: number): SimulatedInventory {
  const { macPrefix, serial } = uniqueIdentity(index);
  const cpu = CPUS[generation];
  return {
    processors: [{ ...cpu }, { ...cpu }],
    memory: [1, 2].flatMap((c) =>
      [1, 3, 5, 7].map((socket) => ({
        cpu: c,
        socket,
        sizeMb: DIMM_MB[generation],
        speedMhz: DIMM_MHZ[generation],
        partNumber: '672612-081',
      })),
    ),
    socketsPerCpu: generation === 'G7' ? 9 : 12,
    nics: [1, 2, 3, 4].map((n) => ({
      port: `Port ${n}`,
      mac: `${macPrefix}:${n.toString(16).padStart(2, '0')}`,
      location: 'Embedded',
      adapter: 'HP Ethernet 1Gb 4-port 331FLR Adapter',
    })),
    iloMac: `${macPrefix}:ff`,
    disks: [0, 1].map((n) => ({
      capacityGb: 558,
      mediaType: 'HDD' as const,
      rotationalSpeedRpm: 10000,
      model: 'EG0600FCVBK',
      serialNumber: `${serial}D${n}`,
    })),
    logicalDrives: [{ capacityGb: 558, raidLevel: '1', disks: [0, 1] }],
    gpus: [],
  };
}
