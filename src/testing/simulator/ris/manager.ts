import type { MediaSlot } from '../media.js';
import type { SimulatedServer } from '../server.js';
import { error, type RisAnswer, success } from './answer.js';

type Json = Record<string, unknown>;

const MANAGER = '/rest/v1/Managers/1';
const MEDIA = `${MANAGER}/VirtualMedia`;
const ACCOUNTS = '/rest/v1/AccountService/Accounts';

/** Virtual media members: 1 is the floppy/USB key, 2 the CD/DVD. */
export const MEDIA_MEMBERS: Record<string, 'FLOPPY' | 'CDROM'> = { '1': 'FLOPPY', '2': 'CDROM' };

/** `GET /rest/v1/Managers/1`. */
export function managerResource(server: SimulatedServer): Json {
  const { iloName, iloFirmware } = server.personality;
  const [major, minor] = iloFirmware.version.split('.').map(Number);
  const version = `${iloName} v${iloFirmware.version}`;
  return {
    Type: 'Manager.0.10.0',
    Name: 'Manager',
    Model: iloName,
    ManagerType: 'BMC',
    Firmware: { Current: { VersionString: version } },
    AvailableActions: [{ Action: 'Reset' }],
    Oem: {
      Hp: {
        Type: 'HpiLO.0.13.0',
        Firmware: {
          Current: {
            MajorVersion: major,
            MinorVersion: minor,
            Date: iloFirmware.date,
            VersionString: version,
          },
        },
        License: { LicenseKey: server.licenses[0]?.key ?? '', LicenseString: server.licenses[0]?.type ?? '' },
        links: {
          LicenseService: { href: `${MANAGER}/LicenseService` },
          UpdateService: { href: `${MANAGER}/UpdateService` },
        },
      },
    },
    links: { self: { href: MANAGER }, VirtualMedia: { href: MEDIA } },
  };
}

/** `GET /rest/v1/Managers/1/VirtualMedia`. */
export function mediaCollection(): Json {
  return {
    Type: 'Collection.0.9.5',
    MemberType: 'VirtualMedia.0',
    Total: 2,
    links: {
      self: { href: MEDIA },
      Member: Object.keys(MEDIA_MEMBERS).map((id) => ({ href: `${MEDIA}/${id}` })),
    },
  };
}

/** `GET /rest/v1/Managers/1/VirtualMedia/{1,2}`. */
export function mediaResource(id: string, slot: MediaSlot): Json {
  const url = slot.imageUrl ?? '';
  return {
    Type: 'VirtualMedia.0.9.5',
    Name: 'VirtualMedia',
    Image: url,
    ImageName: url === '' ? '' : (url.split('/').pop() ?? ''),
    Inserted: slot.inserted,
    ConnectedVia: slot.inserted ? 'URI' : 'NotConnected',
    WriteProtected: slot.inserted ? true : slot.writeProtect,
    MediaTypes: slot.device === 'FLOPPY' ? ['Floppy', 'USBStick'] : ['CD', 'DVD'],
    Oem: { Hp: { Type: 'HpiLOVirtualMedia.0.9.5', BootOnNextServerReset: slot.bootOption === 'BOOT_ONCE' } },
    links: { self: { href: `${MEDIA}/${id}` } },
  };
}

/** `PATCH` of a virtual media member: insert (`Image`), eject (`Image: null`), boot on next reset. */
export function patchMedia(slot: MediaSlot, body: Json): RisAnswer {
  if ('Image' in body) {
    if (body.Image === null || body.Image === '') slot.eject();
    else if (typeof body.Image !== 'string' || !/^https?:\/\//i.test(body.Image)) {
      return error(400, 'Base.0.0.PropertyValueFormatError');
    } else if (slot.inserted) {
      // RIS does not replace an image: clients eject first.
      return error(400, 'iLO.0.10.MaxVirtualMediaConnectionEstablished');
    } else {
      slot.insert(body.Image);
      slot.connected = true;
    }
  }
  const boot = ((body.Oem as Json | undefined)?.Hp as Json | undefined)?.BootOnNextServerReset;
  if (typeof boot === 'boolean') slot.bootOption = boot ? 'BOOT_ONCE' : 'NO_BOOT';
  return success();
}

/** `GET /rest/v1/AccountService/Accounts[/n]`. */
export function accounts(server: SimulatedServer, id?: string): Json | undefined {
  const member = (i: number): Json | undefined => {
    const u = server.users[i];
    if (u === undefined) return undefined;
    return {
      Type: 'ManagerAccount.0.9.7',
      UserName: u.login,
      Password: null,
      Oem: { Hp: { LoginName: u.name, Type: 'HpiLOAccount.0.9.7' } },
      links: { self: { href: `${ACCOUNTS}/${i + 1}` } },
    };
  };
  if (id !== undefined) return member(Number(id) - 1);
  const items = server.users.map((_, i) => member(i)!);
  return {
    Type: 'Collection.0.9.5',
    MemberType: 'ManagerAccount.0',
    Total: items.length,
    Items: items,
    links: { self: { href: ACCOUNTS }, Member: items.map((_, i) => ({ href: `${ACCOUNTS}/${i + 1}` })) },
  };
}

/** `PATCH` of an account: the password. */
export function patchAccount(server: SimulatedServer, id: string, body: Json): RisAnswer {
  const user = server.users[Number(id) - 1];
  if (user === undefined) return error(404, 'Base.0.0.ResourceMissingAtURI');
  if (typeof body.Password === 'string') {
    if (body.Password.length < server.minPasswordLength) return error(400, 'iLO.0.10.PasswordLengthTooShort');
    user.password = body.Password;
  }
  return success();
}
