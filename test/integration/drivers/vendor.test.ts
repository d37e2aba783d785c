/** The vendor passthru of the iLO drivers against a simulated Gen9: checks, boot_into_iso, lookup, callbacks. */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  createAgentIloDriver,
  createIscsiIloDriver,
  type IloConfig,
  ImageRefValidationFailed,
  InvalidParameterValue,
  InvalidStateRequested,
  MissingParameterValue,
  NodeNotFound,
  NotSupported,
  UnsupportedDriverExtension,
} from '../../../src/index.js';
import { createTestTask, IloSimulator, MemoryStore } from '../../../src/testing/index.js';
import { iloOperations } from '../../helpers/ilo-ops.js';
import { driverInfoOf } from '../../helpers/oob.js';
import { describeWithPeers } from '../../helpers/peers.js';
import { type DeployImages, DRIVER_PEERS, e2eConfig, serveImages } from './fixtures.js';

describeWithPeers('drivers', DRIVER_PEERS)('VendorPassthru', () => {
  let dir: string;
  let images: DeployImages;
  let config: IloConfig;
  let sim: IloSimulator;
  const store = new MemoryStore();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vendor-'));
    images = await serveImages(dir, 4);
    config = e2eConfig(dir);
    sim = await IloSimulator.start({ model: 'ProLiant DL380 Gen9' });
    await store.listen();
  });
  afterAll(async () => {
    await sim?.close();
    await store.close();
    await images?.files.close();
    await rm(dir, { recursive: true, force: true });
  });

  const taskOf = (
    provisionState: 'manageable' | 'available' | 'active' | 'wait call-back',
    maintenance = false,
  ) =>
    createTestTask({
      driver: 'iscsi_ilo',
      provisionState,
      maintenance,
      driverInfo: driverInfoOf(sim.node(0), sim.caFile),
      instanceInfo: { deploy_key: 'K'.repeat(32) },
    });

  it('lists its routes with Ironic metadata and refuses unknown ones', async () => {
    await using iscsi = createIscsiIloDriver({ config, store });
    await using agent = createAgentIloDriver({ config, store });
    expect(iscsi.vendor.routes.map((r) => [r.name, r.async, r.httpMethods])).toEqual([
      ['heartbeat', true, ['POST']],
      ['boot_into_iso', true, ['POST']],
      ['pass_deploy_info', true, ['POST']],
    ]);
    expect(agent.vendor.routes.map((r) => r.name)).toEqual(['heartbeat', 'boot_into_iso']);
    expect(agent.vendor.driverRoutes.map((r) => [r.name, r.async, r.attach])).toEqual([
      ['lookup', false, true],
    ]);
    const task = taskOf('manageable');
    await expect(agent.vendor.validate(task, 'pass_deploy_info', {})).rejects.toBeInstanceOf(
      UnsupportedDriverExtension,
    );
    await expect(iscsi.vendor.validate(task, 'frobnicate', {})).rejects.toThrow(
      'Driver iscsi_ilo does not support vendor method frobnicate',
    );
    await expect(iscsi.vendor.validate(task, 'heartbeat', {})).rejects.toBeInstanceOf(MissingParameterValue);
  });

  it('boot_into_iso: only in manageable or maintenance, with an existing ISO; attaches it, boots it once', async () => {
    await using driver = createAgentIloDriver({ config, store });
    const refused = await driver.vendor
      .validate(taskOf('available'), 'boot_into_iso', { boot_iso_href: images.deployIso })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(InvalidStateRequested);
    expect((refused as Error).message).toContain("in manageable state or in 'maintenance' mode");
    const missing = await driver.vendor
      .validate(taskOf('manageable'), 'boot_into_iso', {})
      .catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(MissingParameterValue);
    expect((missing as MissingParameterValue).fields).toEqual([
      { field: 'boot_iso_href', problem: 'required' },
    ]);
    await expect(
      driver.vendor.validate(taskOf('manageable'), 'boot_into_iso', {
        boot_iso_href: `${images.files.url}/nope.iso`,
      }),
    ).rejects.toBeInstanceOf(ImageRefValidationFailed);

    const ilo = sim.node(0);
    ilo.server.power = 'ON';
    const from = ilo.log.length;
    const route = driver.vendor.routes.find((r) => r.name === 'boot_into_iso');
    await route?.handler(taskOf('active', true), { boot_iso_href: images.deployIso });
    expect(iloOperations(ilo.log, from)).toEqual(['insert cdrom', 'boot once cdrom', 'reset']);
    expect(ilo.server.boots.at(-1)).toMatchObject({ source: 'CDROM', mediaUrl: images.deployIso });
  });

  it('lookup: the node by any of its MACs, passwords and tokens masked; NodeNotFound otherwise', async () => {
    const node = createTestTask(
      {
        driverInfo: { ilo_address: '10.0.0.5', ilo_username: 'admin', ilo_password: 'canary-password' },
        driverInternalInfo: { agent_secret_token: 'canary-token' },
      },
      { ports: [{ uuid: randomUUID(), address: '52:54:00:aa:bb:cc' }] },
    ).node;
    await using driver = createAgentIloDriver({
      config,
      store,
      lookupNode: async (macs) => (macs.includes('52:54:00:aa:bb:cc') ? node : undefined),
    });
    const found = (await driver.vendor.lookup({
      inventory: { interfaces: [{ mac_address: '52:54:00:AA:BB:CC' }] },
    })) as { heartbeat_timeout: number; node: Record<string, Record<string, unknown>> };
    expect(found.heartbeat_timeout).toBe(300);
    expect(found.node.uuid).toBe(node.uuid);
    expect(JSON.stringify(found)).not.toMatch(/canary/);
    await expect(driver.vendor.lookup({ addresses: '52:54:00:00:00:01' })).rejects.toBeInstanceOf(
      NodeNotFound,
    );
    await expect(driver.vendor.lookup({})).rejects.toBeInstanceOf(MissingParameterValue);
    await using without = createAgentIloDriver({ config, store });
    await expect(without.vendor.lookup({ addresses: ['52:54:00:aa:bb:cc'] })).rejects.toBeInstanceOf(
      NotSupported,
    );
  });

  it('pass_deploy_info: a wrong key, missing fields or the wrong state change nothing, and never echo the key', async () => {
    await using driver = createIscsiIloDriver({ config, store });
    const task = taskOf('wait call-back');
    const wrong = await driver.vendor
      .passDeployInfo(task, { key: 'canary-wrong-key', address: '127.0.0.1', iqn: 'iqn.x' })
      .catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(InvalidParameterValue);
    expect((wrong as InvalidParameterValue).fields).toEqual([
      { field: 'key', problem: 'Deploy key does not match' },
    ]);
    expect((wrong as Error).message).not.toContain('canary-wrong-key');
    expect((wrong as Error).message).not.toContain('K'.repeat(32));
    const bad = await driver.vendor.passDeployInfo(task, { port: 'x' }).catch((e: unknown) => e);
    expect((bad as MissingParameterValue).fields.map((f) => f.field)).toEqual([
      'key',
      'address',
      'iqn',
      'port',
    ]);
    const early = taskOf('active');
    await expect(
      driver.vendor.passDeployInfo(early, { key: 'K'.repeat(32), address: '127.0.0.1', iqn: 'iqn.x' }),
    ).rejects.toBeInstanceOf(InvalidStateRequested);
    expect([task.node.provisionState, task.events, early.events]).toEqual(['wait call-back', [], []]);
  });

  it('heartbeat: a wrong agent token is refused; heartbeats outside the deploy and cleaning states are ignored', async () => {
    await using driver = createAgentIloDriver({ config, store });
    const task = taskOf('wait call-back');
    task.node.driverInternalInfo = { agent_secret_token: 'the-right-token-0123456789' };
    await expect(
      driver.vendor.heartbeat(task, { agentUrl: 'http://127.0.0.1:9999', agentToken: 'wrong' }),
    ).rejects.toBeInstanceOf(InvalidParameterValue);
    await expect(driver.vendor.heartbeat(task, { agentUrl: 'ftp://x' })).rejects.toBeInstanceOf(
      InvalidParameterValue,
    );
    expect(task.node.driverInternalInfo.agent_url).toBeUndefined();
    const active = taskOf('active');
    expect(await driver.vendor.heartbeat(active, { agentUrl: 'http://127.0.0.1:9999' })).toEqual({
      action: 'ignored',
    });
    expect(active.node.driverInternalInfo.agent_url).toBeUndefined();
    const inMaintenance = taskOf('wait call-back', true);
    expect(await driver.vendor.heartbeat(inMaintenance, { agentUrl: 'http://127.0.0.1:9999' })).toEqual({
      action: 'ignored',
    });
    expect(inMaintenance.node.driverInternalInfo.agent_url).toBe('http://127.0.0.1:9999');
  });
});
