/**
 * A processor of a simulated server.
 *
 * @example
 * ```ts
 * const cpu: SimulatedProcessor = { name: 'Intel(R) Xeon(R) CPU E5-2640 0 @ 2.50GHz', speedMhz: 2500, cores: 6, threads: 12 };
 * ```
 */
export interface SimulatedProcessor {
  /** Model name. */
  name: string;
  /** Clock in MHz. */
  speedMhz: number;
  /** Cores. */
  cores: number;
  /** Hardware threads (Ironic's `cpus` sums these). */
  threads: number;
}

/**
 * An installed DIMM.
 *
 * @example
 * ```ts
 * const dimm: SimulatedDimm = { cpu: 1, socket: 1, sizeMb: 16384, speedMhz: 1600 };
 * ```
 */
export interface SimulatedDimm {
  /** Processor (1-based) the socket belongs to. */
  cpu: number;
  /** Socket number on that processor's board (1-based). */
  socket: number;
  /** Size in MiB. */
  sizeMb: number;
  /** Speed in MHz. */
  speedMhz: number;
  /** HPE part number. */
  partNumber?: string;
}

/**
 * A network port of the host.
 *
 * @example
 * ```ts
 * const nic: SimulatedNic = { port: 'Port 1', mac: '52:54:00:00:00:01' };
 * ```
 */
export interface SimulatedNic {
  /** For example `'Port 1'`. */
  port: string;
  /** MAC address, lower case with colons. */
  mac: string;
  /** `'Embedded'` (default) or a slot such as `'Slot 1'`; Ironic inspects embedded ports only. */
  location?: string;
  /** Adapter name, for example `'HP Ethernet 1Gb 4-port 331i Adapter'` (gives `nic_capacity`). */
  adapter?: string;
}

/**
 * A physical disk.
 *
 * @example
 * ```ts
 * const disk: SimulatedDisk = { capacityGb: 558, mediaType: 'HDD', rotationalSpeedRpm: 10000 };
 * ```
 */
export interface SimulatedDisk {
  /** Capacity in GiB. */
  capacityGb: number;
  /** Rotational or solid state. */
  mediaType: 'HDD' | 'SSD';
  /** For rotational disks. */
  rotationalSpeedRpm?: number;
  /** Model. */
  model?: string;
  /** Serial number. */
  serialNumber?: string;
}

/**
 * A logical drive (RAID volume) over some of the disks.
 *
 * @example
 * ```ts
 * const volume: SimulatedLogicalDrive = { capacityGb: 558, raidLevel: '1', disks: [0, 1] };
 * ```
 */
export interface SimulatedLogicalDrive {
  /** Capacity in GiB (Ironic's `local_gb` is the smallest one minus 1). */
  capacityGb: number;
  /** RAID level, for example `'1'`, `'1+0'`, `'5'`. */
  raidLevel: string;
  /** Indexes into {@link SimulatedInventory.disks}. */
  disks: number[];
}

/**
 * A sensor reading of the health data; `null` thresholds read `N/A`.
 *
 * @example
 * ```ts
 * const inlet: SimulatedTemperature = { label: '01-Inlet Ambient', location: 'Ambient', celsius: 19, cautionCelsius: 42, criticalCelsius: 46 };
 * ```
 */
export interface SimulatedTemperature {
  /** Sensor label. */
  label: string;
  /** For example `'Ambient'`, `'CPU'`, `'Memory'`, `'System'`. */
  location: string;
  /** Current reading, or `null` (`N/A`, as an absent sensor reads). */
  celsius: number | null;
  /** Caution threshold, or `null`. */
  cautionCelsius: number | null;
  /** Critical threshold, or `null`. */
  criticalCelsius: number | null;
  /** Default `'OK'`. */
  status?: string;
}

/**
 * A fan of the health data.
 *
 * @example
 * ```ts
 * const fan: SimulatedFan = { label: 'Fan 1', zone: 'System', speedPercent: 22 };
 * ```
 */
export interface SimulatedFan {
  /** Label. */
  label: string;
  /** Zone. */
  zone: string;
  /** Speed in percent. */
  speedPercent: number;
  /** Default `'OK'`. */
  status?: string;
}

/**
 * A power supply of the health data.
 *
 * @example
 * ```ts
 * const psu: SimulatedPowerSupply = { label: 'Power Supply 1', capacityWatts: 800 };
 * ```
 */
export interface SimulatedPowerSupply {
  /** Label. */
  label: string;
  /** Capacity in watts (default 800). */
  capacityWatts?: number;
  /** Default `'Good, In Use'`. */
  status?: string;
}

/**
 * A firmware component of the health data (`FIRMWARE_INFORMATION`).
 *
 * @example
 * ```ts
 * const rom: SimulatedFirmware = { name: 'HP ProLiant System ROM', version: '08/02/2014' };
 * ```
 */
export interface SimulatedFirmware {
  /** For example `'iLO'`, `'HP ProLiant System ROM'`. */
  name: string;
  /** Version text. */
  version: string;
}

/**
 * What a simulated server contains. Every field is optional where a personality provides
 * defaults; MACs and serial numbers default to values unique to each simulated iLO.
 *
 * @example
 * ```ts
 * const inventory: SimulatedInventory = {
 *   processors: [{ name: 'Intel(R) Xeon(R) CPU E5-2650 v3 @ 2.30GHz', speedMhz: 2300, cores: 10, threads: 20 }],
 *   memory: [{ cpu: 1, socket: 1, sizeMb: 32768, speedMhz: 2133 }],
 *   nics: [{ port: 'Port 1', mac: '52:54:00:aa:bb:01' }],
 *   disks: [{ capacityGb: 300, mediaType: 'SSD' }],
 *   logicalDrives: [{ capacityGb: 300, raidLevel: '0', disks: [0] }],
 *   gpus: ['NVIDIA Tesla K80'],
 * };
 * ```
 */
export interface SimulatedInventory {
  /** Processors. */
  processors: SimulatedProcessor[];
  /** Installed DIMMs. */
  memory: SimulatedDimm[];
  /** DIMM sockets per processor (default 12). */
  socketsPerCpu?: number;
  /** Host network ports. */
  nics: SimulatedNic[];
  /** The iLO's own MAC address. */
  iloMac?: string;
  /** Physical disks. */
  disks: SimulatedDisk[];
  /** RAID volumes. */
  logicalDrives: SimulatedLogicalDrive[];
  /** GPU names; each adds a PCI display device and a `GPU n` temperature sensor. */
  gpus: string[];
  /** Fans (default: a few system fans). */
  fans?: SimulatedFan[];
  /** Temperature sensors (default: inlet, one per CPU, one per GPU). */
  temperatures?: SimulatedTemperature[];
  /** Power supplies (default: two of 800 W; blades have none). */
  powerSupplies?: SimulatedPowerSupply[];
  /** Firmware components (default: iLO and system ROM of the personality). */
  firmware?: SimulatedFirmware[];
  /** Present power draw in watts (default 120). */
  powerWatts?: number;
}

/** Deterministic MACs and serials per simulated iLO, so that a fleet has no duplicates. */
export function uniqueIdentity(index: number): { macPrefix: string; serial: string } {
  const hex = index.toString(16).padStart(6, '0');
  return {
    macPrefix: `52:54:${hex.slice(0, 2)}:${hex.slice(2, 4)}:${hex.slice(4, 6)}`,
    serial: `SIM${index.toString().padStart(7, '0')}`,
  };
}
