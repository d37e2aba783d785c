import { describe, expect, it } from 'vitest';
import { essentialPropertiesFrom, healthCapabilities } from '../../../src/client/inspection.js';
import { parseEmbeddedHealth, sizeToBytes } from '../../../src/client/ribcl/health.js';
import { parseRibclResponse } from '../../../src/client/ribcl/response.js';
import { parseXml } from '../../../src/client/xml.js';
import { IloOperationError } from '../../../src/errors/index.js';
import { healthXml, ribclSample } from '../../helpers/client-fixtures.js';

const health = (name: string) => parseEmbeddedHealth(parseXml(healthXml(name)));

/** proliantutils' results on the DL580 Gen8 samples (computed with proliantutils 2.14 itself). */
const DL580_ESSENTIALS = {
  properties: { memoryMb: 32768, cpus: 32, cpuArch: 'x86_64', localGb: 98 },
  macs: {
    'Port 1': '40:a8:f0:1e:86:74',
    'Port 2': '40:a8:f0:1e:86:75',
    'Port 3': '40:a8:f0:1e:86:76',
    'Port 4': '40:a8:f0:1e:86:77',
  },
};

describe('GET_EMBEDDED_HEALTH of a DL580 Gen8 (proliantutils samples)', () => {
  const variants: Record<string, string> = {
    GET_EMBEDDED_HEALTH_OUTPUT: '2.02 Sep 05 2014',
    GET_EMBEDDED_HEALTH_OUTPUT_EQ_SUGGESTED: 'iLO 2.30 Sep 2014',
    GET_EMBEDDED_HEALTH_OUTPUT_GT_SUGGESTED: '2.54 Sep 05 2014',
    GET_EMBEDDED_HEALTH_OUTPUT_UNEXPECTED_FORMAT: 'iLO x.y Sep 05 2014',
    GET_EMBEDDED_HEALTH_OUTPUT_NO_FIRMWARE: '',
  };
  for (const [name, ilo] of Object.entries(variants)) {
    it(`reads ${name} as proliantutils does, without its empty GPU slots`, () => {
      const data = health(name);
      expect(essentialPropertiesFrom(data)).toEqual(DL580_ESSENTIALS);
      // proliantutils answers 2 here: it counts the two 'GPU' sensors although both say
      // 'Not Installed'. We count installed GPUs only.
      expect(data.temperatures.filter((t) => t.label.includes('GPU')).map((t) => t.status)).toEqual([
        'Not Installed',
        'Not Installed',
      ]);
      expect(healthCapabilities(data)).toEqual({
        iloFirmwareVersion: ilo,
        romFirmwareVersion: '11/26/2014',
        pciGpuDevices: 0,
      });
    });
  }

  it('types the sensors, supplies, processors, memory, storage and NICs', () => {
    const data = health('GET_EMBEDDED_HEALTH_OUTPUT');
    expect(data.fans[0]).toEqual({
      label: 'Fan Block 1',
      zone: 'System',
      status: 'OK',
      speed: { value: 12, unit: 'Percentage' },
    });
    expect(data.temperatures[0]).toEqual({
      label: '01-Inlet Ambient',
      location: 'Ambient',
      status: 'OK',
      current: { value: 27, unit: 'Celsius' },
      caution: { value: 42, unit: 'Celsius' },
      critical: { value: 46, unit: 'Celsius' },
    });
    expect(data.power.presentPowerReading).toBe('162 Watts');
    expect(data.power.redundancy).toBe('Redundant');
    expect(data.power.supplies[0]).toMatchObject({
      label: 'Power Supply 1',
      capacity: '1200 Watts',
      model: '656364-B21',
    });
    expect(data.processors[0]).toMatchObject({
      label: 'Proc 1',
      name: 'Intel(R) Xeon(R) CPU E7-4820 v2 @ 2.00GHz',
      cores: 8,
      threads: 16,
    });
    expect(data.storage[0]?.model).toBe('HP Smart Array P830i Controller');
    expect(data.storage[0]?.logicalDrives[0]).toMatchObject({
      capacity: '99 GB',
      capacityGb: 99,
      faultTolerance: 'RAID 1/RAID 1+0',
    });
    expect(data.storage[0]?.logicalDrives[0]?.physicalDrives[0]).toMatchObject({
      model: 'EG0300FCSPH',
      capacity: '279 GB',
    });
    expect(data.nics.filter((n) => n.kind === 'ilo').map((n) => n.macAddress)).toEqual(['fc:15:b4:18:c0:d4']);
    expect(data.healthAtAGlance.memory).toEqual({ status: 'Other' });
  });

  it('reads local_gb from a list of STORAGE elements and 0 without controllers or logical drives', () => {
    const localGb = (name: string) => {
      const data = health(name);
      const sizes = data.storage.flatMap((c) => c.logicalDrives.map((l) => l.capacityGb));
      return sizes.length === 0 ? 0 : Math.min(...sizes) - 1;
    };
    expect(localGb('GET_EMBEDDED_HEALTH_OUTPUT_LIST_STORAGE')).toBe(98);
    expect(localGb('GET_EMBEDDED_HEALTH_OUTPUT_NO_CONTROLLER')).toBe(0);
    expect(localGb('GET_EMBEDDED_HEALTH_OUTPUT_NO_LOGICAL_DRIVE')).toBe(0);
  });

  it('refuses a processor whose thread count cannot be read, as proliantutils does', () => {
    const data = health('GET_EMBEDDED_HEALTH_PROCESSORS_DATA_MISSING');
    expect(data.processors[0]?.threads).toBeNull();
    const withMemory = { ...data, memory: { totalMb: 1024, modules: [] } };
    expect(() => essentialPropertiesFrom(withMemory)).toThrow(IloOperationError);
    expect(() => essentialPropertiesFrom(withMemory)).toThrow(/thread count of Proc1/);
  });
});

