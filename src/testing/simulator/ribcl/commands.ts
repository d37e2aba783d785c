import type { SimulatedServer, SimulatedUser } from '../server.js';
import { embeddedHealth } from './health.js';
import { el, esc, field, type RequestElement } from './xml.js';

/** What a command answers: a payload, an informational message, an INFORM, or a failure. */
export type CommandResult =
  | { ok: true; payload?: string; message?: string; inform?: string }
  | { ok: false; status: string; message: string };

/** What a command handler may use. */
export interface CommandContext {
  server: SimulatedServer;
  user: SimulatedUser;
  /** Asks for an iLO reset once the reply is sent (`RESET_RIB`). */
  requestIloReset: () => void;
}

type Handler = (ctx: CommandContext, cmd: RequestElement) => CommandResult;

const OK: CommandResult = { ok: true };
const fail = (status: string, message: string): CommandResult => ({ ok: false, status, message });
const yes = (v: string | undefined): boolean => /^(y|yes|t|true|1)$/i.test(v ?? '');
const notSupported = (cmd: RequestElement) => fail('0x003C', `Feature not supported - ${cmd.tag}`);
const badVm = () => fail('0x0035', 'An invalid Virtual Media option has been given');

function valueAttr(cmd: RequestElement): string {
  return cmd.attrs.value ?? cmd.attrs.device ?? '';
}

const ONE_TIME_TARGETS = new Set([
  'NORMAL',
  'FLOPPY',
  'CDROM',
  'HDD',
  'USB',
  'RBSU',
  'NETWORK',
  'EMB-MENU',
  'EMB-ACU',
  'EMB-HPSUM-AUTO',
  'EMB-DIAGS',
]);

function device(cmd: RequestElement): 'FLOPPY' | 'CDROM' | undefined {
  const d = (cmd.attrs.device ?? '').toUpperCase();
  return d === 'FLOPPY' || d === 'CDROM' ? d : undefined;
}

function bootModeCommand(read: (s: SimulatedServer) => string): Handler {
  return ({ server }, cmd) => {
    if (!server.personality.bootModeCommands) return notSupported(cmd);
    return { ok: true, payload: el(cmd.tag, {}, [field('BOOT_MODE', read(server))]) };
  };
}

function setPersistentBoot({ server }: CommandContext, cmd: RequestElement): CommandResult {
  const wanted = cmd.children.filter((c) => c.tag === 'DEVICE').map((c) => c.attrs.value ?? '');
  if (server.bootMode === 'UEFI') {
    const options = wanted.map((w) =>
      server.uefiBootOrder.find((o) => o.id.toLowerCase() === w.toLowerCase()),
    );
    if (options.some((o) => o === undefined)) return fail('0x0001', 'Error: invalid boot device');
    const chosen = options as NonNullable<(typeof options)[number]>[];
    server.uefiBootOrder = [...chosen, ...server.uefiBootOrder.filter((o) => !chosen.includes(o))];
  } else {
    const names = wanted.map((w) => w.toUpperCase());
    if (names.some((n) => !server.legacyBootOrder.includes(n)))
      return fail('0x0001', 'Error: invalid boot device');
    server.legacyBootOrder = [...names, ...server.legacyBootOrder.filter((d) => !names.includes(d))];
  }
  server.continuousOverride = null;
  return OK;
}

function setVmStatus({ server }: CommandContext, cmd: RequestElement): CommandResult {
  const dev = device(cmd);
  if (dev === undefined) return badVm();
  const slot = server.media(dev);
  for (const child of cmd.children) {
    const value = (child.attrs.value ?? '').toUpperCase();
    if (child.tag === 'VM_BOOT_OPTION') {
      if (value === 'CONNECT') slot.connected = slot.inserted;
      else if (value === 'DISCONNECT') slot.connected = false;
      else if (value === 'BOOT_ONCE' || value === 'BOOT_ALWAYS' || value === 'NO_BOOT')
        slot.bootOption = value;
      else return badVm();
    } else if (child.tag === 'VM_WRITE_PROTECT') {
      slot.writeProtect = yes(value);
    } else return badVm();
  }
  return OK;
}

