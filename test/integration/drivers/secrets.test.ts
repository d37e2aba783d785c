/**
 * Secrets never reach a log line or an error: a whole iscsi_ilo deploy and a failed one, logged at
 * debug level, with a canary iLO password, the deploy key and agent token of the floppy, and the
 * unguessable part of the floppy's URL.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createIscsiIloDriver, type IloConfig } from '../../../src/index.js';
import { FakeAgent, FileDiskWriter, IloSimulator, MemoryStore } from '../../../src/testing/index.js';
import { recordingLogger } from '../../helpers/oob.js';
import { describeWithPeers } from '../../helpers/peers.js';
import { MiniConductor } from './conductor.js';
import { type DeployImages, DRIVER_PEERS, e2eConfig, nodeFor, serveImages } from './fixtures.js';

const CANARY = 'canary-ilo-password-5f3e';

describeWithPeers('drivers', DRIVER_PEERS)('secrets of a deploy', () => {
  let dir: string;
  let images: DeployImages;
  let config: IloConfig;
  let sim: IloSimulator;
  const store = new MemoryStore();
  const writer = new FileDiskWriter({ sizeBytes: 2 * 2 ** 30 });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'secrets-'));
    images = await serveImages(dir, 4);
    config = e2eConfig(dir);
    sim = await IloSimulator.start({
      password: CANARY,
      nodes: [{ model: 'ProLiant DL380 Gen9', power: 'OFF' }],
    });
    await store.listen();
  });
  afterAll(async () => {
    await sim?.close();
    await store.close();
    await images?.files.close();
    await writer.cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps the password, deploy key, agent token and floppy URL out of every log line and error', async () => {
    const logger = recordingLogger();
    const conductor = new MiniConductor((lookupNode) =>
      createIscsiIloDriver({
        config,
        store,
        diskWriter: writer,
        lookupNode,
        logger,
        imageCacheDir: join(dir, 'c'),
      }),
    );
    const ilo = sim.node(0);
    const { node, ports } = nodeFor(sim, ilo, images, 'partition-netboot', 'uefi');
    const task = conductor.adopt(node, ports);
    const errors: string[] = [];
    await using agent = await FakeAgent.start({
      diskSizeBytes: 2 * 2 ** 30,
      iscsiBackend: writer,
      passDeployInfo: async ({ nodeUuid, address, iqn, key, port, lun }) => {
        // First a ramdisk error (a failed deploy), then the real callback of a second deploy.
        const args = { address, iqn, key, port, lun };
        if (errors.length === 0) {
          await conductor
            .passDeployInfo(nodeUuid, { ...args, error: 'no disk found' })
            .catch((e: unknown) => errors.push(String(e), JSON.stringify(e)));
        } else {
          await conductor.passDeployInfo(nodeUuid, args);
        }
      },
    });
    const detach = agent.attach(ilo);
    try {
      await conductor.deploy(task.node.uuid);
      await expect.poll(() => task.node.provisionState, { timeout: 30_000 }).toBe('deploy failed');
      const first = { ...agent.parameters };
      const floppyUrl = ilo.server.floppy.fetches.at(-1)?.url ?? '';
      errors.push(task.node.lastError ?? '');
      await conductor.tearDown(task.node.uuid).catch((e: unknown) => errors.push(String(e)));
      task.node.provisionState = 'available';
      await conductor.deploy(task.node.uuid);
      await expect.poll(() => task.node.provisionState, { timeout: 30_000 }).toBe('active');
      const second = { ...agent.parameters };

      const secrets = [
        CANARY,
        first.deployment_key,
        first['ipa-agent-token'],
        second.deployment_key,
        second['ipa-agent-token'],
        // The last 22 characters: the base64url suffix may itself contain '-'.
        (floppyUrl.split(/[?#]/)[0] ?? '').slice(-22),
      ];
      expect(secrets.every((s) => typeof s === 'string' && s.length >= 16)).toBe(true);
      expect(logger.lines.length).toBeGreaterThan(10);
      expect(errors.join('\n')).toContain('Error returned from deploy ramdisk: no disk found');
      for (const secret of secrets) {
        expect(logger.lines.filter((l) => l.includes(secret as string))).toEqual([]);
        expect(errors.filter((e) => e.includes(secret as string))).toEqual([]);
      }
    } finally {
      detach();
      await conductor.driver.close();
    }
  });
});
