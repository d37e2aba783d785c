import type { HealthReading, HostHealthData } from '../client/index.js';
import type { SensorsData } from '../contracts/index.js';

type Fields = Record<string, string>;

const reading = (r: HealthReading | null): string | undefined =>
  r === null ? undefined : `${r.value} ${r.unit}`;

/** A sensor: its id and reading first, then every known field (unknown ones left out). */
function sensor(
  id: string,
  value: string | undefined,
  extra: Record<string, string | null | undefined>,
): Fields {
  const out: Fields = { 'Sensor ID': id, 'Sensor Reading': value ?? 'N/A' };
  for (const [k, v] of Object.entries(extra)) if (v !== null && v !== undefined) out[k] = v;
  return out;
}

/** Adds `fields` under `type`/`id`, suffixing the id when the iLO reported two sensors with one label. */
function put(data: SensorsData, type: string, id: string, fields: (id: string) => Fields): void {
  const group = data[type] ?? {};
  data[type] = group;
  let key = id;
  for (let n = 2; key in group; n++) key = `${id} #${n}`;
  group[key] = fields(key);
}

/**
 * Ironic's sensor data shape, `{SensorType: {SensorId: {'Sensor Reading': …, …}}}`, from the iLO's
 * embedded health: `Temperature`, `Fan`, `Power Supply`, `Power` (the power meter), `Processor`,
 * `Memory` (installed DIMMs), `Drive` (physical drives) and `Health` (the at-a-glance summary).
 * Readings keep the iLO's units; sensors that give no reading say `N/A`.
 *
 * @example
 * ```ts
 * sensorsFromHealth(await ilo.getHostHealthData()).Temperature?.['01-Inlet Ambient']?.['Sensor Reading']; // '21 Celsius'
 * ```
 */
export function sensorsFromHealth(health: HostHealthData): SensorsData {
  const data: SensorsData = {};
  for (const t of health.temperatures) {
    put(data, 'Temperature', t.label, (id) =>
      sensor(id, reading(t.current), {
        Status: t.status,
        Location: t.location,
        'Upper Non-Critical': reading(t.caution),
        'Upper Critical': reading(t.critical),
      }),
    );
  }
  for (const f of health.fans) {
    put(data, 'Fan', f.label, (id) => sensor(id, reading(f.speed), { Status: f.status, Zone: f.zone }));
  }
  for (const s of health.power.supplies) {
    put(data, 'Power Supply', s.label, (id) =>
      sensor(id, s.status, {
        Status: s.status,
        Present: s.present,
        Capacity: s.capacity,
        Model: s.model,
        'Serial Number': s.serialNumber,
        'Firmware Version': s.firmwareVersion,
      }),
    );
  }
  if (health.power.presentPowerReading !== null) {
    put(data, 'Power', 'Power Meter', (id) =>
      sensor(id, health.power.presentPowerReading ?? undefined, { Redundancy: health.power.redundancy }),
    );
  }
  for (const p of health.processors) {
    put(data, 'Processor', p.label, (id) =>
      sensor(id, p.speed, { Status: p.status, Name: p.name, 'Execution Technology': p.executionTechnology }),
    );
  }
  for (const m of health.memory.modules.filter((d) => d.sizeMb > 0)) {
    put(data, 'Memory', m.location, (id) =>
      sensor(id, `${m.sizeMb} MB`, { Status: m.status, Speed: m.speed, 'Part Number': m.partNumber }),
    );
  }
  for (const c of health.storage) {
    for (const d of c.logicalDrives.flatMap((l) => l.physicalDrives)) {
      put(data, 'Drive', d.label, (id) =>
        sensor(id, d.capacity, { Status: d.status, Model: d.model, 'Serial Number': d.serialNumber }),
      );
    }
  }
  for (const [name, summary] of Object.entries(health.healthAtAGlance)) {
    put(data, 'Health', name, (id) => sensor(id, summary.status, { Redundancy: summary.redundancy }));
  }
  return data;
}
