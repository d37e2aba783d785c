import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  IloClient,
  IloCommandNotSupported,
  IloOperationError,
  ImageRefValidationFailed,
  InvalidParameterValue,
} from '../../../src/index.js';
import { IloSimulator, type SimulatedIlo } from '../../../src/testing/index.js';

let sim: IloSimulator;
let images: Server;
let imageBase: string;
const floppy = Buffer.alloc(1474560, 0xf6);

beforeAll(async () => {
  sim = await IloSimulator.start({
    nodes: [
      { model: 'ProLiant DL380 Gen8' },
      { model: 'ProLiant DL380 Gen9' },
      { model: 'ProLiant DL380 G7' },
    ],
    password: 'initial-password',
  });
  images = createServer((req, res) => {
    if (req.url !== '/floppy.img') return res.writeHead(404).end();
    res.writeHead(200, { 'Content-Length': floppy.length });
    res.end(req.method === 'HEAD' ? undefined : floppy);
  });
  await new Promise<void>((r) => images.listen(0, '127.0.0.1', r));
  imageBase = `http://127.0.0.1:${(images.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await sim.close();
  await new Promise((r) => images.close(r));
});

function clientFor(node: SimulatedIlo): IloClient {
  return new IloClient(node.clientOptions({ retry: { attempts: 1 } }));
}

const commands = (node: SimulatedIlo) => node.log.map((e) => e.command);

describe('IloClient against a simulated DL380 Gen8 (iLO 4, RIBCL)', () => {
  it('controls power the way the server state shows', async () => {
    const node = sim.node(0);
    await using ilo = clientFor(node);
    expect(await ilo.getHostPowerStatus()).toBe('ON');
    await ilo.holdPwrBtn();
    expect(node.server.power).toBe('OFF');
    await ilo.holdPwrBtn(); // already off: an informational answer, not an error
    await ilo.setHostPower('ON');
    expect(await ilo.getHostPowerStatus()).toBe('ON');
    await ilo.pressPwrBtn();
    expect(node.server.power).toBe('OFF');
    await ilo.pressPwrBtn();
    expect(node.server.power).toBe('ON');
    const boots = node.server.boots.length;
    await ilo.resetServer();
    expect(node.server.boots.length).toBe(boots + 1);
  });

  it('reads the product name once, and the first power state in the same request', async () => {
    const node = sim.node(0);
    await using ilo = clientFor(node);
    const before = commands(node).filter((c) => c === 'GET_PRODUCT_NAME').length;
    await Promise.all([ilo.getProductName(), ilo.getHostPowerStatus(), ilo.getOneTimeBoot()]);
    await ilo.getProductName();
    expect(commands(node).filter((c) => c === 'GET_PRODUCT_NAME').length).toBe(before + 1);
    await using fresh = clientFor(node);
    const requests = node.log.length;
    expect(await fresh.getHostPowerStatus()).toBe(node.server.power);
    expect(node.log.slice(requests).map((e) => e.command)).toEqual([
      'GET_PRODUCT_NAME',
      'GET_HOST_POWER_STATUS',
    ]);
    expect(await fresh.getHostPowerStatus()).toBe(node.server.power);
    expect(node.log.slice(requests).map((e) => e.command)).toHaveLength(3);
  });

  it('sets a one-time boot that the next boot consumes, and a persistent boot order', async () => {
    const node = sim.node(0);
    await using ilo = clientFor(node);
    await ilo.setOneTimeBoot('NETWORK');
    expect(await ilo.getOneTimeBoot()).toBe('NETWORK');
    await ilo.resetServer();
    expect(node.server.boots.at(-1)?.source).toBe('NETWORK');
    expect(await ilo.getOneTimeBoot()).toBe('Normal');
    await ilo.updatePersistentBoot(['HDD', 'NETWORK']);
    expect(node.server.legacyBootOrder.slice(0, 2)).toEqual(['HDD', 'NETWORK']);
    expect(await ilo.getPersistentBootDevice()).toBe('HDD');
    await expect(ilo.updatePersistentBoot(['ISCSI'])).rejects.toThrow(IloCommandNotSupported);
  });

  it('reports legacy-only boot modes and refuses UEFI-only features', async () => {
    await using ilo = clientFor(sim.node(0));
    expect(await ilo.getCurrentBootMode()).toBe('LEGACY');
    expect(await ilo.getPendingBootMode()).toBe('LEGACY');
    expect(await ilo.getSupportedBootMode()).toBe('legacy bios only');
    await expect(ilo.setPendingBootMode('UEFI')).rejects.toThrow(IloCommandNotSupported);
    await expect(ilo.getSecureBootMode()).rejects.toThrow(IloCommandNotSupported);
    await expect(ilo.resetBiosToDefault()).rejects.toThrow(IloCommandNotSupported);
  });

  it('attaches a floppy the iLO really fetches, boots from it once, and releases it', async () => {
    const node = sim.node(0);
    await using ilo = clientFor(node);
    const url = `${imageBase}/floppy.img`;
    await ilo.insertVirtualMedia(url, 'FLOPPY');
    await ilo.setVmStatus('FLOPPY', 'CONNECT');
    await ilo.setVmStatus('FLOPPY', 'BOOT_ONCE', true);
    expect(await ilo.getVmStatus('FLOPPY')).toEqual({
      device: 'FLOPPY',
      vmApplet: 'DISCONNECTED',
      bootOption: 'BOOT_ONCE',
      writeProtect: true,
      imageInserted: true,
      imageUrl: url,
    });
    const fetch = await node.server.floppy.fetched();
    expect(fetch).toMatchObject({ headStatus: 200, status: 200, bytes: floppy.length, error: null });
    expect(fetch?.sha256).toBe(createHash('sha256').update(floppy).digest('hex'));
    expect(fetch?.data?.equals(floppy)).toBe(true);
    await ilo.resetServer();
    expect(node.server.boots.at(-1)).toMatchObject({ source: 'FLOPPY', mediaUrl: url });
    expect((await ilo.getVmStatus('FLOPPY')).imageInserted).toBe(false);
  });

  it('refuses an image URL that does not answer HEAD with 200, before asking the iLO', async () => {
    const node = sim.node(0);
    await using ilo = clientFor(node);
    const before = node.log.length;
    await expect(ilo.insertVirtualMedia(`${imageBase}/missing.iso`, 'CDROM')).rejects.toThrow(
      ImageRefValidationFailed,
    );
    expect(node.log.slice(before).map((e) => e.command)).not.toContain('INSERT_VIRTUAL_MEDIA');
    await expect(ilo.insertVirtualMedia('ftp://x/y.iso', 'CDROM')).rejects.toThrow(InvalidParameterValue);
  });

  it('ejects only what is inserted', async () => {
    const node = sim.node(0);
    await using ilo = clientFor(node);
    await ilo.getProductName();
    const before = node.log.length;
    await ilo.ejectVirtualMedia('CDROM');
    expect(node.log.slice(before).map((e) => e.command)).toEqual(['GET_VM_STATUS']);
    await ilo.insertVirtualMedia(`${imageBase}/floppy.img`, 'CDROM', { validateUrl: false });
    await ilo.ejectVirtualMedia('CDROM');
    expect(node.server.cdrom.inserted).toBe(false);
  });

  it('reads inventory, capabilities, health, licences and UUID from the server model', async () => {
    const node = sim.node(0);
    await using ilo = clientFor(node);
    const inv = node.server.inventory;
    const essentials = await ilo.getEssentialProperties();
    expect(essentials.properties).toEqual({
      memoryMb: inv.memory.reduce((n, d) => n + d.sizeMb, 0),
      cpus: inv.processors.reduce((n, p) => n + p.threads, 0),
      cpuArch: 'x86_64',
      localGb: 557,
    });
    expect(Object.values(essentials.macs)).toEqual(inv.nics.map((n) => n.mac));
    expect(await ilo.getServerCapabilities()).toEqual({
      serverModel: 'ProLiant DL380 Gen8',
      iloFirmwareVersion: '2.10 Jan 15 2015',
      romFirmwareVersion: '08/02/2014',
      pciGpuDevices: 0,
      bootModeBios: true,
      bootModeUefi: false,
    });
    const health = await ilo.getHostHealthData();
    expect(health.processors).toHaveLength(2);
    expect(health.storage[0]?.logicalDrives[0]?.capacityGb).toBe(558);
    expect((await ilo.getAllLicenses())[0]?.type).toBe('iLO 4 Advanced');
    expect(await ilo.getHostUuid()).toEqual({ productName: 'ProLiant DL380 Gen8', uuid: node.server.uuid });
  });

  it('activates licences and changes its own password', async () => {
    const node = sim.node(0);
    await using ilo = clientFor(node);
    await ilo.activateLicense('AAAAA-BBBBB-CCCCC-DDDDD-EEEEE');
    expect(node.server.licenses[0]?.key).toBe('AAAAA-BBBBB-CCCCC-DDDDD-EEEEE');
    await expect(ilo.activateLicense('bad-key')).rejects.toMatchObject({ status: '0x002E' });
    await expect(ilo.resetIloCredential('short')).rejects.toThrow(IloOperationError);
    await ilo.resetIloCredential('a-much-longer-password');
    expect(node.password).toBe('a-much-longer-password');
    expect(await ilo.getHostPowerStatus()).toBe('ON');
    await ilo.resetIloCredential('initial-password');
  });
});

describe('IloClient against a simulated DL380 Gen9 (iLO 4, RIBCL + RIS)', () => {
  it('sends the Gen9 operations to /rest/v1 and inventory to RIBCL, as proliantutils routes them', async () => {
    const node = sim.node(1);
    await using ilo = clientFor(node);
    const before = node.log.length;
    await ilo.getHostPowerStatus();
    await ilo.getEssentialProperties();
    // The first script also reads power (RIBCL runs both commands); on a Gen9 the answer that
    // counts comes from RIS, as proliantutils routes it.
    expect(node.log.slice(before).map((e) => `${e.channel} ${e.command}`)).toEqual([
      'ribcl GET_PRODUCT_NAME',
      'ribcl GET_HOST_POWER_STATUS',
      'ris GET /rest/v1/Systems/1',
      'ribcl GET_EMBEDDED_HEALTH',
    ]);
  });

  it('applies the pending boot mode and secure boot at the next boot', async () => {
    const node = sim.node(1);
    await using ilo = clientFor(node);
    expect(await ilo.getSupportedBootMode()).toBe('legacy bios and uefi');
    await ilo.setPendingBootMode('LEGACY');
    expect([await ilo.getCurrentBootMode(), await ilo.getPendingBootMode()]).toEqual(['UEFI', 'LEGACY']);
    await ilo.resetServer();
    expect(await ilo.getCurrentBootMode()).toBe('LEGACY');
    await expect(ilo.setSecureBootMode(true)).rejects.toThrow(IloCommandNotSupported);
    await ilo.setPendingBootMode('UEFI');
    await ilo.resetServer();
    await ilo.setSecureBootMode(true);
    expect(await ilo.getSecureBootMode()).toBe(false);
    await ilo.resetServer();
    expect(await ilo.getSecureBootMode()).toBe(true);
    expect(node.server.boots.at(-1)).toMatchObject({ bootMode: 'UEFI', secureBoot: true });
    await ilo.clearSecureBootKeys();
    await ilo.resetServer();
    expect(await ilo.getSecureBootMode()).toBe(false);
    await ilo.resetSecureBootKeys();
    await ilo.setSecureBootMode(false);
    await ilo.resetServer();
  });

  it('resets the BIOS to its defaults from the next boot', async () => {
    const node = sim.node(1);
    await using ilo = clientFor(node);
    node.server.bios = { ...node.server.bios, ProcVirtualization: 'Disabled' };
    await ilo.resetBiosToDefault();
    expect(node.server.pendingBios).toEqual(node.server.defaultBios);
    await ilo.resetServer();
    expect(node.server.bios.ProcVirtualization).toBe('Enabled');
  });

  it('sets one-time and continuous overrides through RIS', async () => {
    const node = sim.node(1);
    await using ilo = clientFor(node);
    await ilo.setOneTimeBoot('CDROM');
    expect(await ilo.getOneTimeBoot()).toBe('CDROM');
    await ilo.updatePersistentBoot(['NETWORK']);
    expect(await ilo.getPersistentBootDevice()).toBe('NETWORK');
    expect(await ilo.getOneTimeBoot()).toBe('Normal');
    await ilo.resetServer();
    expect(node.server.boots.at(-1)?.source).toBe('NETWORK');
    node.server.continuousOverride = null;
    expect(await ilo.getPersistentBootDevice()).toBe('HDD');
  });

  it('inserts over RIS, ejecting a previous image first', async () => {
    const node = sim.node(1);
    await using ilo = clientFor(node);
    await ilo.insertVirtualMedia(`${imageBase}/floppy.img`, 'CDROM');
    const before = node.log.length;
    await ilo.insertVirtualMedia(`${imageBase}/floppy.img?again`, 'CDROM', { validateUrl: false });
    const patches = node.log.slice(before).filter((e) => e.command.startsWith('PATCH'));
    expect(patches.map((e) => e.body)).toEqual([{ Image: null }, { Image: `${imageBase}/floppy.img?again` }]);
    await ilo.setVmStatus('CDROM', 'BOOT_ONCE');
    expect(await ilo.getVmStatus('CDROM')).toMatchObject({
      bootOption: 'BOOT_ONCE',
      imageInserted: true,
      vmApplet: 'CONNECTED',
    });
    await ilo.ejectVirtualMedia('CDROM');
    expect(node.server.cdrom.inserted).toBe(false);
  });

  it('reads RIS capabilities', async () => {
    await using ilo = clientFor(sim.node(1));
    expect(await ilo.getServerCapabilities()).toMatchObject({
      serverModel: 'ProLiant DL380 Gen9',
      iloFirmwareVersion: 'iLO 4 v2.30',
      romFirmwareVersion: 'P89 v2.00 (12/27/2015)',
      bootModeBios: true,
      bootModeUefi: true,
      secureBoot: true,
      hardwareSupportsRaid: true,
      hasRotational: true,
      logicalRaidLevels: ['1'],
      nicCapacity: '1Gb',
    });
  });

  it('changes the password through the RIS account service', async () => {
    const node = sim.node(1);
    await using ilo = clientFor(node);
    await ilo.resetIloCredential('another-long-password');
    expect(node.password).toBe('another-long-password');
    expect(node.log.at(-1)).toMatchObject({ channel: 'ris', body: { Password: '***' } });
    expect(await ilo.getHostPowerStatus()).toBe('ON');
    await ilo.resetIloCredential('initial-password');
  });
});

describe('IloClient against a simulated DL380 G7 (iLO 3)', () => {
  it('has no boot-mode commands, and says so with a typed error', async () => {
    await using ilo = clientFor(sim.node(2));
    await expect(ilo.getPendingBootMode()).rejects.toThrow(IloCommandNotSupported);
    await expect(ilo.getCurrentBootMode()).rejects.toThrow(/not supported on ProLiant DL380 G7/);
    expect(await ilo.getServerCapabilities()).toMatchObject({ bootModeBios: true, bootModeUefi: false });
    expect((await ilo.getEssentialProperties()).properties.localGb).toBe(0);
  });
});

describe('argument checks', () => {
  it('names the bad argument', async () => {
    await using ilo = clientFor(sim.node(0));
    // Callers without a type checker get a typed error rather than an iLO error.
    await expect(ilo.setHostPower('on' as 'ON')).rejects.toMatchObject({ fields: [{ field: 'target' }] });
    await expect(ilo.getVmStatus('USB' as 'CDROM')).rejects.toMatchObject({ fields: [{ field: 'device' }] });
    await expect(ilo.updatePersistentBoot([])).rejects.toThrow(InvalidParameterValue);
  });
});

describe('configurable inventory', () => {
  it('reports GPUs, NICs and disks the test configured, on every generation', async () => {
    await using fleet = await IloSimulator.start({
      nodes: ['ProLiant DL380 Gen8', 'ProLiant DL380 Gen9'].map((model) => ({
        model,
        inventory: {
          gpus: ['NVIDIA Tesla K80', 'NVIDIA Tesla K80'],
          nics: [
            { port: 'Port 1', mac: 'aa:bb:cc:dd:ee:01', adapter: 'HPE Ethernet 10Gb 2-port 562SFP+ Adapter' },
          ],
          disks: [{ capacityGb: 100, mediaType: 'SSD' }],
          logicalDrives: [{ capacityGb: 100, raidLevel: '0', disks: [0] }],
        },
      })),
    });
    for (const node of fleet.nodes) {
      await using ilo = clientFor(node);
      expect((await ilo.getServerCapabilities()).pciGpuDevices).toBe(2);
      expect(await ilo.getEssentialProperties()).toMatchObject({
        properties: { localGb: 99 },
        macs: { 'Port 1': 'aa:bb:cc:dd:ee:01' },
      });
    }
    await using gen9 = clientFor(fleet.node(1));
    expect(await gen9.getServerCapabilities()).toMatchObject({
      nicCapacity: '10Gb',
      hasSsd: true,
      logicalRaidLevels: ['0'],
    });
  });
});
