import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AgentClient,
  agentIloRamdiskParams,
  buildFloppyImage,
  type DiskWriteResult,
  generateAgentToken,
  generateDeployKey,
  IloClient,
  imageToBytes,
  iscsiIloRamdiskParams,
  type Node,
  parseConfig,
  publishFloppy,
} from '../../../src/index.js';
import { FakeAgent, FileDiskWriter, IloSimulator, MemoryStore } from '../../../src/testing/index.js';
import { ext4Image, readRange, sfdisk } from '../../helpers/disk-tools.js';
import { type FileServer, startFileServer } from '../../helpers/file-server.js';
import { describeWithPeers } from '../../helpers/peers.js';

const MIB = 2 ** 20;
const UUID = '9e2b6a4c-5d1f-4c3e-8a7b-6f5e4d3c2b1a';
const config = parseConfig({ conductor: { apiUrl: 'http://10.0.0.1:6385/' } });

function agentNode(agent: FakeAgent, token?: string): Node {
  return {
    uuid: UUID,
    driver: 'agent_ilo',
    driverInfo: {},
    instanceInfo: {},
    driverInternalInfo: {
      agent_url: agent.url,
      ...(token === undefined ? {} : { agent_secret_token: token }),
    },
    properties: {},
    provisionState: 'wait call-back',
    powerState: 'power on',
    maintenance: false,
  };
}

describe('FakeAgent booted by a simulated iLO', () => {
  let sim: IloSimulator;
  const store = new MemoryStore();
  beforeAll(async () => {
    sim = await IloSimulator.start({ nodes: [{ model: 'ProLiant DL380 Gen9', power: 'OFF' }] });
    await store.listen();
  });
  afterAll(async () => {
    await sim.close();
    await store.close();
  });

  it('reads parameters.txt from the floppy the iLO fetched, looks its node up by MAC, heartbeats and powers the server off', async () => {
    const server = sim.node(0).server;
    const macs = server.inventory.nics.map((n) => n.mac);
    const token = generateAgentToken();
    const heartbeats: string[] = [];
    await using agent = await FakeAgent.start({
      diskSizeBytes: MIB,
      lookup: (l) => (l.macs.includes(macs[0] as string) ? { uuid: UUID } : null),
      heartbeat: (h) => {
        heartbeats.push(`${h.nodeUuid} ${h.agentUrl} ${h.agentToken === token}`);
      },
    });
    const detach = agent.attach(sim.node(0));
    const params = agentIloRamdiskParams(
      { uuid: UUID, driver: 'agent_ilo', instanceInfo: {}, driverInternalInfo: {}, properties: {} },
      [{ address: macs[0] as string, extra: { vif_port_id: 'v' } }],
      config,
      { agentToken: token },
    );
    const floppy = await publishFloppy(UUID, params, { store, config });
    const deployIso = await store.publish('deploy.iso', randomBytes(64 * 1024));
    await using ilo = new IloClient(sim.node(0).clientOptions());
    await ilo.insertVirtualMedia(floppy.url, 'FLOPPY');
    await ilo.setVmStatus('FLOPPY', 'CONNECT');
    await ilo.insertVirtualMedia(deployIso.url, 'CDROM');
    await ilo.setVmStatus('CDROM', 'CONNECT');
    await ilo.setOneTimeBoot('CDROM');
    const first = agent.nextHeartbeat();
    await ilo.setHostPower('ON');
    expect(await first).toMatchObject({ nodeUuid: UUID, agentUrl: agent.url });
    expect(agent.state).toBe('running');
    expect(agent.parameters).toMatchObject({
      'ipa-api-url': 'http://10.0.0.1:6385',
      'ipa-driver-name': 'agent_ilo',
      BOOTIF: macs[0],
    });
    expect(agent.lookups.at(-1)).toMatchObject({ found: UUID, bootif: macs[0], driverName: 'agent_ilo' });
    expect(heartbeats[0]).toBe(`${UUID} ${agent.url} true`);

    await using client = new AgentClient({ commandWaitIntervalMs: 5 });
    await expect(client.sync(agentNode(agent))).rejects.toMatchObject({ status: 401 });
    expect((await client.sync(agentNode(agent, token))).command_status).toBe('SUCCEEDED');
    await client.powerOff(agentNode(agent, token));
    await expect.poll(() => server.power).toBe('OFF');
    expect(agent.state).toBe('off');

    await ilo.ejectVirtualMedia('FLOPPY');
    await ilo.ejectVirtualMedia('CDROM');
    await ilo.setHostPower('ON');
    expect(server.boots.at(-1)?.source).not.toBe('CDROM');
    expect(agent.state).toBe('off');
    detach();
    await floppy.remove();
    await store.remove('deploy.iso');
  });

  it('fails to boot without a floppy, or when no node matches its MACs', async () => {
    await using agent = await FakeAgent.start({
      diskSizeBytes: MIB,
      lookup: () => null,
      lookupRetryMs: 1,
      lookupTimeoutMs: 20,
    });
    const detach = agent.attach(sim.node(0), { isDeployBoot: (boot) => boot.source === 'CDROM' });
    const server = sim.node(0).server;
    server.powerOff();
    server.floppy.eject();
    server.oneTimeBoot = 'CDROM';
    server.powerOn();
    await expect.poll(() => agent.state).toBe('failed');
    expect(agent.bootError).toContain('no usable virtual floppy');
    await agent.bootFromFloppy(
      await readFile(
        await floppyFile(
          agentIloRamdiskParams(
            { uuid: UUID, driver: 'agent_ilo', instanceInfo: {}, driverInternalInfo: {}, properties: {} },
            [],
            config,
          ),
        ),
      ),
      ['52:54:00:00:00:01'],
    );
    expect(agent.state).toBe('failed');
    expect(agent.bootError).toBe('lookup timed out: no node matched');
    expect(agent.lookups.length).toBeGreaterThan(1);
    detach();
  });

  async function floppyFile(params: Record<string, string | number | boolean | null>): Promise<string> {
    const published = await publishFloppy(UUID, params, { store, config });
    const dir = await mkdtemp(join(tmpdir(), 'floppy-'));
    const path = join(dir, 'floppy.img');
    const res = await fetch(published.url);
    await (await import('node:fs/promises')).writeFile(path, Buffer.from(await res.arrayBuffer()));
    await published.remove();
    return path;
  }
});

