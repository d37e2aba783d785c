/**
 * pxe_ilo: the iLO sets the boot mode before PXE and a one-time network boot; DHCP and TFTP are the
 * embedder's (a RecordingPxeConfigurator here); the bash ramdisk the configurator would have
 * booted is the FakeAgent, given the recorded parameters.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  createPxeIloDriver,
  type IloConfig,
  InvalidParameterValue,
  MissingParameterValue,
  type PxeRamdiskRequest,
} from '../../../src/index.js';
import {
  FakeAgent,
  FileDiskWriter,
  IloSimulator,
  RecordingPxeConfigurator,
} from '../../../src/testing/index.js';
import { iloOperations } from '../../helpers/ilo-ops.js';
import { describeWithPeers } from '../../helpers/peers.js';
import { MiniConductor } from './conductor.js';
import { type DeployImages, DRIVER_PEERS, e2eConfig, nodeFor, serveImages } from './fixtures.js';

describeWithPeers('drivers', DRIVER_PEERS)('pxe_ilo', () => {
  let dir: string;
  let images: DeployImages;
  let config: IloConfig;
  let sim: IloSimulator;
  const writer = new FileDiskWriter({ sizeBytes: 2 * 2 ** 30 });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pxe-ilo-'));
    images = await serveImages(dir, 4);
    config = e2eConfig(dir);
    sim = await IloSimulator.start({ nodes: [{ model: 'ProLiant DL380 Gen9', power: 'OFF' }] });
  });
  afterAll(async () => {
    await sim?.close();
    await images?.files.close();
    await writer.cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  function nodeWithPxe(flavour: 'partition-netboot' | 'whole-disk', mode: 'bios' | 'uefi') {
    const { node, ports } = nodeFor(sim, sim.node(0), images, flavour, mode);
    node.driverInfo = { ...node.driverInfo, deploy_kernel: images.kernel, deploy_ramdisk: images.ramdisk };
    return { node, ports };
  }

  it('needs a PxeConfigurator', () => {
    expect(() => createPxeIloDriver({} as never)).toThrow(MissingParameterValue);
  });

  it('refuses a whole-disk image net-booted in UEFI mode (bug 1432498) before configuring anything', async () => {
    const pxe = new RecordingPxeConfigurator();
    const conductor = new MiniConductor((lookupNode) =>
      createPxeIloDriver({ config, pxe, diskWriter: writer, lookupNode }),
    );
    try {
      const { node, ports } = nodeWithPxe('whole-disk', 'uefi');
      node.instanceInfo = { ...node.instanceInfo, capabilities: { boot_option: 'netboot' } };
      const task = conductor.adopt(node, ports);
      const error = await conductor.deploy(task.node.uuid).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidParameterValue);
      expect((error as InvalidParameterValue).fields[0]?.field).toBe(
        'instance_info.capabilities.boot_option',
      );
      expect(task.node.provisionState).toBe('deploy failed');
      expect(pxe.calls.map((c) => c.method)).toEqual(['validate']);
    } finally {
      await conductor.driver.close();
    }
  });

  it('deploys a BIOS netboot partition image: boot mode before PXE, one-time network boot, PXE persistent after', async () => {
    const pxe = new RecordingPxeConfigurator();
    const conductor = new MiniConductor((lookupNode) =>
      createPxeIloDriver({ config, pxe, diskWriter: writer, lookupNode, imageCacheDir: join(dir, 'cache') }),
    );
    const ilo = sim.node(0);
    const { node, ports } = nodeWithPxe('partition-netboot', 'bios');
    const task = conductor.adopt(node, ports);
    await using agent = await FakeAgent.start({
      diskSizeBytes: 2 * 2 ** 30,
      iscsiBackend: writer,
      passDeployInfo: ({ nodeUuid, address, iqn, key, port, lun }) =>
        conductor.passDeployInfo(nodeUuid, { address, iqn, key, port, lun }),
    });
    try {
      const from = ilo.log.length;
      await conductor.deploy(task.node.uuid);
      expect(iloOperations(ilo.log, from)).toEqual(['boot mode bios', 'boot once network', 'power on']);
      expect(ilo.server.boots.at(-1)).toMatchObject({ source: 'NETWORK', bootMode: 'LEGACY' });
      const ramdisk = pxe.configOf(task.node.uuid);
      expect(ramdisk?.kind).toBe('ramdisk');
      const request = ramdisk?.request as PxeRamdiskRequest;
      expect(request).toMatchObject({
        deployKernel: images.kernel,
        deployRamdisk: images.ramdisk,
        bootMode: 'bios',
      });
      expect(request.params).toMatchObject({ 'ipa-driver-name': 'pxe_ilo', boot_option: 'netboot' });

      // What the TFTP server would have handed the bash ramdisk.
      const parameters = Object.fromEntries(Object.entries(request.params).map(([k, v]) => [k, String(v)]));
      const done = ilo.log.length;
      await agent.boot({ parameters });
      expect(task.node.provisionState).toBe('active');
      expect(iloOperations(ilo.log, done)).toEqual(['boot always network', 'power off', 'power on']);
      expect(pxe.configOf(task.node.uuid)).toMatchObject({
        kind: 'instance',
        request: { bootOption: 'netboot', rootUuid: images.rootfs.uuid, kernel: images.kernel },
      });

      await conductor.tearDown(task.node.uuid);
      expect(pxe.configOf(task.node.uuid)).toBeUndefined();
      expect(ilo.server.power).toBe('OFF');
    } finally {
      await conductor.driver.close();
    }
  });
});
