/**
 * agent_ilo end to end: simulated iLOs that really fetch their virtual media, a MemoryStore
 * serving the floppy, the FakeAgent booting from it, and the mini conductor on the public API.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createAgentIloDriver, type IloConfig } from '../../../src/index.js';
import { FakeAgent, IloSimulator, MemoryStore } from '../../../src/testing/index.js';
import { readRange, sfdisk } from '../../helpers/disk-tools.js';
import { iloOperations } from '../../helpers/ilo-ops.js';
import { describeWithPeers } from '../../helpers/peers.js';
import { MiniConductor } from './conductor.js';
import { type DeployImages, DRIVER_PEERS, e2eConfig, nodeFor, serveImages } from './fixtures.js';

const withPeers = describeWithPeers('drivers', DRIVER_PEERS);

withPeers('agent_ilo deploys end to end', () => {
  let dir: string;
  let images: DeployImages;
  let config: IloConfig;
  let sim: IloSimulator;
  const store = new MemoryStore();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'agent-ilo-e2e-'));
    images = await serveImages(dir);
    config = e2eConfig(dir);
    sim = await IloSimulator.start({
      nodes: [
        { model: 'ProLiant DL380 Gen9', power: 'OFF' },
        { model: 'ProLiant DL380 Gen8', power: 'OFF' },
      ],
    });
    await store.listen();
  });
  afterAll(async () => {
    await sim?.close();
    await store.close();
    await images?.files.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function deploy(index: number, flavour: 'partition-local' | 'whole-disk', mode: 'bios' | 'uefi') {
    const ilo = sim.node(index);
    const conductor = new MiniConductor((lookupNode) => createAgentIloDriver({ config, store, lookupNode }));
    const { node, ports } = nodeFor(sim, ilo, images, flavour, mode);
    const task = conductor.adopt(node, ports);
    const agent = await FakeAgent.start({
      diskSizeBytes: 2 * 2 ** 30,
      heartbeatIntervalMs: 100,
      lookup: ({ macs }) => conductor.lookup(macs),
      heartbeat: async ({ nodeUuid, agentUrl, agentToken }) => {
        await conductor.heartbeat(nodeUuid, {
          agentUrl,
          ...(agentToken === undefined ? {} : { agentToken }),
        });
      },
    });
    const detach = agent.attach(ilo);
    const from = ilo.log.length;
    await conductor.deploy(task.node.uuid);
    expect(task.node.provisionState).toBe('wait call-back');
    await expect.poll(() => task.node.provisionState, { timeout: 30_000, interval: 50 }).toBe('active');
    return { ilo, conductor, task, agent, detach, ops: () => iloOperations(ilo.log, from) };
  }

  it('Gen9 UEFI, partition image, local boot: the sequence of the seeds, the floppy the iLO read, the boot loader, nothing left', async () => {
    const { ilo, conductor, task, agent, detach, ops } = await deploy(0, 'partition-local', 'uefi');
    try {
      expect(ops()).toEqual([
        'insert floppy',
        'insert cdrom',
        'boot once cdrom',
        'power on',
        'eject floppy',
        'eject cdrom',
        'boot always disk',
        'power on',
      ]);
      const floppy = ilo.server.floppy.fetches[0];
      expect(floppy?.status).toBe(200);
      expect(agent.parameters).toMatchObject({
        'ipa-api-url': 'http://127.0.0.1:6385',
        'ipa-driver-name': 'agent_ilo',
        'coreos.configdrive': '0',
        BOOTIF: task.ports[0]?.address,
      });
      expect(agent.parameters?.['ipa-agent-token']).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(agent.bootloaders).toEqual([
        expect.objectContaining({ root_uuid: images.rootfs.uuid, target_boot_mode: 'uefi' }),
      ]);
      expect(task.node.driverInternalInfo.root_uuid_or_disk_id).toBe(images.rootfs.uuid);
      expect(task.node.driverInternalInfo.agent_secret_token).toBeUndefined();
      expect(ilo.server.boots.map((b) => [b.source, b.bootMode])).toEqual([
        ['CDROM', 'UEFI'],
        ['HDD', 'UEFI'],
      ]);
      const table = await sfdisk(agent.diskPath);
      expect(table.label).toBe('gpt');
      expect(store.objects()).toEqual([]);
      expect(conductor.outcomes.get(task.node.uuid)?.map((o) => o.action)).toContain('deployed');
      await conductor.tearDown(task.node.uuid);
      expect(task.node.provisionState).toBe('available');
      expect(ilo.server.power).toBe('OFF');
      expect([ilo.server.floppy.inserted, ilo.server.cdrom.inserted]).toEqual([false, false]);
      expect(store.objects()).toEqual([]);
    } finally {
      detach();
      await agent.close();
      await conductor.driver.close();
    }
  });

  it('Gen8 BIOS, whole-disk image: the agent writes the disk, the node boots it', async () => {
    const { ilo, conductor, task, agent, detach, ops } = await deploy(1, 'whole-disk', 'bios');
    try {
      expect(ops()).toEqual([
        'insert floppy',
        'insert cdrom',
        'boot once cdrom',
        'power on',
        'eject floppy',
        'eject cdrom',
        'boot always disk',
        'power on',
      ]);
      expect(task.node.driverInternalInfo.is_whole_disk_image).toBe(true);
      expect((await readRange(agent.diskPath, 440, 4)).readUInt32LE(0)).toBe(Number(images.disk.signature));
      expect(ilo.server.boots.map((b) => [b.source, b.bootMode])).toEqual([
        ['CDROM', 'LEGACY'],
        ['HDD', 'LEGACY'],
      ]);
      await conductor.tearDown(task.node.uuid);
      expect(store.objects()).toEqual([]);
    } finally {
      detach();
      await agent.close();
      await conductor.driver.close();
    }
  });
});
