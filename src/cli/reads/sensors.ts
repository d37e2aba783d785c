import { IloManagement, type SensorsData } from '../../index.js';
import { defineRead } from './read.js';

/** Statuses that need no attention. */
const FINE = new Set(['OK', 'Ok', 'N/A', 'Not Installed', 'Not Present', 'Other']);

/** `type/id status` of every sensor whose status needs attention. */
function attention(data: SensorsData): string[] {
  const out: string[] = [];
  for (const [type, sensors] of Object.entries(data)) {
    for (const [id, s] of Object.entries(sensors)) {
      if (s.Status !== undefined && !FINE.has(s.Status)) out.push(`${type}/${id} ${s.Status}`);
    }
  }
  return out;
}

/** `sensors`: the embedded health's sensors in Ironic's `get_sensors_data` shape. */
export const sensors = defineRead({
  words: ['sensors'],
  description: "sensor readings from the iLO's embedded health, in Ironic's get_sensors_data shape",
  example: 'sensors',
  read: (node): Promise<SensorsData> => new IloManagement(node.options).getSensorsData(node.task),
  text: (data) =>
    Object.entries(data).flatMap(([type, group]) =>
      Object.entries(group).map(
        ([id, s]) =>
          `${type.padEnd(12)}  ${id.padEnd(28)}  ${(s['Sensor Reading'] ?? '').padEnd(16)}  ${s.Status ?? ''}`,
      ),
    ),
  columns: [
    {
      header: 'SENSORS',
      cell: (data) => String(Object.values(data).reduce((n, group) => n + Object.keys(group).length, 0)),
    },
    { header: 'ATTENTION', cell: (data) => attention(data).join('; ') || 'none' },
  ],
});