function modUser({ server }: CommandContext, cmd: RequestElement): CommandResult {
  const target = server.users.find((u) => u.login === cmd.attrs.user_login);
  if (target === undefined) return fail('0x000A', 'User login name was not found');
  for (const child of cmd.children) {
    const value = child.attrs.value ?? '';
    if (child.tag === 'PASSWORD') {
      if (value.length < server.minPasswordLength) return fail('0x0004', 'Password is too short.');
      target.password = value;
    } else if (child.tag === 'USER_NAME') target.name = value;
  }
  return OK;
}

/** The RIBCL commands the simulator understands, by block. Anything else is a syntax error. */
export const COMMANDS: Record<string, Record<string, Handler>> = {
  SERVER_INFO: {
    GET_PRODUCT_NAME: ({ server }) => ({
      ok: true,
      payload: `<GET_PRODUCT_NAME>\n    <PRODUCT_NAME VALUE ="${esc(server.productName)}"/>\n  </GET_PRODUCT_NAME>`,
    }),
    GET_HOST_POWER_STATUS: ({ server }) => ({
      ok: true,
      payload: `<GET_HOST_POWER\n    HOST_POWER="${server.power}"\n    />`,
    }),
    SET_HOST_POWER: ({ server }, cmd) => {
      const on = yes(cmd.attrs.host_power);
      const changed = on ? server.powerOn() : server.powerOff();
      return changed ? OK : { ok: true, message: `Host power is already ${on ? 'ON' : 'OFF'}.` };
    },
    HOLD_PWR_BTN: ({ server }, cmd) => {
      if (server.power === 'ON') server.powerOff();
      else if (yes(cmd.attrs.toggle)) server.powerOn();
      else return { ok: true, message: 'Host power is already OFF.' };
      return OK;
    },
    PRESS_PWR_BTN: ({ server }) => {
      server.pressPowerButton();
      return OK;
    },
    RESET_SERVER: ({ server }) =>
      server.reset()
        ? { ok: true, message: 'Server being reset.' }
        : { ok: true, message: 'Server is currently powered off.' },
    WARM_BOOT_SERVER: ({ server }) =>
      server.reset() ? OK : { ok: true, message: 'Server is currently powered off.' },
    COLD_BOOT_SERVER: ({ server }) => {
      server.powerOff();
      server.powerOn();
      return OK;
    },
    GET_ONE_TIME_BOOT: ({ server }) => ({
      ok: true,
      payload: el('ONE_TIME_BOOT', {}, [field('BOOT_TYPE', server.oneTimeBoot)]),
    }),
    SET_ONE_TIME_BOOT: ({ server }, cmd) => {
      const value = valueAttr(cmd);
      const uefi = server.uefiBootOrder.find((o) => o.id.toLowerCase() === value.toLowerCase());
      if (!ONE_TIME_TARGETS.has(value.toUpperCase()) && uefi === undefined) {
        return fail('0x0001', `Error: invalid one-time boot device "${value}"`);
      }
      server.oneTimeBoot = uefi?.id ?? (value.toUpperCase() === 'NORMAL' ? 'Normal' : value.toUpperCase());
      return OK;
    },
    GET_PERSISTENT_BOOT: ({ server }) => ({
      ok: true,
      payload: el(
        'PERSISTENT_BOOT',
        {},
        server.bootMode === 'UEFI'
          ? server.uefiBootOrder.map((o) => el('DEVICE', { value: o.id, DESCRIPTION: o.description }))
          : server.legacyBootOrder.map((d) => el('DEVICE', { value: d })),
      ),
    }),
    SET_PERSISTENT_BOOT: setPersistentBoot,
    GET_CURRENT_BOOT_MODE: bootModeCommand((s) => s.bootMode),
    GET_PENDING_BOOT_MODE: bootModeCommand((s) => (s.pendingBootModeUnknown ? 'UNKNOWN' : s.pendingBootMode)),
    GET_SUPPORTED_BOOT_MODE: ({ server }, cmd) =>
      server.personality.bootModeCommands
        ? {
            ok: true,
            payload: el(cmd.tag, {}, [field('SUPPORTED_BOOT_MODE', server.personality.supportedBootMode)]),
          }
        : notSupported(cmd),
    SET_PENDING_BOOT_MODE: ({ server }, cmd) => {
      const mode = valueAttr(cmd).toUpperCase();
      if (!server.personality.bootModeCommands) return notSupported(cmd);
      if (mode === 'UEFI' && server.personality.supportedBootMode === 'LEGACY_ONLY') return notSupported(cmd);
      if (mode !== 'UEFI' && mode !== 'LEGACY') return fail('0x0001', `Error: invalid boot mode "${mode}"`);
      server.setPendingBootMode(mode);
      server.pendingBootModeUnknown = false;
      return OK;
    },
    GET_EMBEDDED_HEALTH: ({ server }) => ({ ok: true, payload: embeddedHealth(server) }),
    GET_POWER_READINGS: ({ server }) => {
      const watts = server.power === 'ON' ? (server.inventory.powerWatts ?? 120) : 0;
      return {
        ok: true,
        payload: el('GET_POWER_READINGS', {}, [
          field('PRESENT_POWER_READING', watts, 'Watts'),
          field('AVERAGE_POWER_READING', watts, 'Watts'),
          field('MAXIMUM_POWER_READING', watts, 'Watts'),
          field('MINIMUM_POWER_READING', watts, 'Watts'),
        ]),
      };
    },
  },
  RIB_INFO: {
    GET_FW_VERSION: ({ server }) => {
      const p = server.personality;
      const attrs = {
        FIRMWARE_VERSION: p.iloFirmware.version,
        FIRMWARE_DATE: p.iloFirmware.date,
        MANAGEMENT_PROCESSOR: p.iloName.replace(' ', ''),
        LICENSE_TYPE: server.licenses[0]?.type ?? p.license,
      };
      return { ok: true, payload: el('GET_FW_VERSION', attrs) };
    },
    GET_VM_STATUS: ({ server }, cmd) => {
      const dev = device(cmd);
      if (dev === undefined) return badVm();
      const slot = server.media(dev);
      const attrs = {
        VM_APPLET: 'DISCONNECTED',
        DEVICE: dev,
        BOOT_OPTION: slot.bootOption,
        WRITE_PROTECT: slot.writeProtect ? 'YES' : 'NO',
        IMAGE_INSERTED: slot.inserted ? 'YES' : 'NO',
        IMAGE_URL: slot.imageUrl ?? '',
      };
      return { ok: true, payload: el('GET_VM_STATUS', attrs) };
    },
    INSERT_VIRTUAL_MEDIA: ({ server }, cmd) => {
      const dev = device(cmd);
      const url = cmd.attrs.image_url ?? '';
      if (dev === undefined || !/^https?:\/\//i.test(url)) return badVm();
      server.media(dev).insert(url);
      return OK;
    },
    EJECT_VIRTUAL_MEDIA: ({ server }, cmd) => {
      const dev = device(cmd);
      if (dev === undefined) return badVm();
      server.media(dev).eject();
      return OK;
    },
    SET_VM_STATUS: setVmStatus,
    GET_ALL_LICENSES: ({ server }) => ({
      ok: true,
      payload: el(
        'GET_ALL_LICENSES',
        {},
        server.licenses.map((l) =>
          el('LICENSE', {}, [
            field('LICENSE_TYPE', l.type),
            field('LICENSE_KEY', l.key),
            field('LICENSE_INSTALL_DATE', l.installDate),
            field('LICENSE_CLASS', l.licenseClass),
          ]),
        ),
      ),
    }),
    LICENSE: ({ server }, cmd) => {
      const key = cmd.children.find((c) => c.tag === 'ACTIVATE')?.attrs.key ?? '';
      return server.activateLicense(key) ? OK : fail('0x002E', 'License key error');
    },
    RESET_RIB: (ctx) => {
      ctx.requestIloReset();
      return { ok: true, inform: 'Integrated Lights-Out will reset at the end of the script.' };
    },
  },
  USER_INFO: {
    MOD_USER: modUser,
    GET_ALL_USERS: ({ server }) => ({
      ok: true,
      payload: el(
        'GET_ALL_USERS',
        {},
        server.users.map((u) => field('USER_LOGIN', u.login)),
      ),
    }),
  },
};
