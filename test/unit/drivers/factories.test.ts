/** The driver factories: composition, injected and owned dependencies, validation in one error. */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  createAgentIloDriver,
  createIscsiIloDriver,
  createPxeIloDriver,
  IloClientPool,
  IloConnectionError,
  InvalidParameterValue,
  IscsiDeploy,
  MissingParameterValue,
  parseConfig,
  parseDriverInfo,
  VirtualMediaBoot,
} from '../../../src/index.js';
import {
  createTestTask,
  MemoryPortRegistry,
  MemoryStore,
  RecordingPxeConfigurator,
} from '../../../src/testing/index.js';
import { startFileServer } from '../../helpers/file-server.js';

const config = parseConfig({ conductor: { apiUrl: 'http://10.0.0.1:6385' } });
const driverInfo = { ilo_address: '127.0.0.1', ilo_username: 'admin', ilo_password: 'pw', client_port: 9 };

describe('driver factories', () => {
  it('compose Ironic interfaces under the classic names; inspect only with a port registry', async () => {
    const store = new MemoryStore();
    await using iscsi = createIscsiIloDriver({ config, store });
    await using agent = createAgentIloDriver({ config, store, ports: new MemoryPortRegistry() });
    await using pxe = createPxeIloDriver({ config, pxe: new RecordingPxeConfigurator() });
    expect([iscsi.name, agent.name, pxe.name]).toEqual(['iscsi_ilo', 'agent_ilo', 'pxe_ilo']);
    expect(iscsi.boot).toBeInstanceOf(VirtualMediaBoot);
    expect(iscsi.deploy).toBeInstanceOf(IscsiDeploy);
    expect(iscsi.inspect).toBeUndefined();
    expect(agent.inspect).toBeDefined();
    expect(agent.deploy.getProperties()).toEqual({ ilo_deploy_iso: expect.any(String) });
    expect(Object.keys(pxe.boot.getProperties())).toEqual(['deploy_kernel', 'deploy_ramdisk']);
    expect(
      (await iscsi.management.getCleanSteps(createTestTask({ driverInfo }))).map((s) => s.step),
    ).toContain('reset_ilo_credential');
  });

  it('close what they made, never what they were given', async () => {
    const given = new IloClientPool();
    const task = createTestTask({ driverInfo });
    const owning = createAgentIloDriver({ config, store: new MemoryStore() });
    await owning.close();
    await owning.close();
    await expect(owning.power.getPowerState(task)).rejects.toBeInstanceOf(IloConnectionError);
    const borrowing = createAgentIloDriver({ config, store: new MemoryStore(), clients: given });
    await borrowing.close();
    const client = given.acquire(parseDriverInfo(task.node, config));
    await given.release(client);
    expect(given.size).toBe(1);
    await given.close();
  });

  it('build the store ironic.conf describes, and say what is missing for it', async () => {
    expect(() => createIscsiIloDriver({ config })).toThrow(MissingParameterValue);
    const web = parseConfig({
      conductor: { apiUrl: 'http://10.0.0.1:6385' },
      ilo: { useWebServerForImages: true },
      deploy: { httpUrl: 'http://10.0.0.1:8080/', httpRoot: '/srv/httpboot' },
    });
    await using driver = createAgentIloDriver({ config: web });
    expect(driver.boot.imagesSurviveConductor).toBe(false);
    expect(() => createPxeIloDriver({ config } as never)).toThrow(/PxeConfigurator/);
  });

  it('validate a node naming every bad field in one error', async () => {
    await using driver = createIscsiIloDriver({ config: parseConfig(), store: new MemoryStore() });
    const task = createTestTask({ driverInfo, instanceInfo: { capabilities: { boot_mode: 'floppy' } } });
    const error = await driver.deploy.validate(task).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MissingParameterValue);
    expect((error as MissingParameterValue).fields.map((f) => f.field)).toEqual([
      'ports',
      '[conductor] api_url',
      'driver_info.ilo_deploy_iso',
      'instance_info.image_source',
      'instance_info.capabilities.boot_mode',
    ]);
  });

  it('validate the references: each unreachable or unfetchable one named', async () => {
    const files = await startFileServer({ '/vmlinuz': randomBytes(64), '/root.img': randomBytes(64) });
    await using driver = createAgentIloDriver({ config, store: new MemoryStore() });
    try {
      const task = createTestTask(
        {
          driverInfo: { ...driverInfo, ilo_deploy_iso: 'file:///srv/deploy.iso' },
          instanceInfo: {
            image_source: `${files.url}/root.img`,
            kernel: `${files.url}/vmlinuz`,
            ramdisk: `${files.url}/missing-initrd`,
            root_gb: 10,
          },
        },
        { ports: [{ uuid: 'p', address: '52:54:00:00:00:01' }] },
      );
      const noFile = await driver.deploy.validate(task).catch((e: unknown) => e);
      expect((noFile as InvalidParameterValue).fields.map((f) => f.field)).toEqual([
        'instance_info.image_checksum',
        'driver_info.ilo_deploy_iso',
      ]);
      task.node.driverInfo.ilo_deploy_iso = `${files.url}/deploy.iso`;
      task.node.instanceInfo.image_checksum = 'sha256:'.padEnd(71, 'a');
      const unreachable = await driver.deploy.validate(task).catch((e: unknown) => e);
      expect(unreachable).toBeInstanceOf(InvalidParameterValue);
      expect((unreachable as InvalidParameterValue).fields.map((f) => f.field)).toEqual([
        'driver_info.ilo_deploy_iso',
        'instance_info.ramdisk',
      ]);
    } finally {
      await files.close();
    }
  });
});
