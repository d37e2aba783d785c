import type { SimulatedInventory, SimulatedNodeOptions } from '../../src/testing/index.js';
import { hpiloGen8 } from './client-fixtures.js';

type Reading = [number, string] | 'N/A';
interface Gen8Health {
  fans: Record<string, { label: string; zone: string; status: string; speed: Reading }>;
  temperature: Record<
    string,
    {
      label: string;
      location: string;
      status: string;
      currentreading: Reading;
      caution: Reading;
      critical: Reading;
    }
  >;
  firmware_information: Record<string, string>;
  processors: Record<string, { name: string; speed: string; execution_technology: string }>;
  memory: {
    memory_details: Record<
      string,
      Record<string, { socket: number; size: string; frequency: string; part: { number: string } }>
    >;
    memory_details_summary: Record<string, { number_of_sockets: number; total_memory_size: string }>;
  };
  nic_information: Record<string, { network_port: string; mac_address: string; location: string }>;
  storage: Record<
    string,
    {
      logical_drives: Array<{
        capacity: string;
        fault_tolerance: string;
        physical_drives: Array<{ capacity: string; model: string; serial_number: string }>;
      }>;
    }
  >;
  power_supply_summary: { present_power_reading: string };
}

/** python-hpilo's parsed `get_embedded_health` of the real BL460c Gen8. */
export const gen8Health = (): Gen8Health => hpiloGen8<Gen8Health>('get_embedded_health');

const celsius = (r: Reading): number | null => (r === 'N/A' ? null : r[0]);
const gb = (size: string): number => Number(/^(\d+)/.exec(size)?.[1] ?? 0);

/**
 * A simulated node carrying the real values of python-hpilo's BL460c Gen8 / iLO 4 2.10 outputs:
 * its processors, DIMMs, embedded NICs, RAID volume, fans, temperature sensors and firmware.
 */
export function gen8Node(): SimulatedNodeOptions {
  const h = gen8Health();
  const disks: SimulatedInventory['disks'] = [];
  const logicalDrives: SimulatedInventory['logicalDrives'] = [];
  for (const controller of Object.values(h.storage)) {
    for (const l of controller.logical_drives) {
      const first = disks.length;
      for (const p of l.physical_drives) {
        disks.push({
          capacityGb: gb(p.capacity),
          mediaType: 'HDD',
          model: p.model,
          serialNumber: p.serial_number,
        });
      }
      const raid = /RAID (\S+)/.exec(l.fault_tolerance)?.[1]?.replace(/\/.*/, '') ?? '0';
      logicalDrives.push({
        capacityGb: gb(l.capacity),
        raidLevel: raid,
        disks: l.physical_drives.map((_, i) => first + i),
      });
    }
  }
  const nics = Object.values(h.nic_information);
  const inventory: Partial<SimulatedInventory> = {
    processors: Object.values(h.processors).map((p) => {
      const [, cores, threads] = /(\d+)\/\d+ cores; (\d+) threads/.exec(p.execution_technology) ?? [];
      return {
        name: p.name,
        speedMhz: Number.parseInt(p.speed, 10),
        cores: Number(cores),
        threads: Number(threads),
      };
    }),
    memory: Object.entries(h.memory.memory_details).flatMap(([cpu, sockets]) =>
      Object.values(sockets)
        .filter((s) => s.size !== 'N/A')
        .map((s) => ({
          cpu: Number(cpu.replace('CPU_', '')),
          socket: s.socket,
          sizeMb: Number.parseInt(s.size, 10),
          speedMhz: Number.parseInt(s.frequency, 10),
          partNumber: s.part.number,
        })),
    ),
    socketsPerCpu: Object.values(h.memory.memory_details_summary)[0]?.number_of_sockets ?? 12,
    nics: nics
      .filter((n) => n.network_port.startsWith('Port'))
      .map((n) => ({ port: n.network_port, mac: n.mac_address, location: n.location })),
    iloMac: nics.find((n) => n.network_port.startsWith('iLO'))?.mac_address ?? '',
    disks,
    logicalDrives,
    gpus: [],
    fans: Object.values(h.fans).map((f) => ({
      label: f.label,
      zone: f.zone,
      status: f.status,
      speedPercent: celsius(f.speed) ?? 0,
    })),
    temperatures: Object.values(h.temperature).map((t) => ({
      label: t.label,
      location: t.location,
      status: t.status,
      celsius: celsius(t.currentreading),
      cautionCelsius: celsius(t.caution),
      criticalCelsius: celsius(t.critical),
    })),
    firmware: Object.entries(h.firmware_information).map(([name, version]) => ({ name, version })),
    powerSupplies: [],
    powerWatts: Number.parseInt(h.power_supply_summary.present_power_reading, 10),
  };
  return { model: hpiloGen8<string>('get_product_name'), inventory };
}
