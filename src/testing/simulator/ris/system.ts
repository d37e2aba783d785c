import type { SimulatedServer } from '../server.js';
import { error, type RisAnswer, success } from './answer.js';

type Json = Record<string, unknown>;

const SYSTEM = '/rest/v1/Systems/1';
const BIOS = '/rest/v1/systems/1/bios';
const STORAGE = `${SYSTEM}/SmartStorage/ArrayControllers/0`;

/** RIS override targets and the server's boot device names. */
const TARGETS: Record<string, string> = {
  Pxe: 'NETWORK',
  Cd: 'CDROM',
  Hdd: 'HDD',
  Usb: 'USB',
  UefiTarget: 'ISCSI',
  BiosSetup: 'RBSU',
  Floppy: 'FLOPPY',
};
const TARGET_OF = Object.fromEntries(Object.entries(TARGETS).map(([k, v]) => [v, k]));

const links = (self: string, more: Record<string, string> = {}): Json => ({
  self: { href: self },
  ...Object.fromEntries(Object.entries(more).map(([k, v]) => [k, { href: v }])),
});

function collection(self: string, members: string[], items?: Json[]): Json {
  return {
    Type: 'Collection.0.9.5',
    Total: members.length,
    links: { self: { href: self }, Member: members.map((href) => ({ href })) },
    ...(items === undefined ? {} : { Items: items }),
  };
}

function bootState(server: SimulatedServer): Json {
  const once = TARGET_OF[server.oneTimeBoot];
  const continuous = server.continuousOverride === null ? undefined : TARGET_OF[server.continuousOverride];
  return {
    BootSourceOverrideEnabled:
      once !== undefined ? 'Once' : continuous !== undefined ? 'Continuous' : 'Disabled',
    BootSourceOverrideTarget: once ?? continuous ?? 'None',
    BootSourceOverrideSupported: [
      'None',
      'Cd',
      'Hdd',
      'Usb',
      'Utilities',
      'Diags',
      'BiosSetup',
      'Pxe',
      'UefiShell',
      'UefiTarget',
    ],
    UefiTargetBootSourceOverride: 'None',
    UefiTargetBootSourceOverrideSupported: server.uefiBootOrder.map((o) => o.structured),
  };
}

/** `GET /rest/v1/Systems/1`. */
export function systemResource(server: SimulatedServer): Json {
  const { rom } = server.personality;
  const inv = server.inventory;
  const romVersion = `${rom.family} ${rom.version} (${rom.date})`;
  return {
    Type: 'ComputerSystem.0.9.6',
    Name: 'Computer System',
    Manufacturer: 'HP',
    Model: server.productName,
    SerialNumber: server.serialNumber,
    UUID: server.uuid,
    Power: server.power === 'ON' ? 'On' : 'Off',
    Bios: { Current: { VersionString: romVersion } },
    Boot: bootState(server),
    Memory: { TotalSystemMemoryGB: inv.memory.reduce((n, d) => n + d.sizeMb, 0) / 1024 },
    Processors: { Count: inv.processors.length, ProcessorFamily: inv.processors[0]?.name ?? '' },
    HostCorrelation: { HostMACAddress: inv.nics.map((n) => n.mac) },
    AvailableActions: [
      {
        Action: 'Reset',
        Capabilities: [
          {
            PropertyName: 'ResetType',
            AllowableValues: ['On', 'ForceOff', 'ForceRestart', 'Nmi', 'PushPowerButton'],
          },
        ],
      },
    ],
    Oem: {
      Hp: {
        Type: 'HpComputerSystemExt.0.10.1',
        Bios: { Current: { VersionString: romVersion }, UefiClass: 2 },
        PostState: server.power === 'ON' ? 'FinishedPost' : 'PowerOff',
        links: links(`${SYSTEM}`, {
          BIOS,
          SecureBoot: `${SYSTEM}/SecureBoot`,
          PCIDevices: `${SYSTEM}/PCIDevices`,
          SmartStorage: `${SYSTEM}/SmartStorage`,
        }),
      },
    },
    links: links(SYSTEM),
  };
}

