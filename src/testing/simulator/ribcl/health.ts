import type { SimulatedFan, SimulatedFirmware, SimulatedTemperature } from '../inventory.js';
import type { SimulatedServer } from '../server.js';
import { el, field } from './xml.js';

const size = (mb: number): string => (mb % 1024 === 0 ? `${mb / 1024} GB` : `${mb} MB`);

/** Fans, temperatures and firmware of the inventory, or the personality's defaults. */
export function sensors(server: SimulatedServer): {
  fans: SimulatedFan[];
  temperatures: SimulatedTemperature[];
  firmware: SimulatedFirmware[];
} {
  const inv = server.inventory;
  const { iloFirmware, rom } = server.personality;
  return {
    fans: inv.fans ?? [1, 2, 3, 4].map((n) => ({ label: `Fan ${n}`, zone: 'System', speedPercent: 22 })),
    temperatures: inv.temperatures ?? [
      {
        label: '01-Inlet Ambient',
        location: 'Ambient',
        celsius: 19,
        cautionCelsius: 42,
        criticalCelsius: 46,
      },
      ...inv.processors.map((_, i) => ({
        label: `${String(i + 2).padStart(2, '0')}-CPU ${i + 1}`,
        location: 'CPU',
        celsius: 40,
        cautionCelsius: 70,
        criticalCelsius: null,
      })),
      ...inv.gpus.map((_, i) => ({
        label: `${String(i + 2 + inv.processors.length).padStart(2, '0')}-GPU ${i + 1}`,
        location: 'I/O Board',
        celsius: 45,
        cautionCelsius: 95,
        criticalCelsius: 100,
      })),
    ],
    firmware: inv.firmware ?? [
      { name: 'HP ProLiant System ROM', version: rom.date },
      { name: 'HP ProLiant System ROM - Backup', version: rom.date },
      { name: 'iLO', version: `${iloFirmware.version} ${iloFirmware.date}` },
    ],
  };
}

function reading(tag: string, value: number | null): string {
  return value === null ? field(tag, 'N/A') : field(tag, value, 'Celsius');
}

function memory(server: SimulatedServer, g7: boolean): string {
  const inv = server.inventory;
  const perCpu = inv.socketsPerCpu ?? 12;
  const sockets = inv.processors.flatMap((_, c) =>
    Array.from({ length: perCpu }, (_, s) => ({
      cpu: c + 1,
      socket: s + 1,
      dimm: inv.memory.find((d) => d.cpu === c + 1 && d.socket === s + 1),
    })),
  );
  if (g7) {
    return el('MEMORY', {}, [
      el(
        'MEMORY_COMPONENTS',
        {},
        sockets.map(({ cpu, socket, dimm }) =>
          el('MEMORY_COMPONENT', {}, [
            field('MEMORY_LOCATION', `PROC ${cpu} DIMM ${socket}`),
            field('MEMORY_SIZE', dimm === undefined ? 'Not Installed' : `${dimm.sizeMb} MB`),
            field('MEMORY_SPEED', `${dimm?.speedMhz ?? 0} MHz`),
          ]),
        ),
      ),
    ]);
  }
  const summary = inv.processors.map((_, c) => {
    const dimms = inv.memory.filter((d) => d.cpu === c + 1);
    const total = dimms.reduce((n, d) => n + d.sizeMb, 0);
    return el(`CPU_${c + 1}`, {}, [
      field('NUMBER_OF_SOCKETS', perCpu),
      field('TOTAL_MEMORY_SIZE', total === 0 ? 'N/A' : size(total)),
      field('OPERATING_FREQUENCY', dimms[0] === undefined ? 'N/A' : `${dimms[0].speedMhz} MHz`),
      field('OPERATING_VOLTAGE', dimms[0] === undefined ? 'N/A' : '1.50 v'),
    ]);
  });
  const details = sockets.map(({ cpu, socket, dimm }) =>
    el(`CPU_${cpu}`, {}, [
      field('SOCKET', socket),
      field('STATUS', dimm === undefined ? 'Not Present' : 'Good, In Use'),
      field('HP_SMART_MEMORY', dimm === undefined ? 'N/A' : 'Yes'),
      el('PART', { NUMBER: dimm?.partNumber ?? 'N/A' }),
      field('TYPE', dimm === undefined ? 'N/A' : 'DIMM DDR3'),
      field('SIZE', dimm === undefined ? 'N/A' : `${dimm.sizeMb} MB`),
      field('FREQUENCY', dimm === undefined ? 'N/A' : `${dimm.speedMhz} MHz`),
      field('MINIMUM_VOLTAGE', dimm === undefined ? 'N/A' : '1.50 v'),
      field('RANKS', dimm === undefined ? 'N/A' : 2),
      field('TECHNOLOGY', dimm === undefined ? 'N/A' : 'RDIMM'),
    ]),
  );
  return el('MEMORY', {}, [
    el('ADVANCED_MEMORY_PROTECTION', {}, [
      field('AMP_MODE_STATUS', 'Advanced ECC'),
      field('CONFIGURED_AMP_MODE', 'Advanced ECC'),
      field('AVAILABLE_AMP_MODES', 'On-line Spare, Advanced ECC'),
    ]),
    el('MEMORY_DETAILS_SUMMARY', {}, summary),
    el('MEMORY_DETAILS', {}, details),
  ]);
}

