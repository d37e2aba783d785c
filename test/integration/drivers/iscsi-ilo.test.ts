/**
 * iscsi_ilo end to end, netboot: the floppy and the boot ISO published in a WebServerStore served
 * by an embedded HTTP server, then by nginx; the FakeAgent as Ironic's bash ramdisk
 * (pass_deploy_info) on a Gen9 in UEFI mode and as the Ironic Python Agent (heartbeat,
 * iscsi.start_iscsi_target) on a Gen8 in BIOS mode; the image written by the conductor through
 * the DiskWriter interface (FileDiskWriter: the disk file the agent exposes).
 */
import { chmodSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  createIscsiIloDriver,
  type IloConfig,
  openFatImage,
  openIsoImage,
  WebServerStore,
} from '../../../src/index.js';
import { FakeAgent, FileDiskWriter, IloSimulator, type SimulatedIlo } from '../../../src/testing/index.js';
import { type DirServer, startDirServer } from '../../helpers/dir-server.js';
import { blkid, sfdisk } from '../../helpers/disk-tools.js';
import { iloOperations } from '../../helpers/ilo-ops.js';
import { NGINX_PEERS, startNginx } from '../../helpers/nginx.js';
import { describeWithPeers } from '../../helpers/peers.js';
import { MiniConductor } from './conductor.js';
import { type DeployImages, DRIVER_PEERS, e2eConfig, nodeFor, serveImages } from './fixtures.js';

const text = (b: Uint8Array) => new TextDecoder().decode(b);

interface WebServer {
  url: string;
  stop(): Promise<void>;
}

async function embedded(root: string): Promise<WebServer> {
  const server: DirServer = await startDirServer(root);
  return { url: server.url, stop: () => server.close() };
}

