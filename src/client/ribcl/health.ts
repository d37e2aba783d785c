import type {
  FanHealth,
  FirmwareHealth,
  HealthReading,
  HealthSummary,
  HostHealthData,
  LogicalDriveHealth,
  MemoryHealth,
  MemoryModuleHealth,
  NicHealth,
  PowerHealth,
  ProcessorHealth,
  StorageControllerHealth,
  TemperatureHealth,
} from '../health-types.js';
import { attr, child, childrenNamed, fieldValue, type XmlElement } from '../xml.js';

const UNITS: Record<string, number> = { '': 1, K: 2 ** 10, M: 2 ** 20, G: 2 ** 30, T: 2 ** 40, P: 2 ** 50 };

/**
 * Bytes in a size such as `"16 GB"`, `"4096 MB"`, `"279.367 GB"`, in IEC units (proliantutils reads
 * them with oslo's `string_to_bytes`, where GB is 2^30); `undefined` for `N/A`, `Not Installed`…
 */
export function sizeToBytes(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([KMGTP]?)i?B\s*$/i.exec(text);
  if (m === null) return undefined;
  // oslo rounds up to a whole byte.
  return Math.ceil(Number(m[1]) * (UNITS[m[2]!.toUpperCase()] ?? 1));
}

function reading(element: XmlElement | undefined): HealthReading | null {
  const value = attr(element, 'VALUE');
  const unit = attr(element, 'UNIT');
  if (value === undefined || unit === undefined || !/^-?\d+(\.\d+)?$/.test(value.trim())) return null;
  return { value: Number(value), unit };
}

function text(element: XmlElement, tag: string): string {
  return fieldValue(element, tag) ?? '';
}

function optional(element: XmlElement, tag: string): string | null {
  const v = fieldValue(element, tag);
  return v === undefined || v === 'N/A' ? null : v;
}

function fans(data: XmlElement): FanHealth[] {
  return childrenNamed(child(data, 'FANS'), 'FAN').map((f) => ({
    label: text(f, 'LABEL'),
    zone: text(f, 'ZONE'),
    status: text(f, 'STATUS'),
    speed: reading(child(f, 'SPEED')),
  }));
}

function temperatures(data: XmlElement): TemperatureHealth[] {
  return childrenNamed(child(data, 'TEMPERATURE'), 'TEMP').map((t) => ({
    label: text(t, 'LABEL'),
    location: text(t, 'LOCATION'),
    status: text(t, 'STATUS'),
    current: reading(child(t, 'CURRENTREADING')),
    caution: reading(child(t, 'CAUTION')),
    critical: reading(child(t, 'CRITICAL')),
  }));
}

function power(data: XmlElement): PowerHealth {
  const supplies = child(data, 'POWER_SUPPLIES');
  const summary = child(supplies, 'POWER_SUPPLY_SUMMARY');
  const read = (tag: string): string | null => (summary === undefined ? null : optional(summary, tag));
  return {
    presentPowerReading: read('PRESENT_POWER_READING'),
    managementControllerFirmwareVersion: read('POWER_MANAGEMENT_CONTROLLER_FIRMWARE_VERSION'),
    redundancy: read('POWER_SYSTEM_REDUNDANCY'),
    supplies: childrenNamed(supplies, 'SUPPLY').map((s) => {
      const supply: PowerHealth['supplies'][number] = { label: text(s, 'LABEL'), status: text(s, 'STATUS') };
      const extra = {
        present: 'PRESENT',
        model: 'MODEL',
        serialNumber: 'SERIAL_NUMBER',
        capacity: 'CAPACITY',
        firmwareVersion: 'FIRMWARE_VERSION',
      } as const;
      for (const [key, tag] of Object.entries(extra)) {
        const v = fieldValue(s, tag);
        if (v !== undefined) supply[key as keyof typeof extra] = v;
      }
      return supply;
    }),
  };
}

function processors(data: XmlElement): ProcessorHealth[] {
  return childrenNamed(child(data, 'PROCESSORS'), 'PROCESSOR').map((p) => {
    const execution = text(p, 'EXECUTION_TECHNOLOGY');
    const cores = /(\d+)\s*\/\s*\d+\s*cores?/i.exec(execution) ?? /(\d+)\s*cores?/i.exec(execution);
    const threads = /(\d+)\s*threads?/i.exec(execution);
    return {
      label: text(p, 'LABEL'),
      name: fieldValue(p, 'NAME')?.trim() ?? null,
      status: fieldValue(p, 'STATUS') ?? null,
      speed: text(p, 'SPEED'),
      executionTechnology: execution,
      cores: cores === null ? null : Number(cores[1]),
      threads: threads === null ? null : Number(threads[1]),
      memoryTechnology: text(p, 'MEMORY_TECHNOLOGY'),
    };
  });
}

const mib = (size: string | undefined): number => Math.floor((sizeToBytes(size ?? '') ?? 0) / 2 ** 20);

