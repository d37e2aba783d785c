/**
 * A sensor reading with its unit (`SPEED VALUE="22" UNIT="Percentage"`).
 *
 * @example
 * ```ts
 * const reading: HealthReading = { value: 22, unit: 'Percentage' };
 * ```
 */
export interface HealthReading {
  /** The number the iLO reported. */
  value: number;
  /** Its unit, for example `'Celsius'`, `'Percentage'`. */
  unit: string;
}

/**
 * A fan (`FANS/FAN`).
 *
 * @example
 * ```ts
 * const fans: FanHealth[] = (await client.getHostHealthData()).fans;
 * ```
 */
export interface FanHealth {
  /** For example `'Fan 1'`. */
  label: string;
  /** For example `'System'`. */
  zone: string;
  /** For example `'OK'`. */
  status: string;
  /** Speed, `null` when the iLO did not give one. */
  speed: HealthReading | null;
}

/**
 * A temperature sensor (`TEMPERATURE/TEMP`); thresholds are `null` when the iLO says `N/A`.
 *
 * @example
 * ```ts
 * const inlet = health.temperatures.find((t) => t.location === 'Ambient');
 * ```
 */
export interface TemperatureHealth {
  /** For example `'01-Inlet Ambient'`. */
  label: string;
  /** For example `'Ambient'`, `'CPU'`. */
  location: string;
  /** For example `'OK'`, `'Not Installed'`. */
  status: string;
  /** Current reading. */
  current: HealthReading | null;
  /** Caution threshold. */
  caution: HealthReading | null;
  /** Critical threshold. */
  critical: HealthReading | null;
}

/**
 * A power supply (`POWER_SUPPLIES/SUPPLY`); fields a generation does not report are absent.
 *
 * @example
 * ```ts
 * const bad = health.power.supplies.filter((s) => s.status !== 'OK' && s.status !== 'Good, In Use');
 * ```
 */
export interface PowerSupplyHealth {
  /** For example `'Power Supply 1'`. */
  label: string;
  /** For example `'Good, In Use'`. */
  status: string;
  /** `'Yes'`/`'No'`, iLO 4 and later. */
  present?: string;
  /** Model number. */
  model?: string;
  /** Serial number. */
  serialNumber?: string;
  /** For example `'1200 Watts'`. */
  capacity?: string;
  /** Firmware version. */
  firmwareVersion?: string;
}

/**
 * Power summary and supplies (`POWER_SUPPLIES`).
 *
 * @example
 * ```ts
 * console.log(health.power.presentPowerReading); // '65 Watts'
 * ```
 */
export interface PowerHealth {
  /** For example `'65 Watts'`. */
  presentPowerReading: string | null;
  /** Power management controller firmware. */
  managementControllerFirmwareVersion: string | null;
  /** For example `'Redundant'`, when reported. */
  redundancy: string | null;
  /** The supplies. */
  supplies: PowerSupplyHealth[];
}

/**
 * A processor (`PROCESSORS/PROCESSOR`).
 *
 * @example
 * ```ts
 * const threads = health.processors.reduce((n, p) => n + (p.threads ?? 0), 0);
 * ```
 */
export interface ProcessorHealth {
  /** For example `'Proc 1'`. */
  label: string;
  /** For example `'Intel(R) Xeon(R) CPU E5-2640 0 @ 2.50GHz'` (iLO 4 and later). */
  name: string | null;
  /** For example `'OK'` (iLO 4 and later). */
  status: string | null;
  /** For example `'2500 MHz'`. */
  speed: string;
  /** For example `'6/6 cores; 12 threads'`. */
  executionTechnology: string;
  /** Cores, parsed from `executionTechnology`. */
  cores: number | null;
  /** Threads, parsed from `executionTechnology`. */
  threads: number | null;
  /** For example `'64-bit Capable'`. */
  memoryTechnology: string;
}

/**
 * A memory socket (`MEMORY_DETAILS` on iLO 4, `MEMORY_COMPONENTS` on iLO 3).
 *
 * @example
 * ```ts
 * const installed = health.memory.modules.filter((m) => m.sizeMb > 0);
 * ```
 */