describe('GET_EMBEDDED_HEALTH of iLO 3 (G7)', () => {
  it('sums DIMMs and reads the misspelt NIC_INFOMATION of the ML110 G7 JSON sample', () => {
    const data = health('GET_EMBEDDED_HEALTH_OUTPUT_GEN7');
    expect(data.memory.totalMb).toBe(32768);
    expect(data.nics.filter((n) => n.kind === 'host').map((n) => [n.port, n.macAddress])).toEqual([
      ['Port 1', '78:ac:c0:fe:49:60'],
      ['Port 2', '78:ac:c0:fe:49:62'],
      ['Port 3', '78:ac:c0:fe:49:64'],
      ['Port 4', '78:ac:c0:fe:49:66'],
    ]);
  });

  it('reads the recorded ML110 G7 reply end to end', () => {
    const reply = parseRibclResponse(ribclSample('GET_HOST_HEALTH_DATA'));
    if (!reply.ok) throw new Error('failed');
    const data = parseEmbeddedHealth(reply.payloads[0]!);
    expect(essentialPropertiesFrom(data)).toEqual({
      properties: { memoryMb: 8192, cpus: 8, cpuArch: 'x86_64', localGb: 0 },
      macs: { 'Port 1': 'e4:11:5b:a9:ae:70', 'Port 2': 'e4:11:5b:a9:ae:71' },
    });
    expect(healthCapabilities(data)).toEqual({
      iloFirmwareVersion: '1.70 Pass 25 Jan 09 2014',
      romFirmwareVersion: '07/01/2013',
      pciGpuDevices: 0,
    });
    expect(data.fans.map((f) => f.label)).toEqual(['Fan 1', 'Fan 7', 'Fan 8']);
    expect(data.temperatures).toHaveLength(12);
    expect(data.power).toMatchObject({ presentPowerReading: '37 Watts', redundancy: null });
    expect(data.power.supplies.map((s) => s.status)).toEqual(['OK', 'Not Installed']);
    expect(data.memory.modules.filter((m) => m.sizeMb > 0).map((m) => m.location)).toEqual([
      'DIMM  2',
      'DIMM  4',
    ]);
    expect(data.healthAtAGlance.power_supplies).toEqual({ status: 'OK', redundancy: 'Not Redundant' });
  });
});

describe('sizeToBytes', () => {
  it('reads sizes in IEC units, as oslo string_to_bytes does', () => {
    expect(sizeToBytes('16 GB')).toBe(16 * 2 ** 30);
    expect(sizeToBytes('4096 MB')).toBe(4096 * 2 ** 20);
    expect(sizeToBytes('279.367 GB')).toBe(299968032146);
    expect(sizeToBytes('1 TB')).toBe(2 ** 40);
    expect(sizeToBytes('N/A')).toBeUndefined();
    expect(sizeToBytes('Not Installed')).toBeUndefined();
  });
});
