/**
 * Faults on the way of a deploy (agent_ilo): each ends in `deploy failed` with a typed error and
 * `lastError`, nothing published left, no virtual media inserted.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import {
  createAgentIloDriver,
  type IloClientProvider,
  type IloConfig,
  IloLoginFailed,
  IloOperationError,
  InstanceDeployFailure,
  PowerStateFailure,
  SwiftOperationError,
} from '../../../src/index.js';
import { FakeAgent, IloSimulator, MemoryStore, type SimulatedIlo } from '../../../src/testing/index.js';
import { iloOperations } from '../../helpers/ilo-ops.js';
import { scriptedClients } from '../../helpers/oob.js';
import { describeWithPeers } from '../../helpers/peers.js';
import { MiniConductor } from './conductor.js';
import { type DeployImages, DRIVER_PEERS, e2eConfig, nodeFor, serveImages } from './fixtures.js';

describeWithPeers('drivers', DRIVER_PEERS)('deploy faults end in a clean failed state', () => {
  let dir: string;
  let images: DeployImages;
  let config: IloConfig;
  let sim: IloSimulator;
  let ilo: SimulatedIlo;
  const store = new MemoryStore();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'faults-e2e-'));
    images = await serveImages(dir, 4);
    config = e2eConfig(dir);
    sim = await IloSimulator.start({ model: 'ProLiant DL380 Gen9' });
    ilo = sim.node(0);
    await store.listen();
  });
  afterAll(async () => {
    await sim?.close();
    await store.close();
    await images?.files.close();
    await rm(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    ilo.faults.clear();
    ilo.server.power = 'ON';
    ilo.server.floppy.eject();
    ilo.server.cdrom.eject();
  });

  function setUp(clients?: IloClientProvider, password?: string) {
    const conductor = new MiniConductor((lookupNode) =>
      createAgentIloDriver({ config, store, lookupNode, ...(clients === undefined ? {} : { clients }) }),
    );
    const { node, ports } = nodeFor(sim, ilo, images, 'whole-disk', 'uefi');
    if (password !== undefined) node.driverInfo = { ...node.driverInfo, ilo_password: password };
    return { conductor, task: conductor.adopt(node, ports) };
  }

  /** Nothing published remains, no virtual media is inserted. */
  function expectNothingLeft(): void {
    expect(store.objects()).toEqual([]);
    expect([ilo.server.floppy.inserted, ilo.server.cdrom.inserted]).toEqual([false, false]);
  }

  it('login failure: IloOperationError caused by IloLoginFailed, nothing attached, the password nowhere', async () => {
    const { conductor, task } = setUp(undefined, 'wrong-password-canary');
    try {
      const error = await conductor.deploy(task.node.uuid).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(IloOperationError);
      expect((error as Error).cause).toBeInstanceOf(IloLoginFailed);
      expect(task.node.provisionState).toBe('deploy failed');
      expect(task.node.lastError).toContain('Failed to deploy');
      expect(`${task.node.lastError} ${(error as Error).message}`).not.toContain('wrong-password-canary');
      expect(store.objects()).toEqual([]);
    } finally {
      await conductor.driver.close();
    }
  });

  it('virtual media insert error: the floppy removed again, both devices ejected', async () => {
    const { conductor, task } = setUp();
    ilo.faults.failNext(1, {
      command: 'PATCH /rest/v1/Managers/1/VirtualMedia/2',
      message: 'iLO.0.10.InternalError',
    });
    const from = ilo.log.length;
    try {
      const error = await conductor.deploy(task.node.uuid).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(IloOperationError);
      expect((error as Error).message).toContain('Inserting virtual media CDROM failed');
      expect(task.node.provisionState).toBe('deploy failed');
      expect(iloOperations(ilo.log, from)).toEqual([
        'power off',
        'insert floppy',
        'insert cdrom !',
        'eject floppy',
      ]);
      expectNothingLeft();
    } finally {
      await conductor.driver.close();
    }
  });

  it('publish failure: nothing published, nothing inserted', async () => {
    const { conductor, task } = setUp();
    store.failNext('publish', new SwiftOperationError({ operation: 'put object', error: 'disk full' }));
    const from = ilo.log.length;
    try {
      const error = await conductor.deploy(task.node.uuid).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SwiftOperationError);
      expect(task.node.provisionState).toBe('deploy failed');
      expect(iloOperations(ilo.log, from)).toEqual(['power off']);
      expectNothingLeft();
    } finally {
      await conductor.driver.close();
    }
  });

  it('power-state timeout while rebooting into the ramdisk: PowerStateFailure, the ramdisk media removed', async () => {
    const clients = scriptedClients(ilo, () => ({ getHostPowerStatus: async () => 'OFF' as const }));
    const { conductor, task } = setUp(clients);
    ilo.server.power = 'OFF'; // it powers on, but the iLO keeps saying it is off
    const from = ilo.log.length;
    try {
      const error = await conductor.deploy(task.node.uuid).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PowerStateFailure);
      expect((error as PowerStateFailure).pstate).toBe('power on');
      expect(task.node.provisionState).toBe('deploy failed');
      expect(iloOperations(ilo.log, from)).toEqual([
        'insert floppy',
        'insert cdrom',
        'boot once cdrom',
        'power on',
        'eject floppy',
        'eject cdrom',
      ]);
      expectNothingLeft();
    } finally {
      await conductor.driver.close();
      await clients.closeAll();
    }
  });

  it('an agent that never heartbeats: the bounded wait fails the deploy, powers off, removes the floppy', async () => {
    const { conductor, task } = setUp();
    await using agent = await FakeAgent.start({
      diskSizeBytes: 2 ** 30,
      lookup: ({ macs }) => conductor.lookup(macs),
    });
    agent.setSilent(true);
    const detach = agent.attach(ilo);
    try {
      await conductor.deploy(task.node.uuid);
      await expect.poll(() => agent.state).toBe('running');
      expect(store.objects()).toHaveLength(1);
      expect(await conductor.checkCallbackTimeouts(60_000)).toEqual([]);
      await new Promise((resolve) => setTimeout(resolve, 20));
      const [timedOut] = await conductor.checkCallbackTimeouts(10);
      expect(timedOut?.uuid).toBe(task.node.uuid);
      expect(timedOut?.error).toBeInstanceOf(InstanceDeployFailure);
      expect(task.node.provisionState).toBe('deploy failed');
      expect(task.node.lastError).toBe(
        `Timeout reached while waiting for callback for node ${task.node.uuid}`,
      );
      expect(ilo.server.power).toBe('OFF');
      expect(agent.state).toBe('off');
      expectNothingLeft();
    } finally {
      detach();
      await conductor.driver.close();
    }
  });
});
