import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  type EssentialProperties,
  IloClient,
  IloCommandNotSupported,
  type ServerCapabilities,
  type VmStatus,
} from '../../../src/index.js';
import { IloSimulator, type SimulatedIlo } from '../../../src/testing/index.js';
import { describeWithPeers } from '../../helpers/peers.js';
import { PythonIlo, pythonClientsMissing } from '../../helpers/python-ilo.js';

const withPython = describeWithPeers('python-ilo-clients', { check: pythonClientsMissing });

let sim: IloSimulator;
let images: Server;
let imageUrl: string;

/** proliantutils' form of our essential properties. */
const snakeEssentials = (e: EssentialProperties) => ({
  properties: {
    memory_mb: e.properties.memoryMb,
    cpus: e.properties.cpus,
    cpu_arch: e.properties.cpuArch,
    local_gb: e.properties.localGb,
  },
  macs: e.macs,
});

/**
 * proliantutils' form of our capabilities: flags that hold as `'true'`. `nic_capacity` is left
 * out: proliantutils reads it with ipmitool over IPMI, which the simulator does not serve.
 */
function snakeCapabilities(c: ServerCapabilities): Record<string, unknown> {
  const out: Record<string, unknown> = {
    server_model: c.serverModel,
    pci_gpu_devices: c.pciGpuDevices,
    boot_mode_bios: String(c.bootModeBios),
    boot_mode_uefi: String(c.bootModeUefi),
  };
  if (c.iloFirmwareVersion !== undefined) out.ilo_firmware_version = c.iloFirmwareVersion;
  if (c.romFirmwareVersion !== undefined) out.rom_firmware_version = c.romFirmwareVersion;
  const flags: Array<[keyof ServerCapabilities, string]> = [
    ['secureBoot', 'secure_boot'],
    ['trustedBoot', 'trusted_boot'],
    ['cpuVt', 'cpu_vt'],
    ['sriovEnabled', 'sriov_enabled'],
    ['iscsiBoot', 'iscsi_boot'],
    ['nvdimmN', 'nvdimm_n'],
    ['hardwareSupportsRaid', 'hardware_supports_raid'],
    ['hasRotational', 'has_rotational'],
    ['hasSsd', 'has_ssd'],
  ];
  for (const [ours, theirs] of flags) if (c[ours] === true) out[theirs] = 'true';
  for (const rpm of c.rotationalDriveRpms ?? []) out[`rotational_drive_${rpm}_rpm`] = 'true';
  for (const level of c.logicalRaidLevels ?? []) out[`logical_raid_level_${level}`] = 'true';
  return out;
}

const vmDict = (s: VmStatus) => ({
  DEVICE: s.device,
  VM_APPLET: s.vmApplet,
  BOOT_OPTION: s.bootOption,
  WRITE_PROTECT: s.writeProtect ? 'YES' : 'NO',
  IMAGE_INSERTED: s.imageInserted ? 'YES' : 'NO',
  IMAGE_URL: s.imageUrl ?? '',
});

beforeAll(async () => {
  sim = await IloSimulator.start({
    nodes: [
      { model: 'ProLiant DL380 Gen8' },
      { model: 'ProLiant DL380 Gen9' },
      { model: 'ProLiant DL380 Gen8' },
      { model: 'ProLiant DL380 Gen9' },
    ],
    password: 'python-clients-pw',
    resetDowntimeMs: 1_500,
  });
  images = createServer((req, res) =>
    res.writeHead(req.url === '/boot.iso' ? 200 : 404, { 'Content-Length': 4 }).end('ISO!'),
  );
  await new Promise<void>((r) => images.listen(0, '127.0.0.1', r));
  imageUrl = `http://127.0.0.1:${(images.address() as AddressInfo).port}/boot.iso`;
});

afterAll(async () => {
  await sim?.close();
  await new Promise((r) => images?.close(r));
});

async function pair(kind: 'proliantutils' | 'hpilo', node: SimulatedIlo) {
  return { py: new PythonIlo(kind, node.connection), ours: new IloClient(node.clientOptions()) };
}

/** After `change` (made by the Python client), both clients read the same answers. */
async function agree(
  name: string,
  read: { py: () => Promise<unknown>; ours: () => Promise<unknown> },
): Promise<void> {
  const [theirs, ours] = [await read.py(), await read.ours()];
  expect(ours, name).toEqual(theirs);
}

