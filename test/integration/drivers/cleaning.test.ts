/**
 * In-band cleaning through the agent (agent_ilo): the cleaning ramdisk boots from virtual media,
 * its steps are cached at its first heartbeat with the `erase_devices` priority override, a step
 * runs on the FakeAgent's disk, and a failing step ends in `clean failed` and maintenance.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  automatedCleanSteps,
  createAgentIloDriver,
  type IloConfig,
  type JsonValue,
  type PlannedCleanStep,
} from '../../../src/index.js';
import { FakeAgent, IloSimulator, MemoryStore, type TestTask } from '../../../src/testing/index.js';
import { iloOperations } from '../../helpers/ilo-ops.js';
import { describeWithPeers } from '../../helpers/peers.js';
import { MiniConductor } from './conductor.js';
import { type DeployImages, DRIVER_PEERS, e2eConfig, nodeFor, serveImages } from './fixtures.js';

describeWithPeers('drivers', DRIVER_PEERS)('in-band cleaning through the agent', () => {
  let dir: string;
  let images: DeployImages;
  let config: IloConfig;
  let sim: IloSimulator;
  const store = new MemoryStore();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cleaning-'));
    images = await serveImages(dir, 4);
    config = e2eConfig(dir, { ilo: { cleanPriorityEraseDevices: 0 } });
    sim = await IloSimulator.start({ nodes: [{ model: 'ProLiant DL380 Gen9', power: 'ON' }] });
    await store.listen();
  });
  afterAll(async () => {
    await sim?.close();
    await store.close();
    await images?.files.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function startCleaning(failStep?: string) {
    const ilo = sim.node(0);
    const conductor = new MiniConductor((lookupNode) => createAgentIloDriver({ config, store, lookupNode }));
    const { node, ports } = nodeFor(sim, ilo, images, 'whole-disk', 'uefi');
    const task = conductor.adopt({ ...node, provisionState: 'manageable' }, ports);
    const beats: string[] = [];
    const agent = await FakeAgent.start({
      diskSizeBytes: 64 * 2 ** 20,
      heartbeatIntervalMs: 60_000,
      lookup: ({ macs }) => conductor.lookup(macs),
      heartbeat: async ({ nodeUuid, agentUrl, agentToken }) => {
        const outcome = await conductor.heartbeat(nodeUuid, {
          agentUrl,
          ...(agentToken === undefined ? {} : { agentToken }),
        });
        beats.push(outcome.action);
      },
    });
    if (failStep !== undefined) agent.failNext(failStep, { type: 'CleaningError', details: 'disk on fire' });
    const detach = agent.attach(ilo);
    await task.processEvent('clean');
    const from = ilo.log.length;
    const first = agent.nextHeartbeat();
    expect(await conductor.driver.deploy.prepareCleaning(task)).toBe('clean wait');
    await task.processEvent('wait');
    await first;
    return { ilo, conductor, task, agent, detach, beats, from };
  }

  async function runStep(conductor: MiniConductor, task: TestTask, agent: FakeAgent, step: PlannedCleanStep) {
    task.node.cleanStep = { ...step } as unknown as Record<string, JsonValue>;
    await task.processEvent('resume');
    const done = agent.nextHeartbeat();
    expect(await conductor.driver.deploy.executeCleanStep(task, step)).toBe('clean wait');
    await task.processEvent('wait');
    await done;
  }

  it('caches the agent steps at its first heartbeat, overrides erase_devices, runs a step, tears down', async () => {
    const { ilo, conductor, task, agent, detach, beats, from } = await startCleaning();
    try {
      expect(beats).toEqual(['clean-steps-refreshed']);
      const steps = await conductor.driver.deploy.getCleanSteps(task);
      expect(steps.map((s) => [s.step, s.priority])).toEqual([
        ['erase_devices', 0],
        ['erase_devices_metadata', 99],
        ['erase_pstore', 0],
      ]);
      const [metadata] = automatedCleanSteps(steps);
      expect(metadata?.step).toBe('erase_devices_metadata');
      await runStep(conductor, task, agent, metadata as PlannedCleanStep);
      expect(beats.at(-1)).toBe('clean-step-done');
      expect(agent.cleanStepsRun).toEqual(['erase_devices_metadata']);

      await task.processEvent('resume');
      await conductor.driver.deploy.tearDownCleaning(task);
      await task.processEvent('done');
      expect(task.node.provisionState).toBe('available');
      expect(iloOperations(ilo.log, from)).toEqual([
        'power off',
        'insert floppy',
        'insert cdrom',
        'boot once cdrom',
        'power on',
        'power off',
        'eject floppy',
        'eject cdrom',
      ]);
      expect(store.objects()).toEqual([]);
      expect(task.node.driverInternalInfo.agent_secret_token).toBeUndefined();
      expect(task.node.driverInternalInfo.agent_erase_devices_iterations).toBe(1);
    } finally {
      detach();
      await agent.close();
      await conductor.driver.close();
    }
  });

  it('a step the agent fails: clean failed, maintenance, last_error, the cleaning torn down', async () => {
    const { ilo, conductor, task, agent, detach, beats } = await startCleaning('clean.execute_clean_step');
    try {
      const steps = automatedCleanSteps(await conductor.driver.deploy.getCleanSteps(task));
      await runStep(conductor, task, agent, steps[0] as PlannedCleanStep);
      expect(beats.at(-1)).toBe('cleaning-failed');
      expect(task.node.provisionState).toBe('clean failed');
      expect(task.node.maintenance).toBe(true);
      expect(task.node.lastError).toContain('disk on fire');
      expect(task.node.cleanStep).toBeNull();
      expect(conductor.outcomes.get(task.node.uuid)?.at(-1)?.error?.name).toBe('NodeCleaningFailure');
      expect(ilo.server.power).toBe('OFF');
      expect([ilo.server.floppy.inserted, ilo.server.cdrom.inserted]).toEqual([false, false]);
      expect(store.objects()).toEqual([]);
    } finally {
      detach();
      await agent.close();
      await conductor.driver.close();
    }
  });
});