export interface MemoryModuleHealth {
  /** For example `'CPU_1 socket 3'` or `'PROC 1 DIMM 2D'`. */
  location: string;
  /** Size in MiB, 0 when the socket is empty. */
  sizeMb: number;
  /** For example `'1600 MHz'`, or `null` when empty. */
  speed: string | null;
  /** For example `'Good, In Use'`, `'Not Present'` (iLO 4 and later). */
  status: string | null;
  /** Part number (iLO 4 and later). */
  partNumber: string | null;
}

/**
 * Memory: the total and every socket.
 *
 * @example
 * ```ts
 * console.log(health.memory.totalMb); // 98304
 * ```
 */
export interface MemoryHealth {
  /** Installed memory in MiB, computed as proliantutils does (board totals on iLO 4, DIMM sizes on iLO 3). */
  totalMb: number;
  /** Every socket. */
  modules: MemoryModuleHealth[];
}

/**
 * A physical drive behind a logical drive.
 *
 * @example
 * ```ts
 * const drives = health.storage.flatMap((c) => c.logicalDrives.flatMap((l) => l.physicalDrives));
 * ```
 */
export interface PhysicalDriveHealth {
  /** For example `'Port 1I Box 1 Bay 1'`. */
  label: string;
  /** For example `'OK'`. */
  status: string;
  /** For example `'558 GB'`. */
  capacity: string;
  /** Model. */
  model: string | null;
  /** Serial number. */
  serialNumber: string | null;
}

/**
 * A logical drive (RAID volume).
 *
 * @example
 * ```ts
 * const gb = health.storage[0]?.logicalDrives[0]?.capacityGb;
 * ```
 */
export interface LogicalDriveHealth {
  /** For example `'01'`. */
  label: string;
  /** For example `'OK'`. */
  status: string;
  /** As the iLO wrote it, for example `'558 GB'`. */
  capacity: string;
  /** The capacity in GiB (IEC units, as proliantutils reads them). */
  capacityGb: number;
  /** For example `'RAID 1/RAID 1+0'`. */
  faultTolerance: string | null;
  /** Its physical drives. */
  physicalDrives: PhysicalDriveHealth[];
}

/**
 * A storage controller (`STORAGE/CONTROLLER`).
 *
 * @example
 * ```ts
 * for (const c of health.storage) console.log(c.model, c.status);
 * ```
 */
export interface StorageControllerHealth {
  /** For example `'Controller on System Board'`. */
  label: string;
  /** For example `'OK'`. */
  status: string;
  /** For example `'HP Smart Array P220i Controller'`. */
  model: string | null;
  /** Firmware version. */
  firmwareVersion: string | null;
  /** Serial number. */
  serialNumber: string | null;
  /** Its logical drives. */
  logicalDrives: LogicalDriveHealth[];
}

/**
 * A network port (`NIC_INFORMATION/NIC`, `iLO`, `iSCSI`).
 *
 * @example
 * ```ts
 * const macs = health.nics.filter((n) => n.kind === 'host').map((n) => n.macAddress);
 * ```
 */
export interface NicHealth {
  /** `host` for server ports, `ilo` for the iLO's own port, `iscsi` for iSCSI functions. */
  kind: 'host' | 'ilo' | 'iscsi';
  /** For example `'Port 1'`. */
  port: string;
  /** MAC address, lower case with colons as the iLO writes it. */
  macAddress: string;
  /** For example `'Embedded'`, or `null` on iLO 3. */
  location: string | null;
  /** IP address when the iLO knows it. */
  ipAddress: string | null;
  /** For example `'OK'`, `'Unknown'`. */
  status: string | null;
}

/**
 * A firmware component (`FIRMWARE_INFORMATION/INDEX_n`).
 *
 * @example
 * ```ts
 * const ilo = health.firmware.find((f) => f.name === 'iLO')?.version;
 * ```
 */
export interface FirmwareHealth {
  /** For example `'iLO'`, `'HP ProLiant System ROM'`. */
  name: string;
  /** For example `'2.10 Jan 15 2015'`. */
  version: string;
}

/**
 * Typed `GET_EMBEDDED_HEALTH` data: fans, temperatures, power, processors, memory, storage, NICs,
 * firmware and the at-a-glance summary.
 *
 * @example
 * ```ts
 * const health: HostHealthData = await client.getHostHealthData();
 * ```
 */
