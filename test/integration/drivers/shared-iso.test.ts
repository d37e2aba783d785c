/**
 * Twenty nodes deployed at once from one image (iscsi_ilo, netboot, BIOS): the boot ISO is built
 * once and shared by all, and gone after the last tear-down.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createIscsiIloDriver, SHARED_BOOT_ISO } from '../../../src/index.js';
import { FakeAgent, FileDiskWriter, IloSimulator, MemoryStore } from '../../../src/testing/index.js';
import { iloOperations } from '../../helpers/ilo-ops.js';
import { describeWithPeers } from '../../helpers/peers.js';
import { MiniConductor } from './conductor.js';
import { type DeployImages, DRIVER_PEERS, e2eConfig, nodeFor, serveImages } from './fixtures.js';

const NODES = 20;

describeWithPeers('drivers', DRIVER_PEERS)('twenty concurrent deploys share one boot ISO', () => {
  let dir: string;
  let images: DeployImages;
  let sim: IloSimulator;
  const store = new MemoryStore();
  const writer = new FileDiskWriter({ sizeBytes: 2 * 2 ** 30 });
  const agents: FakeAgent[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'shared-iso-e2e-'));
    images = await serveImages(dir, 4);
    sim = await IloSimulator.start({ nodes: NODES, model: 'ProLiant DL380 Gen9' });
    for (const ilo of sim.nodes) ilo.server.power = 'OFF';
    await store.listen();
  });
  afterAll(async () => {
    await Promise.all(agents.map((a) => a.close()));
    await sim?.close();
    await store.close();
    await images?.files.close();
    await writer.cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  it('builds the boot ISO once, every node boots it, the last tear-down deletes it', async () => {
    const config = e2eConfig(dir);
    const conductor = new MiniConductor((lookupNode) =>
      createIscsiIloDriver({
        config,
        store,
        diskWriter: writer,
        lookupNode,
        imageCacheDir: join(dir, 'cache'),
      }),
    );
    const tasks = sim.nodes.map((ilo) => {
      const { node, ports } = nodeFor(sim, ilo, images, 'partition-netboot', 'bios');
      return conductor.adopt(node, ports);
    });
    for (const ilo of sim.nodes) {
      const agent = await FakeAgent.start({
        diskSizeBytes: 2 * 2 ** 30,
        iscsiBackend: writer,
        passDeployInfo: ({ nodeUuid, address, iqn, key, port, lun }) =>
          conductor.passDeployInfo(nodeUuid, { address, iqn, key, port, lun }),
      });
      agents.push(agent);
      agent.attach(ilo);
    }
    const kernelGets = () => images.files.hits.get('GET /vmlinuz') ?? 0;
    try {
      await Promise.all(tasks.map((t) => conductor.deploy(t.node.uuid)));
      for (const task of tasks) {
        await expect.poll(() => task.node.provisionState, { timeout: 60_000, interval: 50 }).toBe('active');
      }
      const isos = store.objects().filter((o) => o.name.startsWith('boot-'));
      expect(isos).toHaveLength(1);
      const name = isos[0]?.name as string;
      expect(await store.holders(name)).toHaveLength(NODES);
      expect(kernelGets()).toBe(1);
      expect(new Set(tasks.map((t) => t.node.driverInternalInfo[SHARED_BOOT_ISO]))).toEqual(new Set([name]));
      for (const ilo of sim.nodes) {
        expect(ilo.server.boots.at(-1)).toMatchObject({ source: 'CDROM', bootMode: 'LEGACY' });
      }
      // Every iLO fetched the same bytes.
      const fetched = await Promise.all(sim.nodes.map((ilo) => ilo.server.cdrom.fetched()));
      expect(new Set(fetched.map((f) => f?.sha256)).size).toBe(1);
      // A Gen9 in UEFI by default: the BIOS boot mode is requested before the ramdisk boots.
      expect(iloOperations(sim.nodes[0]?.log ?? []).slice(0, 5)).toEqual([
        'boot mode bios',
        'insert floppy',
        'insert cdrom',
        'boot once cdrom',
        'power on',
      ]);
      for (const [i, task] of tasks.entries()) {
        await conductor.tearDown(task.node.uuid);
        const left = store.objects().filter((o) => o.name === name);
        expect(left.length).toBe(i === NODES - 1 ? 0 : 1);
      }
      expect(store.objects()).toEqual([]);
    } finally {
      await conductor.driver.close();
    }
  });
});