/** `POST /rest/v1/Systems/1`: `Reset` and `PowerButton` actions. */
export function systemAction(server: SimulatedServer, body: Json): RisAnswer {
  if (body.Action === 'Reset') {
    switch (body.ResetType) {
      case 'On':
        server.powerOn();
        return success();
      case 'ForceOff':
        server.powerOff();
        return success();
      case 'ForceRestart':
        if (!server.reset()) server.powerOn();
        return success();
      case 'PushPowerButton':
        server.pressPowerButton();
        return success();
      case 'Nmi':
        return server.power === 'ON' ? success() : error(400, 'Base.0.0.InvalidRequest');
      default:
        return error(400, 'Base.0.0.PropertyValueNotInList');
    }
  }
  if (body.Action === 'PowerButton') {
    if (body.PushType === 'Press') server.pressPowerButton();
    else if (body.PushType === 'PressAndHold') server.powerOff();
    else return error(400, 'Base.0.0.PropertyValueNotInList');
    return success();
  }
  return error(400, 'Base.0.0.ActionNotSupported');
}

/** `PATCH /rest/v1/Systems/1`: boot source overrides. */
export function patchSystem(server: SimulatedServer, body: Json): RisAnswer {
  const boot = body.Boot as Json | undefined;
  if (boot === undefined) return error(400, 'Base.0.0.PropertyNotWritable');
  if (boot.UefiTargetBootSourceOverride !== undefined && Object.keys(boot).length === 1) return success();
  const enabled = boot.BootSourceOverrideEnabled;
  const target = boot.BootSourceOverrideTarget;
  if (enabled === 'Disabled' || target === 'None') {
    server.oneTimeBoot = 'Normal';
    server.continuousOverride = null;
    return success();
  }
  const device = typeof target === 'string' ? TARGETS[target] : undefined;
  if (device === undefined || (enabled !== 'Once' && enabled !== 'Continuous')) {
    return error(400, 'Base.0.0.PropertyValueNotInList');
  }
  // RIS has one override: a new one replaces the other kind.
  server.oneTimeBoot = enabled === 'Once' ? device : 'Normal';
  server.continuousOverride = enabled === 'Continuous' ? device : null;
  return success();
}

/** The BIOS resources under `/rest/v1/systems/1/bios`. */
export function biosResource(server: SimulatedServer, which: string): Json | undefined {
  switch (which) {
    case '':
      return {
        ...server.bios,
        Type: 'HpBios.1.2.0',
        links: links(BIOS, {
          Settings: `${BIOS}/Settings`,
          BaseConfigs: `${BIOS}/BaseConfigs`,
          Boot: `${BIOS}/Boot`,
        }),
      };
    case 'settings':
      return {
        ...server.bios,
        ...(server.pendingBios ?? {}),
        Type: 'HpBios.1.2.0',
        links: links(`${BIOS}/Settings`),
      };
    case 'baseconfigs':
      return {
        Type: 'HpBaseConfigs.0.10.0',
        BaseConfigs: [{ default: { ...server.defaultBios } }],
        links: links(`${BIOS}/BaseConfigs`),
      };
    case 'boot':
      return {
        Type: 'HpServerBootSettings.1.2.0',
        BootSources: server.uefiBootOrder.map((o) => ({
          BootString: o.description,
          StructuredBootString: o.structured,
          CorrelatableID: '',
          UEFIDevicePath: '',
        })),
        PersistentBootConfigOrder: server.uefiBootOrder.map((o) => o.structured),
        DefaultBootOrder: [
          'Floppy',
          'Cd',
          'Usb',
          'EmbeddedStorage',
          'PcieSlotStorage',
          'EmbeddedFlexLOM',
          'PcieSlotNic',
          'UefiShell',
        ],
        links: links(`${BIOS}/Boot`),
      };
    default:
      return undefined;
  }
}

/** `PATCH /rest/v1/systems/1/bios/Settings`: queued for the next boot. */
export function patchBiosSettings(server: SimulatedServer, body: Json): RisAnswer {
  const changes = { ...body };
  delete changes.links;
  delete changes.Type;
  if (typeof changes.BootMode === 'string') {
    const mode = changes.BootMode.toLowerCase();
    if (mode !== 'uefi' && mode !== 'legacybios') return error(400, 'Base.0.0.PropertyValueNotInList');
    changes.BootMode = mode === 'uefi' ? 'Uefi' : 'LegacyBios';
  }
  server.changeBios(changes);
  return success();
}

/** `GET /rest/v1/Systems/1/SecureBoot`. */
export function secureBootResource(server: SimulatedServer): Json {
  return {
    Type: 'HpSecureBoot.0.9.5',
    Name: 'SecureBoot',
    SecureBootCurrentState: server.secureBootCurrent,
    SecureBootEnable: server.secureBootEnable,
    ResetToDefaultKeys: false,
    ResetAllKeys: false,
    links: links(`${SYSTEM}/SecureBoot`),
  };
}

