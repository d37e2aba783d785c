import { beforeEach, describe, expect, it } from 'vitest';
import {
  ExclusiveLockRequired,
  HardwareInspectionFailure,
  IloOperationError,
  Inspector,
  InvalidParameterValue,
  PowerState,
} from '../../../src/index.js';
import { MemoryPortRegistry, type SimulatedIlo } from '../../../src/testing/index.js';
import { hpiloGen8 } from '../../helpers/client-fixtures.js';
import { gen8Health, gen8Node } from '../../helpers/gen8-inventory.js';
import { scriptedClients, taskFor, testOptions, useSimulator } from '../../helpers/oob.js';

const REAL_GEN8 = 0;
const G7 = 1;
const GEN9 = 2;
const NO_NICS = 3;
const NO_RAID = 4;

const sim = useSimulator({
  nodes: [
    gen8Node(),
    { model: 'ProLiant DL380 G7' },
    { model: 'ProLiant DL380 Gen9', inventory: { gpus: ['NVIDIA Tesla K80'] } },
    { model: 'ProLiant DL380 Gen8', inventory: { nics: [] } },
    { model: 'ProLiant DL380 Gen8', inventory: { logicalDrives: [] } },
  ],
});

function setUp(i: number, fields = {}, options = {}) {
  const node: SimulatedIlo = sim().node(i);
  node.faults.clear();
  const ports = new MemoryPortRegistry();
  const opts = testOptions();
  const inspector = new Inspector({ ...opts, ports });
  return { node, ports, opts, inspector, task: taskFor(node, sim().caFile, fields, options) };
}

describe('inspecting the simulated Gen8 loaded with the real BL460c Gen8 values', () => {
  it('records the memory, CPU count and MACs those files hold, and creates their ports', async () => {
    const { inspector, task, ports } = setUp(REAL_GEN8);
    const h = gen8Health();
    const memoryMb = Object.values(h.memory.memory_details_summary).reduce(
      (n, b) => n + Number.parseInt(b.total_memory_size, 10) * 1024,
      0,
    );
    const cpus = Object.values(h.processors).reduce(
      (n, p) => n + Number(/(\d+) threads/.exec(p.execution_technology)?.[1]),
      0,
    );
    const macs = Object.values(h.nic_information)
      .filter((n) => n.network_port.startsWith('Port') && n.location === 'Embedded')
      .map((n) => n.mac_address);
    expect([memoryMb, cpus, macs]).toEqual([98304, 24, ['fc:15:b4:0a:9d:58', 'fc:15:b4:0a:9d:5c']]);

    const result = await inspector.inspect(task);
    expect(result.provisionState).toBe('manageable');
    expect(result.properties).toEqual({ memory_mb: memoryMb, local_gb: 557, cpus, cpu_arch: 'x86_64' });
    expect(task.node.properties).toMatchObject(result.properties);
    expect(result.macs).toEqual(macs);
    expect(ports.addressesOf(task.node.uuid)).toEqual(macs);
    expect(task.ports.map((p) => p.address)).toEqual(macs);
    expect(result.poweredOnForInspection).toBe(false);

    const caps = Object.fromEntries(
      result.capabilities.split(',').map((kv) => kv.split(/:(.*)/s).slice(0, 2)),
    );
    expect(caps).toMatchObject({
      server_model: hpiloGen8('get_product_name'),
      ilo_firmware_version: h.firmware_information.iLO,
      rom_firmware_version: h.firmware_information['HP ProLiant System ROM'],
      boot_mode_bios: 'true',
      boot_mode_uefi: 'false',
    });
    expect(task.saved.at(-1)?.properties.capabilities).toBe(result.capabilities);
  });
});