withPython('proliantutils against the simulator', () => {
  for (const [index, model] of [
    [0, 'Gen8'],
    [1, 'Gen9'],
  ] as const) {
    it(`reads the same answers as IloClient on a ${model}, through every operation Ironic uses`, async () => {
      const node = sim.node(index);
      const { py, ours } = await pair('proliantutils', node);
      try {
        const same = (op: string, args: unknown[], mine: () => Promise<unknown>) =>
          agree(op, { py: () => py.value(op, ...args), ours: mine });
        await same('get_product_name', [], () => ours.getProductName());
        await same('get_host_power_status', [], () => ours.getHostPowerStatus());
        await py.value('set_host_power', 'OFF');
        await same('get_host_power_status', [], () => ours.getHostPowerStatus());
        expect(node.server.power).toBe('OFF');
        await py.value('set_host_power', 'ON');
        await same('get_host_power_status', [], () => ours.getHostPowerStatus());
        await py.value('set_one_time_boot', 'CDROM');
        await same('get_one_time_boot', [], () => ours.getOneTimeBoot());
        await py.value('update_persistent_boot', ['NETWORK']);
        await same('get_persistent_boot_device', [], () => ours.getPersistentBootDevice());
        await same('get_one_time_boot', [], () => ours.getOneTimeBoot());
        await py.value('reset_server');
        await same('get_one_time_boot', [], () => ours.getOneTimeBoot());
        await same('get_current_boot_mode', [], () => ours.getCurrentBootMode());
        await same('get_pending_boot_mode', [], () => ours.getPendingBootMode());
        await same('get_supported_boot_mode', [], () => ours.getSupportedBootMode());
        if (model === 'Gen9') {
          await py.value('set_pending_boot_mode', 'LEGACY');
          await same('get_pending_boot_mode', [], () => ours.getPendingBootMode());
          await py.value('set_pending_boot_mode', 'UEFI');
          await py.value('set_secure_boot_mode', true);
          await py.value('reset_server');
          await same('get_secure_boot_mode', [], () => ours.getSecureBootMode());
          expect(await ours.getSecureBootMode()).toBe(true);
        } else {
          expect((await py.call('get_secure_boot_mode')) as { error: string }).toMatchObject({
            error: 'IloCommandNotSupportedError',
          });
          await expect(ours.getSecureBootMode()).rejects.toThrow(IloCommandNotSupported);
        }
        const vm = () => ours.getVmStatus('CDROM').then(vmDict);
        await same('get_vm_status', ['CDROM'], vm);
        await py.value('insert_virtual_media', imageUrl, 'CDROM');
        await py.value('set_vm_status', 'CDROM', 'CONNECT', 'YES');
        await same('get_vm_status', ['CDROM'], vm);
        expect(node.server.cdrom.imageUrl).toBe(imageUrl);
        await py.value('eject_virtual_media', 'CDROM');
        await same('get_vm_status', ['CDROM'], vm);
        await py.value('eject_virtual_media', 'CDROM'); // nothing inserted: a no-op
        await same('get_essential_properties', [], () => ours.getEssentialProperties().then(snakeEssentials));
        await same('get_server_capabilities', [], () => ours.getServerCapabilities().then(snakeCapabilities));
        await same('get_host_uuid', [], () => ours.getHostUuid().then((u) => [u.productName, u.uuid]));
        const health = await py.value<{ GET_EMBEDDED_HEALTH_DATA: Record<string, Record<string, unknown>> }>(
          'get_host_health_data',
        );
        const ourHealth = await ours.getHostHealthData();
        const fans = health.GET_EMBEDDED_HEALTH_DATA.FANS?.FAN as Array<{ LABEL: { VALUE: string } }>;
        expect(ourHealth.fans.map((f) => f.label)).toEqual(fans.map((f) => f.LABEL.VALUE));
        const licenses = await py.value<Record<string, string>>('get_all_licenses');
        const [licence] = await ours.getAllLicenses();
        expect(licence).toEqual({
          type: licenses.LICENSE_TYPE,
          key: licenses.LICENSE_KEY,
          installDate: licenses.LICENSE_INSTALL_DATE,
          licenseClass: licenses.LICENSE_CLASS,
        });
      } finally {
        await py.close();
        await ours.close();
      }
    });
  }

  it('resets the iLO and waits for it, on a Gen8 and a Gen9', { timeout: 90_000 }, async () => {
    const clients = await Promise.all([
      pair('proliantutils', sim.node(0)),
      pair('proliantutils', sim.node(1)),
    ]);
    try {
      // proliantutils sleeps 10 s, then polls get_product_name every 5 s until the iLO answers.
      const answers = await Promise.all(clients.map(({ py }) => py.call('reset_ilo')));
      expect(answers).toEqual([{ ok: null }, { ok: null }]);
      for (const i of [0, 1]) {
        expect(sim.node(i).log.some((e) => e.command === 'RESET_RIB')).toBe(true);
        expect(await clients[i]!.ours.getHostPowerStatus()).toBe('ON');
      }
    } finally {
      for (const { py, ours } of clients) {
        await py.close();
        await ours.close();
      }
    }
  });
});