function memory(data: XmlElement): MemoryHealth {
  const mem = child(data, 'MEMORY');
  const components = child(mem, 'MEMORY_COMPONENTS');
  if (components !== undefined) {
    // iLO 3: one MEMORY_COMPONENT per DIMM; the total is their sum.
    const modules: MemoryModuleHealth[] = childrenNamed(components, 'MEMORY_COMPONENT').map((m) => ({
      location: text(m, 'MEMORY_LOCATION').trim(),
      sizeMb: mib(fieldValue(m, 'MEMORY_SIZE')),
      speed: fieldValue(m, 'MEMORY_SIZE') === 'Not Installed' ? null : optional(m, 'MEMORY_SPEED'),
      status: null,
      partNumber: null,
    }));
    return { totalMb: modules.reduce((n, m) => n + m.sizeMb, 0), modules };
  }
  // iLO 4 and later: per-board totals in MEMORY_DETAILS_SUMMARY, one element per socket in
  // MEMORY_DETAILS (repeated CPU_n / Memory_Board_n elements).
  const summary = child(mem, 'MEMORY_DETAILS_SUMMARY')?.children ?? [];
  const modules = (child(mem, 'MEMORY_DETAILS')?.children ?? []).map((m) => ({
    location: `${m.tag} socket ${text(m, 'SOCKET')}`,
    sizeMb: mib(fieldValue(m, 'SIZE')),
    speed: optional(m, 'FREQUENCY'),
    status: optional(m, 'STATUS'),
    partNumber: attr(child(m, 'PART'), 'NUMBER') ?? null,
  }));
  const fromSummary = summary.reduce((n, board) => n + mib(fieldValue(board, 'TOTAL_MEMORY_SIZE')), 0);
  return {
    totalMb: summary.length > 0 ? fromSummary : modules.reduce((n, m) => n + m.sizeMb, 0),
    modules: modules.map((m) => ({ ...m, partNumber: m.partNumber === 'N/A' ? null : m.partNumber })),
  };
}

function storage(data: XmlElement): StorageControllerHealth[] {
  return childrenNamed(data, 'STORAGE').flatMap((s) =>
    childrenNamed(s, 'CONTROLLER').map((c) => ({
      label: text(c, 'LABEL'),
      status: text(c, 'STATUS'),
      model: optional(c, 'MODEL'),
      firmwareVersion: optional(c, 'FW_VERSION'),
      serialNumber: optional(c, 'SERIAL_NUMBER'),
      logicalDrives: childrenNamed(c, 'LOGICAL_DRIVE').map(
        (l): LogicalDriveHealth => ({
          label: text(l, 'LABEL'),
          status: text(l, 'STATUS'),
          capacity: text(l, 'CAPACITY'),
          capacityGb: Math.floor((sizeToBytes(text(l, 'CAPACITY')) ?? 0) / 2 ** 30),
          faultTolerance: optional(l, 'FAULT_TOLERANCE'),
          physicalDrives: childrenNamed(l, 'PHYSICAL_DRIVE').map((p) => ({
            label: text(p, 'LABEL'),
            status: text(p, 'STATUS'),
            capacity: text(p, 'CAPACITY'),
            model: optional(p, 'MODEL'),
            serialNumber: optional(p, 'SERIAL_NUMBER'),
          })),
        }),
      ),
    })),
  );
}

const NIC_KINDS: Record<string, NicHealth['kind']> = { NIC: 'host', iLO: 'ilo', iSCSI: 'iscsi' };

function nics(data: XmlElement): NicHealth[] {
  // iLO 3 firmware spells the section NIC_INFOMATION.
  const section = child(data, 'NIC_INFORMATION') ?? child(data, 'NIC_INFOMATION');
  return (section?.children ?? [])
    .filter((n) => NIC_KINDS[n.tag] !== undefined)
    .map((n) => ({
      kind: NIC_KINDS[n.tag]!,
      port: text(n, 'NETWORK_PORT'),
      macAddress: text(n, 'MAC_ADDRESS'),
      location: optional(n, 'LOCATION'),
      ipAddress: optional(n, 'IP_ADDRESS'),
      status: optional(n, 'STATUS'),
    }));
}

function firmware(data: XmlElement): FirmwareHealth[] {
  return (child(data, 'FIRMWARE_INFORMATION')?.children ?? []).map((f) => ({
    name: text(f, 'FIRMWARE_NAME'),
    version: text(f, 'FIRMWARE_VERSION'),
  }));
}

function atAGlance(data: XmlElement): Record<string, HealthSummary> {
  const out: Record<string, HealthSummary> = {};
  for (const entry of child(data, 'HEALTH_AT_A_GLANCE')?.children ?? []) {
    const key = entry.tag.toLowerCase();
    const summary = out[key] ?? {};
    out[key] = summary;
    const status = attr(entry, 'STATUS');
    const redundancy = attr(entry, 'REDUNDANCY');
    if (status !== undefined) summary.status = status;
    if (redundancy !== undefined) summary.redundancy = redundancy;
  }
  return out;
}

/** Types a `GET_EMBEDDED_HEALTH_DATA` element of any iLO generation. */
export function parseEmbeddedHealth(data: XmlElement): HostHealthData {
  return {
    fans: fans(data),
    temperatures: temperatures(data),
    power: power(data),
    processors: processors(data),
    memory: memory(data),
    storage: storage(data),
    nics: nics(data),
    firmware: firmware(data),
    healthAtAGlance: atAGlance(data),
  };
}
