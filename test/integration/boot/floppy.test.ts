import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  formatParameters,
  generateAgentToken,
  generateDeployKey,
  IloClient,
  InvalidParameterValue,
  iscsiIloRamdiskParams,
  openFatImage,
  parseConfig,
  publishFloppy,
  removeFloppy,
  removeNodeFloppies,
  WebServerStore,
} from '../../../src/index.js';
import { IloSimulator, MemoryStore } from '../../../src/testing/index.js';
import { captureLogger } from '../../helpers/capture-logger.js';
import { fakeClock } from '../../helpers/fake-clock.js';

const UUID = '7c4a1c1e-2b0a-4d8e-9b77-1f0c3e5d9a21';
const config = parseConfig({
  conductor: { apiUrl: 'http://10.0.0.1:6385' },
  ilo: { swiftObjectExpiryTimeout: 600 },
});

async function parametersIn(bytes: Uint8Array): Promise<{ label: string; text: string }> {
  const fat = await openFatImage(bytes);
  try {
    return { label: fat.label, text: new TextDecoder().decode(await fat.readFile('parameters.txt')) };
  } finally {
    await fat.close();
  }
}

function params(deployKey = generateDeployKey(), agentToken = generateAgentToken()) {
  const node = {
    uuid: UUID,
    driver: 'iscsi_ilo',
    instanceInfo: {},
    driverInternalInfo: {},
    properties: { root_device: { serial: 'S 1' } },
  };
  const ports = [{ address: '52:54:00:aa:bb:cc', extra: { vif_port_id: 'v' } }];
  return iscsiIloRamdiskParams(node, ports, config, { deployKey, bootMode: 'uefi', agentToken });
}

describe('publishFloppy', () => {
  const clock = fakeClock();
  const logger = captureLogger();
  const store = new MemoryStore({ clock, logger });
  let sim: IloSimulator;
  beforeAll(async () => {
    await store.listen();
    sim = await IloSimulator.start({ model: 'ProLiant DL380 Gen9' });
  });
  afterAll(async () => {
    await sim.close();
    await store.close();
  });

  it('publishes parameters.txt on an ir-vfd-dev floppy the simulated iLO fetches, under a secret name with a TTL', async () => {
    const deployKey = generateDeployKey();
    const token = generateAgentToken();
    const p = params(deployKey, token);
    const floppy = await publishFloppy(UUID, p, { store, config, logger });
    expect(floppy.name).toMatch(new RegExp(`^image-${UUID}-[A-Za-z0-9_-]{22}$`));
    expect(floppy.expiresAt?.getTime()).toBe(clock.now() + 600_000);
    expect(store.objects().find((o) => o.name === floppy.name)).toMatchObject({
      secret: true,
      ttlSeconds: 600,
    });

    await using ilo = new IloClient(sim.node(0).clientOptions());
    await ilo.insertVirtualMedia(floppy.url, 'FLOPPY');
    const fetched = await sim.node(0).server.floppy.fetched();
    expect(fetched?.error).toBeNull();
    const { label, text } = await parametersIn(fetched?.data as Buffer);
    expect(label).toBe('ir-vfd-dev');
    expect(text).toBe(formatParameters(p as Record<string, string | number>));
    expect(text.split('\n')).toContain(`deployment_key=${deployKey}`);
    expect(text.split('\n')).toContain(`ipa-agent-token=${token}`);
    expect(text.split('\n')).toContain('root_device=serial=S%201');
    expect(text.endsWith('\n')).toBe(false);

    const lines = logger.lines.join('\n');
    expect(lines).not.toContain(deployKey);
    expect(lines).not.toContain(token);
    expect(lines).not.toContain(floppy.name);
    await floppy.remove();
    expect(store.objects().some((o) => o.name === floppy.name)).toBe(false);
  });

  it('expires by itself after [ilo] swift_object_expiry_timeout', async () => {
    const floppy = await publishFloppy(UUID, params(), { store, config });
    clock.advance(601_000);
    const res = await request(floppy.url);
    await res.body.dump();
    expect(res.statusCode).toBe(404);
  });

  it('never throws when removing, and finds every floppy of a node (and only its own)', async () => {
    const a = await publishFloppy(UUID, params(), { store, config });
    const b = await publishFloppy(UUID, params(), { store, config });
    const other = await publishFloppy('0f0e0d0c-0b0a-4998-8776-655443322110', params(), { store, config });
    store.failNext('remove', new Error('store is down'));
    const warn = captureLogger();
    expect(await removeFloppy(store, a.name, { logger: warn })).toBe(false);
    expect(warn.lines.join('\n')).toContain('Could not remove a virtual floppy');
    expect(await removeNodeFloppies(store, UUID)).toBe(2);
    expect(await removeFloppy(store, b.name)).toBe(false);
    expect(store.objects().map((o) => o.name)).toEqual([other.name]);
    await other.remove();
  });

  it('names every bad parameter without echoing secret values, and leaves nothing behind', async () => {
    const secret = generateDeployKey();
    const error = await publishFloppy(
      UUID,
      { deployment_key: `${secret}\nx`, 'bad=key': 1 },
      { store, config },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidParameterValue);
    expect((error as InvalidParameterValue).fields.map((f) => f.field).sort()).toEqual([
      'parameters.bad=key',
      'parameters.deployment_key',
    ]);
    expect(String(error)).not.toContain(secret);
    expect(await publishFloppy(UUID, {}, { store, ttlSeconds: 0 }).catch((e: unknown) => e)).toBeInstanceOf(
      InvalidParameterValue,
    );
    store.failNext('publish', new Error('quota exceeded'));
    await expect(publishFloppy(UUID, params(), { store, config })).rejects.toThrow('quota exceeded');
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(publishFloppy(UUID, params(), { store, config, signal: controller.signal })).rejects.toThrow(
      'stop',
    );
    expect(store.objects()).toEqual([]);
  });
});

describe('publishFloppy on a web server directory', () => {
  it("writes the floppy into http_root with the configured mode and Ironic's name prefix", async () => {
    const root = await mkdtemp(join(tmpdir(), 'floppy-web-'));
    try {
      const store = new WebServerStore({
        httpRoot: root,
        httpUrl: 'http://192.0.2.1:8080/images/',
        fileMode: 0o640,
      });
      const p = params();
      const floppy = await publishFloppy(UUID, p, { store, config });
      expect(floppy.url).toBe(`http://192.0.2.1:8080/images/${floppy.name}`);
      const file = join(root, floppy.name);
      expect((await stat(file)).mode & 0o777).toBe(0o640);
      expect((await parametersIn(await readFile(file))).text).toBe(
        formatParameters(p as Record<string, string | number>),
      );
      await floppy.remove();
      await expect(stat(file)).rejects.toThrow();
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