describe('Inspector', () => {
  beforeEach(() => {
    for (const n of sim().nodes) n.server.power = 'ON';
  });

  it('powers a node that is off on for the inspection and off again', async () => {
    const { inspector, task, node } = setUp(GEN9);
    node.server.power = 'OFF';
    const boots = node.server.boots.length;
    const result = await inspector.inspect(task);
    expect(result.poweredOnForInspection).toBe(true);
    expect(node.server.boots.length).toBe(boots + 1);
    expect(node.server.power).toBe('OFF');
    expect(task.node.powerState).toBe(PowerState.OFF);
  });

  it("merges the capabilities, keeping the operator's keys", async () => {
    const { inspector, task } = setUp(GEN9, {
      properties: { capabilities: 'foo:bar,server_model:old,rotational_drive_7200_rpm:true', local_gb: 10 },
    });
    const { capabilities } = await inspector.inspect(task);
    const caps = Object.fromEntries(capabilities.split(',').map((kv) => kv.split(/:(.*)/s).slice(0, 2)));
    expect(caps).toMatchObject({
      foo: 'bar',
      server_model: 'ProLiant DL380 Gen9',
      boot_mode_uefi: 'true',
      secure_boot: 'true',
      pci_gpu_devices: '1',
      rotational_drive_10000_rpm: 'true',
    });
    expect(caps).not.toHaveProperty('rotational_drive_7200_rpm');
    expect(task.node.properties.local_gb).toBe(557);
  });

  it('rejects a malformed capabilities string before touching the node', async () => {
    const { inspector, task, node } = setUp(GEN9, { properties: { capabilities: 'foo' } });
    node.server.power = 'OFF';
    const from = node.log.length;
    await expect(inspector.inspectHardware(task)).rejects.toThrow(InvalidParameterValue);
    expect(node.log.length).toBe(from);
    expect(node.server.power).toBe('OFF');
  });

  it('warns about a MAC that already has a port and goes on', async () => {
    const { inspector, task, ports, opts } = setUp(GEN9);
    const first = sim().node(GEN9).server.inventory.nics[0]?.mac ?? '';
    await ports.createPort(taskFor(sim().node(G7), sim().caFile), first);
    const result = await inspector.inspect(task);
    expect(result.macs).toContain(first);
    expect(result.portsCreated).not.toContain(first);
    expect(result.portsCreated).toHaveLength(result.macs.length - 1);
    expect(opts.logger.of('warn')).toEqual([
      `Port already exists for MAC address ${first} for node ${task.node.uuid}`,
    ]);
  });

  it('fails when the server reports no MACs, and powers a node it turned on off again', async () => {
    const { inspector, task, node } = setUp(NO_NICS);
    node.server.power = 'OFF';
    const error = await inspector.inspect(task).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HardwareInspectionFailure);
    expect((error as Error).message).toBe(
      `Failed to inspect hardware. Reason: The node ${task.node.uuid} didn't return 'macs' as the key with inspection.`,
    );
    expect(node.server.power).toBe('OFF');
    expect(task.node.properties).toEqual({});
  });

  it('keeps an existing local_gb when the iLO reports 0 (no RAID volume)', async () => {
    const { inspector, task } = setUp(NO_RAID, { properties: { local_gb: 300 } });
    expect((await inspector.inspect(task)).properties.local_gb).toBe(300);
    const fresh = setUp(NO_RAID);
    expect((await fresh.inspector.inspect(fresh.task)).properties.local_gb).toBe(0);
  });

  it('goes on without capabilities when the iLO cannot give them', async () => {
    const { inspector, task, node, opts } = setUp(G7, { properties: { capabilities: 'foo:bar' } });
    // iLO 3 answers 0x003C (not supported) here, which the client reads as legacy only; any
    // other failure leaves the capabilities out.
    node.faults.failNext(1, { command: 'GET_SUPPORTED_BOOT_MODE', status: '0x0001' });
    const result = await inspector.inspect(task);
    expect(result.capabilities).toBe('foo:bar');
    expect(opts.logger.of('debug').join('\n')).toContain('did not return any additional capabilities');
    expect(result.properties.cpus).toBe(24);
  });

  it("wraps a failure to read the power state as Ironic's inspection error", async () => {
    const { inspector, task, node } = setUp(GEN9);
    node.faults.failNext(3, { command: 'GET /rest/v1/Systems/1' });
    const error = await inspector.inspect(task).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IloOperationError);
    expect((error as Error).message).toMatch(
      new RegExp(`^Inspecting hardware \\(get_power_state\\) on ${task.node.uuid} failed, error: `),
    );
  });

  it('needs an exclusive lock', async () => {
    const { inspector, task } = setUp(GEN9, {}, { shared: true });
    await expect(inspector.inspectHardware(task)).rejects.toThrow(ExclusiveLockRequired);
  });
});

describe("Ironic's checks of the essential properties", () => {
  const node = () => sim().node(GEN9);
  const inspectWith = async (answer: unknown) => {
    const clients = scriptedClients(node(), () => ({ getEssentialProperties: async () => answer as never }));
    const task = taskFor(node(), sim().caFile);
    try {
      return await new Inspector({ ...testOptions(), clients, ports: new MemoryPortRegistry() })
        .inspect(task)
        .then(
          () => 'inspected',
          (e: Error) => e.message.replace(task.node.uuid, 'UUID'),
        );
    } finally {
      await clients.closeAll();
    }
  };
  const props = { memoryMb: 1024, cpus: 2, cpuArch: 'x86_64', localGb: 10 };
  const macs = { 'Port 1': 'AA:BB:CC:DD:EE:01' };

  it.each([
    [{ macs }, "The node UUID didn't return 'properties' as the key with inspection."],
    [{ properties: {}, macs }, "The node UUID didn't return 'properties' as the key with inspection."],
    [
      { properties: 'x', macs },
      'Essential properties are expected to be in dictionary format, received "x" from node UUID.',
    ],
    [{ properties: { memoryMb: 1, cpus: 2 }, macs }, "Server didn't return the key(s): local_gb, cpu_arch"],
    [{ properties: { ...props, cpus: -1 }, macs }, 'Server returned invalid value(s) for: cpus'],
    [{ properties: props }, "The node UUID didn't return 'macs' as the key with inspection."],
    [{ properties: props, macs: {} }, "The node UUID didn't return 'macs' as the key with inspection."],
    [
      { properties: props, macs: ['aa:bb:cc:dd:ee:01'] },
      'Node UUID didn\'t return MACs ["aa:bb:cc:dd:ee:01"] in dictionary format.',
    ],
    [{ properties: props, macs: { p: 'nope' } }, 'Node UUID returned invalid MAC address(es): ["nope"]'],
  ])('%j fails: %s', async (answer, reason) => {
    expect(await inspectWith(answer)).toBe(`Failed to inspect hardware. Reason: ${reason}`);
  });

  it("accepts Ironic's own key names and lower-cases the MACs", async () => {
    const answer = { properties: { memory_mb: 1024, cpus: 2, cpu_arch: 'x86_64', local_gb: 10 }, macs };
    expect(await inspectWith(answer)).toBe('inspected');
  });
});