function nics(server: SimulatedServer, g7: boolean): string {
  const inv = server.inventory;
  const port = (tag: string, name: string, mac: string, location: string) =>
    el(
      tag,
      {},
      g7
        ? [field('NETWORK_PORT', name), field('MAC_ADDRESS', mac)]
        : [
            field('NETWORK_PORT', name),
            field('PORT_DESCRIPTION', tag === 'iLO' ? name : 'N/A'),
            field('LOCATION', location),
            field('MAC_ADDRESS', mac),
            field('IP_ADDRESS', tag === 'iLO' ? '127.0.0.1' : 'N/A'),
            field('STATUS', tag === 'iLO' ? 'OK' : 'Unknown'),
          ],
    );
  const children = inv.nics.map((n) => port('NIC', n.port, n.mac, n.location ?? 'Embedded'));
  if (inv.iloMac !== undefined)
    children.push(port('iLO', 'iLO Dedicated Network Port', inv.iloMac, 'Embedded'));
  // iLO 3 firmware misspells the section; clients expect the misspelling there.
  return el(g7 ? 'NIC_INFOMATION' : 'NIC_INFORMATION', {}, children);
}

function storage(server: SimulatedServer): string {
  const inv = server.inventory;
  if (inv.logicalDrives.length === 0)
    return el('STORAGE', {}, [el('DISCOVERY_STATUS', {}, [field('STATUS', 'Discovery Complete')])]);
  const logical = inv.logicalDrives.map((l, i) =>
    el('LOGICAL_DRIVE', {}, [
      field('LABEL', String(i + 1).padStart(2, '0')),
      field('STATUS', 'OK'),
      field('CAPACITY', `${l.capacityGb} GB`),
      field(
        'FAULT_TOLERANCE',
        l.raidLevel === '1' || l.raidLevel === '1+0' ? 'RAID 1/RAID 1+0' : `RAID ${l.raidLevel}`,
      ),
      field('ENCRYPTION_STATUS', 'Not Encrypted'),
      ...l.disks.map((d) => {
        const disk = inv.disks[d];
        const bay = `Port 1I Box 1 Bay ${d + 1}`;
        return el('PHYSICAL_DRIVE', {}, [
          field('LABEL', bay),
          field('STATUS', 'OK'),
          field('SERIAL_NUMBER', disk?.serialNumber ?? `SN${d}`),
          field('MODEL', disk?.model ?? 'EG0600FCVBK'),
          field('CAPACITY', `${disk?.capacityGb ?? 0} GB`),
          field('LOCATION', bay),
          field('FW_VERSION', 'HPD5'),
          field('DRIVE_CONFIGURATION', 'Configured'),
          field('ENCRYPTION_STATUS', 'Not Encrypted'),
        ]);
      }),
    ]),
  );
  return el('STORAGE', {}, [
    el('CONTROLLER', {}, [
      field('LABEL', 'Controller on System Board'),
      field('STATUS', 'OK'),
      field('CONTROLLER_STATUS', 'OK'),
      field('SERIAL_NUMBER', `${server.serialNumber}RC`),
      field('MODEL', 'HP Smart Array P420i Controller'),
      field('FW_VERSION', '5.42'),
      ...logical,
    ]),
    el('DISCOVERY_STATUS', {}, [field('STATUS', 'Discovery Complete')]),
  ]);
}

