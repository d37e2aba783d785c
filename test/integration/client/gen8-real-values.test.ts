import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IloClient } from '../../../src/index.js';
import { IloSimulator } from '../../../src/testing/index.js';
import { hpiloGen8 } from '../../helpers/client-fixtures.js';
import { gen8Health, gen8Node } from '../../helpers/gen8-inventory.js';

let sim: IloSimulator;
let ilo: IloClient;

beforeAll(async () => {
  sim = await IloSimulator.start({ nodes: [gen8Node()] });
  const node = sim.node(0);
  node.server.legacyBootOrder = hpiloGen8<string[]>('get_persistent_boot').map((d) => d.toUpperCase());
  ilo = new IloClient(node.clientOptions());
});
afterAll(async () => {
  await ilo.close();
  await sim.close();
});

describe('a Gen8 personality loaded with the real values of a BL460c Gen8 (python-hpilo outputs)', () => {
  const h = gen8Health();

  it('reports its memory, CPU count, embedded MACs and disk as Ironic inspects them', async () => {
    const boards = Object.values(h.memory.memory_details_summary);
    const memoryMb = boards.reduce((n, b) => n + Number.parseInt(b.total_memory_size, 10) * 1024, 0);
    const threads = Object.values(h.processors).reduce(
      (n, p) => n + Number(/(\d+) threads/.exec(p.execution_technology)?.[1]),
      0,
    );
    const macs = Object.fromEntries(
      Object.values(h.nic_information)
        .filter((n) => n.network_port.startsWith('Port') && n.location === 'Embedded')
        .map((n) => [n.network_port, n.mac_address]),
    );
    expect(await ilo.getEssentialProperties()).toEqual({
      properties: { memoryMb, cpus: threads, cpuArch: 'x86_64', localGb: 557 },
      macs,
    });
    expect([memoryMb, threads, Object.keys(macs).length]).toEqual([98304, 24, 2]);
  });

  it('serves its fans, temperature sensors and firmware unchanged', async () => {
    const health = await ilo.getHostHealthData();
    expect(health.fans).toEqual(
      Object.values(h.fans).map((f) => ({
        label: f.label,
        zone: f.zone,
        status: f.status,
        speed: f.speed === 'N/A' ? null : { value: f.speed[0], unit: f.speed[1] },
      })),
    );
    const reading = (r: [number, string] | 'N/A') => (r === 'N/A' ? null : { value: r[0], unit: r[1] });
    expect(health.temperatures).toEqual(
      Object.values(h.temperature).map((t) => ({
        label: t.label,
        location: t.location,
        status: t.status,
        current: reading(t.currentreading),
        caution: reading(t.caution),
        critical: reading(t.critical),
      })),
    );
    expect(Object.fromEntries(health.firmware.map((f) => [f.name, f.version]))).toEqual(
      h.firmware_information,
    );
    expect(health.processors.map((p) => p.name)).toEqual(
      Object.values(h.processors).map((p) => p.name.trim()),
    );
    expect(health.power.presentPowerReading).toBe(h.power_supply_summary.present_power_reading);
  });

  it('answers the identity and boot questions as the real server did', async () => {
    expect(await ilo.getProductName()).toBe(hpiloGen8('get_product_name'));
    expect(await ilo.getHostPowerStatus()).toBe(hpiloGen8('get_host_power_status'));
    expect(await ilo.getCurrentBootMode()).toBe(hpiloGen8('get_current_boot_mode'));
    expect(await ilo.getPendingBootMode()).toBe(hpiloGen8('get_pending_boot_mode'));
    expect(await ilo.getSupportedBootMode()).toBe('legacy bios only'); // LEGACY_ONLY
    expect((await ilo.getOneTimeBoot()).toLowerCase()).toBe(hpiloGen8('get_one_time_boot'));
    expect((await ilo.getPersistentBootDevice())?.toLowerCase()).toBe(
      hpiloGen8<string[]>('get_persistent_boot')[0],
    );
    const capabilities = await ilo.getServerCapabilities();
    expect(capabilities).toMatchObject({
      iloFirmwareVersion: h.firmware_information.iLO,
      romFirmwareVersion: h.firmware_information['HP ProLiant System ROM'],
      bootModeBios: true,
      bootModeUefi: false,
    });
  });
});