export interface HostHealthData {
  /** Fans. */
  fans: FanHealth[];
  /** Temperature sensors. */
  temperatures: TemperatureHealth[];
  /** Power summary and supplies. */
  power: PowerHealth;
  /** Processors. */
  processors: ProcessorHealth[];
  /** Memory. */
  memory: MemoryHealth;
  /** Storage controllers (empty when the iLO reports none, as without a RAID configuration). */
  storage: StorageControllerHealth[];
  /** Network ports. */
  nics: NicHealth[];
  /** Firmware components. */
  firmware: FirmwareHealth[];
  /** `HEALTH_AT_A_GLANCE`: subsystem name (lower case) to its status and redundancy. */
  healthAtAGlance: Record<string, HealthSummary>;
}

/**
 * One `HEALTH_AT_A_GLANCE` entry.
 *
 * @example
 * ```ts
 * if (health.healthAtAGlance.fans?.status !== 'OK') alert();
 * ```
 */
export interface HealthSummary {
  /** For example `'OK'`, `'Degraded'`. */
  status?: string;
  /** For example `'Redundant'`. */
  redundancy?: string;
}

/**
 * Ironic's inspection properties (proliantutils' `get_essential_properties()`), typed.
 *
 * @example
 * ```ts
 * const { properties, macs } = await client.getEssentialProperties();
 * // properties: { memoryMb: 98304, cpus: 24, cpuArch: 'x86_64', localGb: 557 }, macs: { 'Port 1': 'fc:15:…' }
 * ```
 */
export interface EssentialProperties {
  /** Scheduling properties. */
  properties: InspectedProperties;
  /** Embedded host ports to MAC address, for example `{ 'Port 1': '40:a8:f0:1e:86:74' }`. */
  macs: Record<string, string>;
}

/**
 * The scheduling properties of {@link EssentialProperties} (Ironic's `memory_mb`, `cpus`,
 * `cpu_arch`, `local_gb`).
 *
 * @example
 * ```ts
 * const { memoryMb, cpus } = (await client.getEssentialProperties()).properties;
 * ```
 */
export interface InspectedProperties {
  /** Installed memory in MiB. */
  memoryMb: number;
  /** Logical CPUs (threads summed over processors). */
  cpus: number;
  /** Always `'x86_64'` on ProLiant. */
  cpuArch: 'x86_64';
  /** The smallest logical drive in GiB minus 1 (Ironic's convention), 0 without logical drives. */
  localGb: number;
}

/**
 * Hardware capabilities Ironic schedules on (proliantutils' `get_server_capabilities()`), typed.
 * Flags the backend cannot determine are absent rather than false.
 *
 * @example
 * ```ts
 * const caps = await client.getServerCapabilities();
 * if (caps.bootModeUefi && caps.secureBoot) console.log('UEFI secure boot capable');
 * ```
 */
export interface ServerCapabilities {
  /** Server model, for example `'ProLiant DL380 Gen9'`. */
  serverModel: string;
  /** iLO firmware, for example `'2.02 Sep 05 2014'` (RIBCL) or `'iLO 4 v2.20'` (RIS). */
  iloFirmwareVersion?: string;
  /** System ROM, for example `'11/26/2014'` (RIBCL) or `'I36 v1.40 (01/28/2015)'` (RIS). */
  romFirmwareVersion?: string;
  /** Number of GPUs. */
  pciGpuDevices: number;
  /** The fastest NIC's speed, for example `'10Gb'`, read from PCI device names (RIS). */
  nicCapacity?: string;
  /** Whether legacy BIOS boot is supported. */
  bootModeBios: boolean;
  /** Whether UEFI boot is supported. */
  bootModeUefi: boolean;
  /** UEFI secure boot is available. */
  secureBoot?: boolean;
  /** A TPM is present. */
  trustedBoot?: boolean;
  /** CPU virtualisation is enabled. */
  cpuVt?: boolean;
  /** SR-IOV is enabled. */
  sriovEnabled?: boolean;
  /** UEFI iSCSI boot is configurable. */
  iscsiBoot?: boolean;
  /** NVDIMM-N memory is enabled. */
  nvdimmN?: boolean;
  /** A RAID controller is present. */
  hardwareSupportsRaid?: boolean;
  /** At least one rotational disk. */
  hasRotational?: boolean;
  /** At least one SSD. */
  hasSsd?: boolean;
  /** Rotational speeds present, for example `[10000, 15000]`. */
  rotationalDriveRpms?: number[];
  /** RAID levels configured, for example `['1', '1+0']`. */
  logicalRaidLevels?: string[];
}
