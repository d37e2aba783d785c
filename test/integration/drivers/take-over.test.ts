/**
 * Conductor failover: conductor A publishes on its own web server and dies; conductor B takes
 * its nodes over, publishes the floppy of the node still waiting for its ramdisk (same deploy
 * key) and the boot ISO of the active netboot node on its own web server, and re-attaches them
 * with the new URLs. With a store that outlives conductors (Swift) there is nothing to redo.
 */
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createIscsiIloDriver, type IloConfig, WebServerStore } from '../../../src/index.js';
import { FakeAgent, FileDiskWriter, IloSimulator, MemoryStore } from '../../../src/testing/index.js';
import { type DirServer, startDirServer } from '../../helpers/dir-server.js';
import { iloOperations } from '../../helpers/ilo-ops.js';
import { describeWithPeers } from '../../helpers/peers.js';
import { MiniConductor } from './conductor.js';
import { type DeployImages, DRIVER_PEERS, e2eConfig, nodeFor, serveImages } from './fixtures.js';

describeWithPeers('drivers', DRIVER_PEERS)('takeOver after a conductor dies', () => {
  let dir: string;
  let images: DeployImages;
  let config: IloConfig;
  let sim: IloSimulator;
  const writer = new FileDiskWriter({ sizeBytes: 2 * 2 ** 30 });
  const servers: DirServer[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'take-over-e2e-'));
    images = await serveImages(dir, 4);
    config = e2eConfig(dir);
    sim = await IloSimulator.start({
      nodes: [
        { model: 'ProLiant DL380 Gen9', power: 'OFF' },
        { model: 'ProLiant DL380 Gen8', power: 'OFF' },
      ],
    });
  });
  afterAll(async () => {
    await sim?.close();
    await Promise.all(servers.map((s) => s.close()));
    await images?.files.close();
    await writer.cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  async function conductorOn(
    name: string,
  ): Promise<{ conductor: MiniConductor; root: string; server: DirServer }> {
    const root = join(dir, name);
    await mkdir(root);
    const server = await startDirServer(root);
    servers.push(server);
    const store = new WebServerStore({ httpRoot: root, httpUrl: server.url });
    const conductor = new MiniConductor((lookupNode) =>
      createIscsiIloDriver({
        config,
        store,
        diskWriter: writer,
        lookupNode,
        imageCacheDir: join(root, '.cache'),
      }),
    );
    return { conductor, root, server };
  }

  const bashAgent = (conductor: MiniConductor) =>
    FakeAgent.start({
      diskSizeBytes: 2 * 2 ** 30,
      iscsiBackend: writer,
      passDeployInfo: ({ nodeUuid, address, iqn, key, port, lun }) =>
        conductor.passDeployInfo(nodeUuid, { address, iqn, key, port, lun }),
    });

  it('publishes the floppy and the boot ISO again on the new conductor and re-attaches them', async () => {
    const a = await conductorOn('conductor-a');
    const [waiting, active] = [sim.node(0), sim.node(1)];
    const w = nodeFor(sim, waiting, images, 'partition-netboot', 'uefi');
    const x = nodeFor(sim, active, images, 'partition-netboot', 'bios');
    const taskW = a.conductor.adopt(w.node, w.ports);
    const taskX = a.conductor.adopt(x.node, x.ports);
    await using agentX = await bashAgent(a.conductor);
    const detachX = agentX.attach(active);
    await a.conductor.deploy(taskW.node.uuid); // no ramdisk answers on this one
    await a.conductor.deploy(taskX.node.uuid);
    await expect.poll(() => taskX.node.provisionState, { timeout: 30_000, interval: 50 }).toBe('active');
    detachX();
    expect(taskW.node.provisionState).toBe('wait call-back');
    const deployKey = taskW.node.instanceInfo.deploy_key;

    // Conductor A dies with its web server.
    await a.server.close();
    await a.conductor.driver.close();

    const b = await conductorOn('conductor-b');
    try {
      const tw = b.conductor.adopt(structuredClone(taskW.node), taskW.ports);
      const tx = b.conductor.adopt(structuredClone(taskX.node), taskX.ports);
      const [fromW, fromX] = [waiting.log.length, active.log.length];
      await b.conductor.takeOver(tw.node.uuid);
      await b.conductor.takeOver(tx.node.uuid);

      // The waiting node: its floppy again (same key), the deploy ISO, on the new URLs; no boot change.
      expect(iloOperations(waiting.log, fromW)).toEqual([
        'eject floppy',
        'insert floppy',
        'eject cdrom',
        'insert cdrom',
      ]);
      expect(waiting.server.floppy.imageUrl?.startsWith(b.server.url)).toBe(true);
      const floppy = await waiting.server.floppy.fetched();
      expect(floppy?.status).toBe(200);
      expect(tw.node.instanceInfo.deploy_key).toBe(deployKey);

      // The active node: its boot ISO published again and re-attached.
      expect(iloOperations(active.log, fromX)).toEqual(['insert cdrom']);
      expect(String(tx.node.instanceInfo.ilo_boot_iso).startsWith(b.server.url)).toBe(true);
      expect((await readdir(b.root)).filter((n) => n.startsWith('boot-'))).toHaveLength(1);
      await b.conductor.driver.power.reboot(tx);
      expect(active.server.boots.at(-1)).toMatchObject({
        source: 'CDROM',
        mediaUrl: tx.node.instanceInfo.ilo_boot_iso,
      });
      expect((await active.server.cdrom.fetched())?.status).toBe(200);

      // The ramdisk reads the new floppy: its key still matches, and the deploy finishes on B.
      await using agentW = await bashAgent(b.conductor);
      const detachW = agentW.attach(waiting);
      await agentW.bootFromFloppy(floppy?.data as Buffer);
      await expect.poll(() => tw.node.provisionState, { timeout: 30_000, interval: 50 }).toBe('active');
      detachW();
      expect(agentW.deployInfos[0]?.error).toBeUndefined();

      await b.conductor.tearDown(tw.node.uuid);
      await b.conductor.tearDown(tx.node.uuid);
      expect((await readdir(b.root)).filter((n) => !n.startsWith('.'))).toEqual([]);
    } finally {
      await b.conductor.driver.close();
    }
  });

  it('has nothing to publish again when the store outlives the conductor (Swift)', async () => {
    const store = new MemoryStore();
    await store.listen();
    const conductor = new MiniConductor((lookupNode) =>
      createIscsiIloDriver({ config, store, diskWriter: writer, lookupNode, imagesSurviveConductor: true }),
    );
    try {
      const ilo = sim.node(0);
      const { node, ports } = nodeFor(sim, ilo, images, 'partition-netboot', 'uefi');
      const task = conductor.adopt(node, ports);
      await conductor.deploy(task.node.uuid);
      const from = ilo.log.length;
      const objects = store.objects().map((o) => o.name);
      await conductor.takeOver(task.node.uuid);
      expect(iloOperations(ilo.log, from)).toEqual([]);
      expect(store.objects().map((o) => o.name)).toEqual(objects);
      await conductor.checkCallbackTimeouts(-1);
      expect(task.node.provisionState).toBe('deploy failed');
      await conductor.driver.deploy.cleanUp(task);
      expect(store.objects()).toEqual([]);
    } finally {
      await conductor.driver.close();
      await store.close();
    }
  });
});