describe('FakeAgent faults', () => {
  it('fails a command on request, goes silent, and records a heartbeat hook that throws', async () => {
    let calls = 0;
    await using agent = await FakeAgent.start({
      diskSizeBytes: MIB,
      heartbeatIntervalMs: 20,
      heartbeat: () => {
        calls++;
        if (calls === 1) throw new Error('conductor busy');
      },
    });
    await agent.boot({ nodeUuid: UUID });
    await expect.poll(() => agent.heartbeats.length).toBeGreaterThanOrEqual(2);
    expect(agent.heartbeats[0]?.error).toBe('conductor busy');
    agent.setSilent(true);
    const count = agent.heartbeats.length;
    await expect(agent.nextHeartbeat(100)).rejects.toThrow('no heartbeat within 100 ms');
    expect(agent.heartbeats.length).toBeLessThanOrEqual(count + 1);
    agent.setSilent(false);
    await agent.nextHeartbeat();

    await using client = new AgentClient({ commandWaitIntervalMs: 5 });
    agent.failNext('standby.sync', { type: 'IOError', details: 'disk gone' });
    const failed = await client.sync(agentNode(agent)).catch((e: unknown) => e);
    expect(failed).toMatchObject({ errorType: 'IOError', commandStatus: 'FAILED' });
    expect(agent.commands.at(-1)).toMatchObject({ command_name: 'standby.sync', command_status: 'FAILED' });
    expect((await client.sync(agentNode(agent))).command_status).toBe('SUCCEEDED');
  });

  it('abandons a running command when the ramdisk stops', async () => {
    await using agent = await FakeAgent.start({ diskSizeBytes: MIB });
    await agent.boot({ nodeUuid: UUID });
    await using client = new AgentClient({ maxCommandAttempts: 1 });
    agent.stall('clean.execute_clean_step');
    await client.executeCommand(agentNode(agent), 'clean.execute_clean_step', {
      step: { step: 'erase_devices' },
    });
    agent.stop();
    await expect(client.getCommandsStatus(agentNode(agent))).rejects.toThrow('Connection to agent failed');
    await agent.boot({ nodeUuid: UUID });
    expect(await client.getCommandsStatus(agentNode(agent))).toEqual([]);
  });
});

const withTools = describeWithPeers('disk tools', { commands: ['mkfs.ext4', 'blkid', 'sfdisk'] });

