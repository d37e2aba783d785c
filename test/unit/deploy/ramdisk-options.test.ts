import { describe, expect, it } from 'vitest';
import {
  agentIloRamdiskParams,
  buildAgentOptions,
  buildDeployRamdiskOptions,
  formatRootDeviceHints,
  generateAgentToken,
  generateDeployKey,
  getBootIf,
  InvalidParameterValue,
  iscsiIloRamdiskParams,
  MissingParameterValue,
  type Node,
  type Port,
  parseConfig,
  validateUefiBootOption,
} from '../../../src/index.js';

const UUID = '1be26c0b-03f2-4d2e-ae87-c02d7f33c123';
const config = parseConfig({ conductor: { apiUrl: 'http://10.0.0.1:6385/' } });
const KEY = 'AbCdEfGhIjKlMnOpQrStUvWxYz012345';

function node(extra: Partial<Node> = {}): Node {
  return {
    uuid: UUID,
    driver: 'iscsi_ilo',
    driverInfo: {},
    instanceInfo: {},
    driverInternalInfo: {},
    properties: {},
    provisionState: 'deploying',
    powerState: null,
    maintenance: false,
    ...extra,
  };
}

const ports: Port[] = [
  { uuid: 'p0', address: '52:54:00:00:00:01' },
  { uuid: 'p1', address: '52:54:00:00:00:02', extra: { vif_port_id: 'vif-1' } },
  { uuid: 'p2', address: '52:54:00:00:00:03', extra: { vif_port_id: 'vif-2' } },
];

function fieldsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof InvalidParameterValue) return e.fields.map((f) => f.field);
    throw e;
  }
  throw new Error('did not throw');
}