/** `PATCH /rest/v1/Systems/1/SecureBoot`: enable, reset or clear the keys (UEFI only). */
export function patchSecureBoot(server: SimulatedServer, body: Json): RisAnswer {
  if (server.bootMode !== 'UEFI') return error(400, 'iLO.0.10.UefiBootModeRequired');
  if (typeof body.SecureBootEnable === 'boolean') server.secureBootEnable = body.SecureBootEnable;
  if (body.ResetToDefaultKeys === true) server.secureBootKeys = 'default';
  if (body.ResetAllKeys === true) server.secureBootKeys = 'cleared';
  return success();
}

/** `GET /rest/v1/Systems/1/PCIDevices`: NIC adapters, GPUs and the array controller. */
export function pciDevices(server: SimulatedServer): Json {
  const inv = server.inventory;
  const adapters = [...new Set(inv.nics.map((n) => n.adapter).filter((a): a is string => a !== undefined))];
  const devices = [
    { Name: 'Smart Array P440ar Controller', ClassCode: 1, SubclassCode: 4 },
    ...adapters.map((Name) => ({ Name, ClassCode: 2, SubclassCode: 0 })),
    ...inv.gpus.map((Name) => ({ Name, ClassCode: 3, SubclassCode: 0 })),
  ];
  const self = `${SYSTEM}/PCIDevices`;
  return {
    ...collection(
      self,
      devices.map((_, i) => `${self}/${i + 1}`),
    ),
    Items: devices.map((d, i) => ({
      ...d,
      Id: String(i + 1),
      Type: 'HpServerPciDevice.1.0.0',
      links: links(`${self}/${i + 1}`),
    })),
  };
}

/** SmartStorage: one array controller with the inventory's logical and physical drives. */
export function storageResource(server: SimulatedServer, rest: string): Json | undefined {
  const inv = server.inventory;
  if (rest === '')
    return {
      Type: 'HpSmartStorage.1.0.0',
      links: links(`${SYSTEM}/SmartStorage`, { ArrayControllers: `${SYSTEM}/SmartStorage/ArrayControllers` }),
    };
  if (rest === '/arraycontrollers') return collection(`${SYSTEM}/SmartStorage/ArrayControllers`, [STORAGE]);
  if (rest === '/arraycontrollers/0') {
    return {
      Type: 'HpSmartStorageArrayController.1.0.0',
      Model: 'Smart Array P440ar Controller',
      links: links(STORAGE, {
        LogicalDrives: `${STORAGE}/LogicalDrives`,
        PhysicalDrives: `${STORAGE}/DiskDrives`,
      }),
    };
  }
  if (rest === '/arraycontrollers/0/logicaldrives') {
    return collection(
      `${STORAGE}/LogicalDrives`,
      inv.logicalDrives.map((_, i) => `${STORAGE}/LogicalDrives/${i + 1}`),
    );
  }
  if (rest === '/arraycontrollers/0/diskdrives') {
    return collection(
      `${STORAGE}/DiskDrives`,
      inv.disks.map((_, i) => `${STORAGE}/DiskDrives/${i}`),
    );
  }
  const logical = /^\/arraycontrollers\/0\/logicaldrives\/(\d+)$/.exec(rest);
  const l = logical === null ? undefined : inv.logicalDrives[Number(logical[1]) - 1];
  if (l !== undefined) {
    return {
      Type: 'HpSmartStorageLogicalDrive.1.1.0',
      CapacityMiB: l.capacityGb * 1024,
      Raid: l.raidLevel,
      LogicalDriveNumber: Number(logical![1]),
      links: links(`${STORAGE}/LogicalDrives/${logical![1]}`),
    };
  }
  const disk = /^\/arraycontrollers\/0\/diskdrives\/(\d+)$/.exec(rest);
  const d = disk === null ? undefined : inv.disks[Number(disk[1])];
  if (d !== undefined) {
    return {
      Type: 'HpSmartStorageDiskDrive.1.0.0',
      CapacityMiB: d.capacityGb * 1024,
      MediaType: d.mediaType,
      ...(d.rotationalSpeedRpm === undefined ? {} : { RotationalSpeedRpm: d.rotationalSpeedRpm }),
      Model: d.model ?? '',
      SerialNumber: d.serialNumber ?? '',
      Location: `1I:1:${Number(disk![1]) + 1}`,
      links: links(`${STORAGE}/DiskDrives/${disk![1]}`),
    };
  }
  return undefined;
}