withTools('FakeAgent writing partition images and sharing its disk with a FileDiskWriter', () => {
  let dir: string;
  let files: FileServer;
  let ext4: Awaited<ReturnType<typeof ext4Image>>;
  let checksum: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fake-agent-part-'));
    ext4 = await ext4Image(dir, 16);
    const bytes = await readFile(ext4.path);
    checksum = createHash('md5').update(bytes).digest('hex');
    files = await startFileServer({ '/root.ext4': bytes });
  });
  afterAll(async () => {
    await files.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('lays out a UEFI partition image, reports its root and ESP UUIDs, and accepts the boot loader for that root', async () => {
    await using agent = await FakeAgent.start({ diskSizeBytes: 512 * MIB });
    await agent.boot({ nodeUuid: UUID });
    await using client = new AgentClient({ commandWaitIntervalMs: 5 });
    const node = agentNode(agent);
    const done = await client.prepareImage(
      node,
      {
        id: 'root.ext4',
        urls: [`${files.url}/root.ext4`],
        checksum,
        disk_format: 'raw',
        image_type: 'partition',
        root_mb: 64,
        swap_mb: 8,
        ephemeral_mb: 0,
        deploy_boot_mode: 'uefi',
        boot_option: 'local',
      },
      { wait: true },
    );
    const uuids = await client.getPartitionUuids(node);
    expect(uuids['root uuid']).toBe(ext4.uuid);
    expect(uuids['efi system partition uuid']).toMatch(/^[0-9A-F]{4}-[0-9A-F]{4}$/);
    expect(JSON.stringify(done.command_result)).toContain(
      `efi_system_partition_uuid=${uuids['efi system partition uuid']}`,
    );
    expect((await sfdisk(agent.diskPath)).label).toBe('gpt');
    await client.installBootloader(node, {
      rootUuid: ext4.uuid,
      targetBootMode: 'uefi',
      efiSystemPartUuid: uuids['efi system partition uuid'] ?? null,
    });
    expect(agent.bootloaders).toEqual([
      {
        root_uuid: ext4.uuid,
        efi_system_part_uuid: uuids['efi system partition uuid'] ?? null,
        prep_boot_part_uuid: null,
        target_boot_mode: 'uefi',
      },
    ]);
  });

  it("plays iscsi_ilo's bash deploy ramdisk: posts pass_deploy_info with the floppy's key and target", async () => {
    const writer = new FileDiskWriter({ sizeBytes: 256 * MIB });
    const deployKey = generateDeployKey();
    const node = {
      uuid: UUID,
      driver: 'iscsi_ilo',
      instanceInfo: {},
      driverInternalInfo: {},
      properties: {},
    };
    const params = iscsiIloRamdiskParams(node, [], config, { deployKey, bootMode: 'bios' });
    let written: DiskWriteResult | undefined;
    try {
      await using agent = await FakeAgent.start({
        diskSizeBytes: 256 * MIB,
        iscsiBackend: writer,
        heartbeat: () => {
          throw new Error('the bash ramdisk does not heartbeat');
        },
        passDeployInfo: async (info) => {
          if (info.key !== deployKey) throw new Error('Deploy key does not match');
          written = await writer.write(info, { image: { path: ext4.path }, partitions: { rootMb: 32 } });
        },
      });
      const floppy = await imageToBytes(
        await buildFloppyImage({ parameters: params as Record<string, string | number> }),
      );
      await agent.bootFromFloppy(floppy);
      const iqn = `iqn.2008-10.org.openstack:${UUID}`;
      expect(agent.deployInfos).toEqual([
        { nodeUuid: UUID, address: '127.0.0.1', iqn, key: deployKey, port: 3260, lun: 1 },
      ]);
      expect(written?.rootUuid).toBe(ext4.uuid);
      expect(agent.diskPath).toBe(await writer.pathOf({ address: '127.0.0.1', iqn, lun: 1 }));
      expect([agent.state, agent.heartbeats.length, agent.lookups.length]).toEqual(['running', 0, 0]);
    } finally {
      await writer.cleanup();
    }
  });

  it('exposes the disk of a FileDiskWriter as its iSCSI target, wiping its metadata first when asked', async () => {
    const writer = new FileDiskWriter({ sizeBytes: 256 * MIB });
    try {
      await using agent = await FakeAgent.start({ diskSizeBytes: 256 * MIB, iscsiBackend: writer });
      await agent.boot({ nodeUuid: UUID });
      await using client = new AgentClient();
      const iqn = `iqn.2008-10.org.openstack:${UUID}`;
      const target = { address: '127.0.0.1', iqn, port: 3260, lun: 1 };
      await writer.write(target, { image: { path: ext4.path }, partitions: { rootMb: 32 } });
      expect((await readRange(await writer.pathOf(target), 510, 2)).toString('hex')).toBe('55aa');
      await client.startIscsiTarget(agentNode(agent), iqn, { wipeDiskMetadata: true });
      expect(agent.diskPath).toBe(await writer.pathOf(target));
      expect(agent.iscsiTargets).toEqual([iqn]);
      expect((await readRange(agent.diskPath, 0, MIB)).every((b) => b === 0)).toBe(true);
      const written = await writer.write(target, { image: { path: ext4.path }, partitions: { rootMb: 32 } });
      expect(written.rootUuid).toBe(ext4.uuid);
    } finally {
      await writer.cleanup();
    }
  });
});
