import { describe, expect, it } from 'vitest';
import { IloManagement, IloOperationError } from '../../../src/index.js';
import { gen8Health, gen8Node } from '../../helpers/gen8-inventory.js';
import { taskFor, testOptions, useSimulator } from '../../helpers/oob.js';

const sim = useSimulator({
  nodes: [gen8Node(), { model: 'ProLiant DL380 Gen9' }, { model: 'ProLiant DL380 G7' }],
});

describe('getSensorsData', () => {
  it("gives the real Gen8's fans and temperatures in Ironic's shape", async () => {
    const management = new IloManagement(testOptions());
    const data = await management.getSensorsData(taskFor(sim().node(0), sim().caFile));
    const h = gen8Health();
    const fans = Object.values(h.fans);
    expect(Object.keys(data.Fan ?? {})).toEqual(fans.map((f) => f.label));
    for (const f of fans) {
      expect(data.Fan?.[f.label]).toMatchObject({
        'Sensor ID': f.label,
        'Sensor Reading': f.speed === 'N/A' ? 'N/A' : `${f.speed[0]} ${f.speed[1]}`,
        Status: f.status,
        Zone: f.zone,
      });
    }
    const temps = Object.values(h.temperature);
    expect(Object.keys(data.Temperature ?? {})).toHaveLength(new Set(temps.map((t) => t.label)).size);
    const inlet = temps.find(
      (t) => t.currentreading !== 'N/A' && t.caution !== 'N/A' && t.critical !== 'N/A',
    );
    if (
      inlet === undefined ||
      inlet.currentreading === 'N/A' ||
      inlet.caution === 'N/A' ||
      inlet.critical === 'N/A'
    )
      throw new Error('the recorded Gen8 has a sensor with thresholds');
    expect(data.Temperature?.[inlet.label]).toEqual({
      'Sensor ID': inlet.label,
      'Sensor Reading': `${inlet.currentreading[0]} ${inlet.currentreading[1]}`,
      Status: inlet.status,
      Location: inlet.location,
      'Upper Non-Critical': `${inlet.caution[0]} ${inlet.caution[1]}`,
      'Upper Critical': `${inlet.critical[0]} ${inlet.critical[1]}`,
    });
    expect(data.Power?.['Power Meter']?.['Sensor Reading']).toBe(
      h.power_supply_summary.present_power_reading,
    );
    expect(Object.keys(data.Processor ?? {})).toHaveLength(Object.keys(h.processors).length);
    for (const group of Object.values(data)) {
      for (const [id, sensor] of Object.entries(group)) {
        expect(sensor['Sensor ID']).toBe(id);
        expect(typeof sensor['Sensor Reading']).toBe('string');
      }
    }
  });

  it.each([1, 2])('reads the default inventory of node %i: DIMMs, drives and power supplies', async (i) => {
    const node = sim().node(i);
    const data = await new IloManagement(testOptions()).getSensorsData(taskFor(node, sim().caFile));
    const dimms = node.server.inventory.memory.length;
    expect(Object.keys(data.Memory ?? {})).toHaveLength(dimms);
    // iLO 3 reports no storage in its embedded health.
    const drives = node.server.personality.generation === 'G7' ? 0 : node.server.inventory.disks.length;
    expect(Object.keys(data.Drive ?? {})).toHaveLength(drives);
    expect(Object.values(data.Memory ?? {})[0]?.['Sensor Reading']).toMatch(/^\d+ MB$/);
    expect(Object.keys(data['Power Supply'] ?? {}).length).toBeGreaterThan(0);
  });

  it('turns an iLO failure into IloOperationError', async () => {
    sim().node(1).faults.failNext(1, { command: 'GET_EMBEDDED_HEALTH' });
    await expect(
      new IloManagement(testOptions()).getSensorsData(taskFor(sim().node(1), sim().caFile)),
    ).rejects.toThrow(IloOperationError);
  });
});