function iscsiSuite(title: string, startWebServer: (root: string) => Promise<WebServer>): void {
  let dir: string;
  let httpRoot: string;
  let images: DeployImages;
  let config: IloConfig;
  let sim: IloSimulator;
  let web: WebServer;
  let store: WebServerStore;
  const writer = new FileDiskWriter({ sizeBytes: 2 * 2 ** 30 });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'iscsi-ilo-e2e-'));
    httpRoot = join(dir, 'httpboot');
    images = await serveImages(dir);
    config = e2eConfig(dir);
    await import('node:fs/promises').then((fs) => fs.mkdir(httpRoot));
    chmodSync(dir, 0o755);
    chmodSync(httpRoot, 0o755);
    web = await startWebServer(httpRoot);
    store = new WebServerStore({ httpRoot, httpUrl: web.url });
    sim = await IloSimulator.start({
      nodes: [
        { model: 'ProLiant DL380 Gen9', power: 'ON' },
        { model: 'ProLiant DL380 Gen8', power: 'ON' },
      ],
    });
  });
  afterAll(async () => {
    await sim?.close();
    await web?.stop();
    await images?.files.close();
    await writer.cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  async function published(): Promise<string[]> {
    return (await readdir(httpRoot)).filter((n) => !n.startsWith('.'));
  }

  async function deploy(ilo: SimulatedIlo, mode: 'bios' | 'uefi', ramdisk: 'bash' | 'agent') {
    const conductor = new MiniConductor((lookupNode) =>
      createIscsiIloDriver({
        config,
        store,
        diskWriter: writer,
        lookupNode,
        imageCacheDir: join(dir, 'cache'),
      }),
    );
    const { node, ports } = nodeFor(sim, ilo, images, 'partition-netboot', mode);
    const task = conductor.adopt(node, ports);
    const agent = await FakeAgent.start({
      diskSizeBytes: 2 * 2 ** 30,
      heartbeatIntervalMs: 100,
      iscsiBackend: writer,
      lookup: ({ macs }) => conductor.lookup(macs),
      heartbeat: async ({ nodeUuid, agentUrl, agentToken }) => {
        await conductor.heartbeat(nodeUuid, {
          agentUrl,
          ...(agentToken === undefined ? {} : { agentToken }),
        });
      },
      ...(ramdisk === 'bash'
        ? {
            passDeployInfo: ({ nodeUuid, address, iqn, key, port, lun }) =>
              conductor.passDeployInfo(nodeUuid, { address, iqn, key, port, lun }),
          }
        : {}),
    });
    const detach = agent.attach(ilo);
    const from = ilo.log.length;
    await conductor.deploy(task.node.uuid);
    await expect.poll(() => task.node.provisionState, { timeout: 30_000, interval: 50 }).toBe('active');
    return { conductor, task, agent, detach, ops: () => iloOperations(ilo.log, from) };
  }

  it(`${title}: Gen9 UEFI netboot with the bash ramdisk`, async () => {
    const ilo = sim.node(0);
    const { conductor, task, agent, detach, ops } = await deploy(ilo, 'uefi', 'bash');
    try {
      expect(ops()).toEqual([
        'power off',
        'insert floppy',
        'insert cdrom',
        'boot once cdrom',
        'power on',
        'eject floppy',
        'eject cdrom',
        'insert cdrom',
        'boot always cdrom',
        'power off',
        'power on',
      ]);
      // The floppy the iLO fetched, as the ramdisk reads it.
      const floppy = await openFatImage(ilo.server.floppy.fetches.at(-1)?.data as Buffer);
      expect(floppy.label.trim()).toBe('ir-vfd-dev');
      const params = Object.fromEntries(
        text(await floppy.readFile('parameters.txt'))
          .split('\n')
          .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
      );
      await floppy.close();
      expect(params).toMatchObject({
        deployment_id: task.node.uuid,
        iscsi_target_iqn: `iqn.2008-10.org.openstack:${task.node.uuid}`,
        ironic_api_url: 'http://127.0.0.1:6385',
        disk: 'cciss/c0d0,sda,hda,vda',
        boot_option: 'netboot',
        boot_mode: 'uefi',
        'coreos.configdrive': '0',
        'ipa-api-url': 'http://127.0.0.1:6385',
        'ipa-driver-name': 'iscsi_ilo',
        BOOTIF: task.ports[0]?.address,
      });
      expect(params.deployment_key).toMatch(/^[A-Za-z0-9]{32}$/);
      expect(agent.deployInfos).toHaveLength(1);
      expect(agent.deployInfos[0]?.error).toBeUndefined();

      // The disk the conductor wrote: GPT, the root file system with the image's UUID.
      const table = await sfdisk(agent.diskPath);
      expect(table.label).toBe('gpt');
      const root = table.partitions.at(-1);
      const fs = await blkid(agent.diskPath, (root?.start ?? 0) * 512, (root?.size ?? 0) * 512);
      expect(fs.UUID).toBe(images.rootfs.uuid);
      expect(task.node.driverInternalInfo.root_uuid_or_disk_id).toBe(images.rootfs.uuid);

      // The boot ISO the iLO fetched, and booted: hybrid El Torito, root=UUID on the command line.
      const last = ilo.server.boots.at(-1);
      expect(last).toMatchObject({ source: 'CDROM', bootMode: 'UEFI' });
      expect(last?.mediaUrl).toBe(task.node.instanceInfo.ilo_boot_iso);
      expect(task.node.driverInternalInfo.boot_iso_created_in_web_server).toBe(true);
      const iso = await openIsoImage((await ilo.server.cdrom.fetched())?.data as Buffer);
      expect(iso.bootEntries.map((e) => [e.platform, e.path])).toEqual([
        ['bios', '/isolinux/isolinux.bin'],
        ['uefi', '/images/efiboot.img'],
      ]);
      const append = `root=UUID=${images.rootfs.uuid} nofb nomodeset vga=normal --`;
      expect(text(await iso.readFile('/isolinux/isolinux.cfg'))).toContain(
        `append initrd=/initrd text ${append}`,
      );
      expect(text(await iso.readFile('/EFI/BOOT/grub.cfg'))).toContain(`linux /vmlinuz ${append}`);
      await iso.close();
      expect((await published()).filter((n) => n.startsWith('image-'))).toEqual([]);
      expect((await published()).filter((n) => n.startsWith('boot-'))).toHaveLength(1);

      // Every later reboot attaches the boot ISO again (a fresh URL) before the reset.
      const before = ilo.log.length;
      await conductor.driver.power.reboot(task);
      expect(iloOperations(ilo.log, before)).toEqual([
        'eject cdrom',
        'insert cdrom',
        'boot once cdrom',
        'reset',
      ]);
      expect(ilo.server.boots.at(-1)).toMatchObject({
        source: 'CDROM',
        mediaUrl: task.node.instanceInfo.ilo_boot_iso,
      });

      await conductor.tearDown(task.node.uuid);
      expect(task.node.provisionState).toBe('available');
      expect(await published()).toEqual([]);
      expect([ilo.server.floppy.inserted, ilo.server.cdrom.inserted]).toEqual([false, false]);
      expect(task.node.instanceInfo.ilo_boot_iso).toBeUndefined();
    } finally {
      detach();
      await agent.close();
      await conductor.driver.close();
    }
  });

  it(`${title}: Gen8 BIOS netboot with the agent exposing its disk over iSCSI`, async () => {
    const ilo = sim.node(1);
    const { conductor, task, agent, detach, ops } = await deploy(ilo, 'bios', 'agent');
    try {
      expect(ops()).toEqual([
        'power off',
        'insert floppy',
        'insert cdrom',
        'boot once cdrom',
        'power on',
        'eject floppy',
        'eject cdrom',
        'insert cdrom',
        'boot always cdrom',
        'power on',
      ]);
      expect(agent.iscsiTargets).toEqual([`iqn.2008-10.org.openstack:${task.node.uuid}`]);
      expect(agent.requests.filter((r) => r.command !== undefined).map((r) => r.command)).toEqual([
        'iscsi.start_iscsi_target',
        'standby.power_off',
      ]);
      expect((await sfdisk(agent.diskPath)).label).toBe('dos');
      const iso = await openIsoImage((await ilo.server.cdrom.fetched())?.data as Buffer);
      expect(iso.bootEntries.map((e) => [e.platform, e.path])).toEqual([['bios', '/isolinux/isolinux.bin']]);
      expect(text(await iso.readFile('/isolinux/isolinux.cfg'))).toContain(`root=UUID=${images.rootfs.uuid}`);
      await iso.close();
      expect(ilo.server.boots.map((b) => [b.source, b.bootMode])).toEqual([
        ['CDROM', 'LEGACY'],
        ['CDROM', 'LEGACY'],
      ]);
      await conductor.tearDown(task.node.uuid);
      expect(await published()).toEqual([]);
      expect(await readdir(join(dir, 'cache')).catch(() => [])).toEqual([]);
    } finally {
      detach();
      await agent.close();
      await conductor.driver.close();
    }
  });
}

describeWithPeers('drivers', DRIVER_PEERS)('iscsi_ilo deploys end to end (web server: embedded)', () =>
  iscsiSuite('embedded web server', embedded),
);

describeWithPeers('drivers+nginx', {
  commands: [...(DRIVER_PEERS.commands ?? []), ...(NGINX_PEERS.commands ?? [])],
})('iscsi_ilo deploys end to end (web server: nginx)', () => iscsiSuite('nginx', (root) => startNginx(root)));