/** `GET_EMBEDDED_HEALTH_DATA` of a simulated server, shaped as its generation's firmware writes it. */
export function embeddedHealth(server: SimulatedServer): string {
  const g7 = server.personality.generation === 'G7';
  const inv = server.inventory;
  const { fans, temperatures, firmware } = sensors(server);
  const supplies = inv.powerSupplies ?? [{ label: 'Power Supply 1' }, { label: 'Power Supply 2' }];
  const processors = inv.processors.map((p, i) =>
    el('PROCESSOR', {}, [
      field('LABEL', `Proc ${i + 1}`),
      ...(g7 ? [] : [field('NAME', p.name), field('STATUS', 'OK')]),
      field('SPEED', `${p.speedMhz} MHz`),
      field('EXECUTION_TECHNOLOGY', `${p.cores}/${p.cores} cores; ${p.threads} threads`),
      field('MEMORY_TECHNOLOGY', '64-bit Capable'),
      field('INTERNAL_L1_CACHE', `${p.cores * 32} KB`),
      field('INTERNAL_L2_CACHE', `${p.cores * 256} KB`),
      field('INTERNAL_L3_CACHE', `${p.cores * 2560} KB`),
    ]),
  );
  return el('GET_EMBEDDED_HEALTH_DATA', {}, [
    el(
      'FANS',
      {},
      fans.map((f) =>
        el('FAN', {}, [
          field('ZONE', f.zone),
          field('LABEL', f.label),
          field('STATUS', f.status ?? 'OK'),
          field('SPEED', f.speedPercent, 'Percentage'),
        ]),
      ),
    ),
    el(
      'TEMPERATURE',
      {},
      temperatures.map((t) =>
        el('TEMP', {}, [
          field('LABEL', t.label),
          field('LOCATION', t.location),
          field('STATUS', t.status ?? 'OK'),
          reading('CURRENTREADING', t.celsius),
          reading('CAUTION', t.cautionCelsius),
          reading('CRITICAL', t.criticalCelsius),
        ]),
      ),
    ),
    el('POWER_SUPPLIES', {}, [
      el('POWER_SUPPLY_SUMMARY', {}, [
        field('PRESENT_POWER_READING', `${server.power === 'ON' ? (inv.powerWatts ?? 120) : 0} Watts`),
        field('POWER_MANAGEMENT_CONTROLLER_FIRMWARE_VERSION', '3.3'),
        ...(g7
          ? []
          : [field('POWER_SYSTEM_REDUNDANCY', supplies.length > 1 ? 'Redundant' : 'Not Redundant')]),
      ]),
      ...supplies.map((s) =>
        el('SUPPLY', {}, [
          field('LABEL', s.label),
          ...(g7 ? [] : [field('PRESENT', 'Yes')]),
          field('STATUS', s.status ?? 'Good, In Use'),
          ...(g7 ? [] : [field('CAPACITY', `${s.capacityWatts ?? 800} Watts`)]),
        ]),
      ),
    ]),
    el('PROCESSORS', {}, processors),
    memory(server, g7),
    nics(server, g7),
    ...(g7 ? [] : [storage(server)]),
    el(
      'FIRMWARE_INFORMATION',
      {},
      firmware.map((f, i) =>
        el(`INDEX_${i + 1}`, {}, [field('FIRMWARE_NAME', f.name), field('FIRMWARE_VERSION', f.version)]),
      ),
    ),
    el('HEALTH_AT_A_GLANCE', {}, [
      el('BIOS_HARDWARE', { STATUS: 'OK' }),
      el('FANS', { STATUS: 'OK' }),
      el('TEMPERATURE', { STATUS: 'OK' }),
      el('POWER_SUPPLIES', { STATUS: 'OK' }),
      el('PROCESSOR', { STATUS: 'OK' }),
      el('MEMORY', { STATUS: 'OK' }),
      el('NETWORK', { STATUS: 'OK' }),
      el('STORAGE', { STATUS: 'OK' }),
    ]),
  ]);
}