describe('iscsi_ilo floppy parameters (§3.6)', () => {
  it("are Ironic's deploy options, then the agent options, then BOOTIF, in that order", () => {
    const params = iscsiIloRamdiskParams(node(), ports, config, { deployKey: KEY, bootMode: 'uefi' });
    expect(Object.entries(params)).toEqual([
      ['deployment_id', UUID],
      ['deployment_key', KEY],
      ['iscsi_target_iqn', `iqn.2008-10.org.openstack:${UUID}`],
      ['ironic_api_url', 'http://10.0.0.1:6385'],
      ['disk', 'cciss/c0d0,sda,hda,vda'],
      ['boot_option', 'netboot'],
      ['boot_mode', 'uefi'],
      ['coreos.configdrive', 0],
      ['ipa-api-url', 'http://10.0.0.1:6385'],
      ['ipa-driver-name', 'iscsi_ilo'],
      ['BOOTIF', '52:54:00:00:00:02'],
    ]);
  });

  it('takes boot_option from the capabilities, forced to netboot for a whole-disk image', () => {
    const local = node({ instanceInfo: { capabilities: { boot_option: 'local' } } });
    expect(buildDeployRamdiskOptions(local, config, { deployKey: KEY, bootMode: null }).boot_option).toBe(
      'local',
    );
    local.driverInternalInfo.is_whole_disk_image = true;
    expect(buildDeployRamdiskOptions(local, config, { deployKey: KEY, bootMode: null }).boot_option).toBe(
      'netboot',
    );
  });

  it('defaults boot_mode to bios and uses [pxe] disk_devices', () => {
    const cfg = parseConfig({ conductor: { apiUrl: 'http://api:6385' }, pxe: { diskDevices: 'vda,sda' } });
    const opts = buildDeployRamdiskOptions(node(), cfg, { deployKey: KEY, bootMode: null });
    expect([opts.boot_mode, opts.disk]).toEqual(['bios', 'vda,sda']);
  });

  it('refuses a missing [conductor] api_url with a MissingParameterValue naming the option', () => {
    const err = (() => {
      try {
        buildDeployRamdiskOptions(node(), parseConfig(), { deployKey: KEY, bootMode: 'bios' });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(MissingParameterValue);
    expect((err as MissingParameterValue).fields.map((f) => f.field)).toEqual(['[conductor] api_url']);
    expect(() => buildAgentOptions(node(), parseConfig())).toThrow(MissingParameterValue);
  });

  it('refuses a deploy key that is not a random alphanumeric string', () => {
    expect(
      fieldsOf(() => buildDeployRamdiskOptions(node(), config, { deployKey: 'short', bootMode: 'bios' })),
    ).toEqual(['deployKey']);
  });
});

describe('agent_ilo floppy parameters (§3.6)', () => {
  it('are ipa-api-url, ipa-driver-name, coreos.configdrive, root_device and BOOTIF', () => {
    const n = node({ driver: 'agent_ilo', properties: { root_device: { serial: 'S1 X', size: 100 } } });
    expect(agentIloRamdiskParams(n, ports, config)).toEqual({
      'ipa-api-url': 'http://10.0.0.1:6385',
      'ipa-driver-name': 'agent_ilo',
      'coreos.configdrive': 0,
      root_device: 'serial=S1%20X,size=100',
      BOOTIF: '52:54:00:00:00:02',
    });
  });

  it('leaves BOOTIF out when no port has a VIF, and adds the agent token and boot_method when asked', () => {
    const token = generateAgentToken();
    const params = agentIloRamdiskParams(node({ driver: 'agent_ilo' }), [ports[0] as Port], config, {
      agentToken: token,
      bootMethod: 'vmedia',
    });
    expect(params.BOOTIF).toBeUndefined();
    expect(params['ipa-agent-token']).toBe(token);
    expect(params.boot_method).toBe('vmedia');
  });

  it('refuses a malformed agent token without echoing it', () => {
    try {
      buildAgentOptions(node(), config, { agentToken: 'bad token!' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidParameterValue);
      expect(String(e)).not.toContain('bad token!');
    }
  });
});

describe('root device hints', () => {
  it("are sorted, stripped and quoted as Python's urllib.parse.quote", () => {
    const hints = {
      wwn: '0x4000cca77fc4dba1',
      model: ' Samsung SSD 860 ',
      vendor: 'ATA!',
      by_path: '/dev/disk/by-path/pci-0000:00:1f.2-ata-1',
      rotational: false,
      size: '200',
    };
    expect(formatRootDeviceHints({ properties: { root_device: hints } })).toBe(
      'by_path=/dev/disk/by-path/pci-0000%3A00%3A1f.2-ata-1,model=Samsung%20SSD%20860,rotational=False,size=200,vendor=ATA%21,wwn=0x4000cca77fc4dba1',
    );
  });

  it('are absent when the node has none', () => {
    expect(formatRootDeviceHints({ properties: {} })).toBeUndefined();
    expect(formatRootDeviceHints({ properties: { root_device: {} } })).toBeUndefined();
  });

  it('name every unknown hint and every value of the wrong type', () => {
    expect(
      fieldsOf(() =>
        formatRootDeviceHints({
          properties: { root_device: { size: 'big', colour: 'red', rotational: 'maybe' } },
        }),
      ),
    ).toEqual([
      'properties.root_device.size',
      'properties.root_device.colour',
      'properties.root_device.rotational',
    ]);
  });
});

describe('BOOTIF and keys', () => {
  it('is the first port with a vif_port_id', () => {
    expect(getBootIf(ports)).toBe('52:54:00:00:00:02');
    expect(getBootIf([{ address: 'a', extra: { vif_port_id: '' } }])).toBeUndefined();
  });

  it('generates 32-character alphanumeric deploy keys and URL-safe agent tokens, all different', () => {
    const keys = new Set(Array.from({ length: 200 }, generateDeployKey));
    expect(keys.size).toBe(200);
    for (const k of keys) expect(k).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(generateAgentToken()).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});

describe('validateUefiBootOption (bug 1432498)', () => {
  it('refuses a whole-disk image net-booted in UEFI mode, naming boot_option', () => {
    expect(
      fieldsOf(() =>
        validateUefiBootOption(node(), 'uefi', { isWholeDiskImage: true, bootOption: 'netboot' }),
      ),
    ).toEqual(['instance_info.capabilities.boot_option']);
  });

  it('accepts local boot, partition images and BIOS', () => {
    expect(() =>
      validateUefiBootOption(node(), 'uefi', { isWholeDiskImage: true, bootOption: 'local' }),
    ).not.toThrow();
    expect(() =>
      validateUefiBootOption(node(), 'uefi', { isWholeDiskImage: false, bootOption: 'netboot' }),
    ).not.toThrow();
    expect(() =>
      validateUefiBootOption(node(), 'bios', { isWholeDiskImage: true, bootOption: 'netboot' }),
    ).not.toThrow();
  });
});