withPython('python-hpilo against the simulator', () => {
  for (const [index, model] of [
    [2, 'Gen8'],
    [3, 'Gen9'],
  ] as const) {
    it(`reads the same answers as IloClient on a ${model}`, async () => {
      const node = sim.node(index);
      const { py, ours } = await pair('hpilo', node);
      try {
        expect(await py.value('get_product_name')).toBe(await ours.getProductName());
        expect(await py.value('get_host_power_status')).toBe(await ours.getHostPowerStatus());
        await py.value('set_host_power', false);
        expect(await ours.getHostPowerStatus()).toBe('OFF');
        await py.value('press_pwr_btn');
        expect(await py.value('get_host_power_status')).toBe(await ours.getHostPowerStatus());
        await py.value('hold_pwr_btn');
        expect(await ours.getHostPowerStatus()).toBe('OFF');
        await py.value('set_host_power', true);
        await py.value('set_one_time_boot', 'cdrom');
        expect((await ours.getOneTimeBoot()).toLowerCase()).toBe(await py.value('get_one_time_boot'));
        const order = await py.value<unknown[]>('get_persistent_boot');
        const first = await ours.getPersistentBootDevice();
        if (model === 'Gen8') {
          expect(first?.toLowerCase()).toBe(order[0]);
          await py.value('set_persistent_boot', 'network,hdd');
          expect(await ours.getPersistentBootDevice()).toBe('NETWORK');
        } else {
          // UEFI: (BootXXXX, description) pairs; the first one's description classifies the device.
          expect((order[0] as [string, string])[1]).toContain('Logical Drive');
          expect(first).toBe('HDD');
        }
        expect(await py.value('get_current_boot_mode')).toBe(await ours.getCurrentBootMode());
        expect(await py.value('get_pending_boot_mode')).toBe(await ours.getPendingBootMode());
        const supported = {
          LEGACY_ONLY: 'legacy bios only',
          LEGACY_UEFI: 'legacy bios and uefi',
          UEFI_ONLY: 'uefi only',
        };
        expect(supported[await py.value<keyof typeof supported>('get_supported_boot_mode')]).toBe(
          await ours.getSupportedBootMode(),
        );
        await py.value('insert_virtual_media', 'cdrom', imageUrl);
        await py.value('set_vm_status', 'cdrom', 'connect', true);
        const status = await py.value<Record<string, unknown>>('get_vm_status', 'CDROM');
        const mine = await ours.getVmStatus('CDROM');
        expect([mine.imageInserted, mine.imageUrl]).toEqual([
          status.image_inserted === 'YES',
          status.image_url,
        ]);
        if (model === 'Gen8')
          expect(vmDict(mine)).toEqual(
            Object.fromEntries(Object.entries(status).map(([k, v]) => [k.toUpperCase(), v])),
          );
        await py.value('eject_virtual_media', 'cdrom');
        expect((await ours.getVmStatus('CDROM')).imageInserted).toBe(false);
        const health = await py.value<{
          firmware_information: Record<string, string>;
          processors: Record<string, unknown>;
        }>('get_embedded_health');
        const ourHealth = await ours.getHostHealthData();
        expect(Object.fromEntries(ourHealth.firmware.map((f) => [f.name, f.version]))).toEqual(
          health.firmware_information,
        );
        expect(ourHealth.processors.map((p) => p.label)).toEqual(Object.keys(health.processors));
        const xml = await py.value<{ hsi: { spn: string; cuuid: string } }>('xmldata');
        expect(await ours.getHostUuid()).toEqual({ productName: xml.hsi.spn, uuid: xml.hsi.cuuid });
        const [licence] = await py.value<Array<Record<string, string>>>('get_all_licenses');
        expect((await ours.getAllLicenses())[0]?.key).toBe(licence?.license_key);
        await py.value('reset_rib');
        expect(node.isDown()).toBe(true);
        while (node.isDown()) await sleep(100);
        expect(await py.value('get_host_power_status')).toBe(await ours.getHostPowerStatus());
      } finally {
        await py.close();
        await ours.close();
      }
    });
  }
});
