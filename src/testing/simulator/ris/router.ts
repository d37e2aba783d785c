import type { SimulatedServer } from '../server.js';
import { error, ok, type RisAnswer, success } from './answer.js';
import {
  accounts,
  MEDIA_MEMBERS,
  managerResource,
  mediaCollection,
  mediaResource,
  patchAccount,
  patchMedia,
} from './manager.js';
import {
  biosResource,
  patchBiosSettings,
  patchSecureBoot,
  patchSystem,
  pciDevices,
  secureBootResource,
  storageResource,
  systemAction,
  systemResource,
} from './system.js';

type Json = Record<string, unknown>;

/** What `/rest/v1` needs from its simulated iLO. */
export interface RisEnvironment {
  server: SimulatedServer;
  requestIloReset: () => void;
}

const READ_ONLY = 'GET, HEAD';

/** The user a `Basic` authorization header names, if the credentials are right. */
export function basicUser(server: SimulatedServer, header: string | undefined): string | undefined {
  const m = /^basic\s+(\S+)$/i.exec(header ?? '');
  if (m === null) return undefined;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return server.authenticate(decoded.slice(0, colon), decoded.slice(colon + 1))?.login;
}

function get(env: RisEnvironment, path: string): RisAnswer | undefined {
  const s = env.server;
  if (path === '/rest/v1')
    return ok(
      {
        Type: 'ServiceRoot.0.9.5',
        links: { Systems: { href: '/rest/v1/Systems' }, Managers: { href: '/rest/v1/Managers' } },
      },
      READ_ONLY,
    );
  if (path === '/rest/v1/systems/1') return ok(systemResource(s));
  if (path === '/rest/v1/systems/1/secureboot') return ok(secureBootResource(s), 'GET, HEAD, PATCH');
  if (path === '/rest/v1/systems/1/pcidevices') return ok(pciDevices(s), READ_ONLY);
  const bios = /^\/rest\/v1\/systems\/1\/bios(?:\/(settings|baseconfigs|boot))?$/.exec(path);
  if (bios !== null) {
    const which = bios[1] ?? '';
    const body = biosResource(s, which);
    return body === undefined ? undefined : ok(body, which === 'settings' ? 'GET, HEAD, PATCH' : READ_ONLY);
  }
  const storage = /^\/rest\/v1\/systems\/1\/smartstorage(.*)$/.exec(path);
  if (storage !== null) {
    const body = storageResource(s, storage[1]!);
    return body === undefined ? undefined : ok(body, READ_ONLY);
  }
  if (path === '/rest/v1/managers/1') return ok(managerResource(s), 'GET, HEAD, POST');
  if (path === '/rest/v1/managers/1/virtualmedia') return ok(mediaCollection(), READ_ONLY);
  const media = /^\/rest\/v1\/managers\/1\/virtualmedia\/(\d+)$/.exec(path);
  const device = media === null ? undefined : MEDIA_MEMBERS[media[1]!];
  if (device !== undefined) return ok(mediaResource(media![1]!, s.media(device)), 'GET, HEAD, PATCH');
  const account = /^\/rest\/v1\/accountservice\/accounts(?:\/(\d+))?$/.exec(path);
  if (account !== null) {
    const body = accounts(s, account[1]);
    return body === undefined
      ? undefined
      : ok(body, account[1] === undefined ? READ_ONLY : 'GET, HEAD, PATCH');
  }
  return undefined;
}

function change(env: RisEnvironment, method: string, path: string, body: Json): RisAnswer | undefined {
  const s = env.server;
  if (method === 'POST' && path === '/rest/v1/systems/1') return systemAction(s, body);
  if (method === 'PATCH' && path === '/rest/v1/systems/1') return patchSystem(s, body);
  if (method === 'PATCH' && path === '/rest/v1/systems/1/bios/settings') return patchBiosSettings(s, body);
  if (method === 'PATCH' && path === '/rest/v1/systems/1/secureboot') return patchSecureBoot(s, body);
  if (method === 'POST' && path === '/rest/v1/managers/1') {
    if (body.Action !== 'Reset') return error(400, 'Base.0.0.ActionNotSupported');
    env.requestIloReset();
    return success();
  }
  if (method === 'POST' && path === '/rest/v1/managers/1/licenseservice') {
    return s.activateLicense(String(body.LicenseKey ?? ''))
      ? success()
      : error(400, 'iLO.0.10.LicenseKeyNotSupported');
  }
  const media = /^\/rest\/v1\/managers\/1\/virtualmedia\/(\d+)$/.exec(path);
  const device = media === null ? undefined : MEDIA_MEMBERS[media[1]!];
  if (method === 'PATCH' && device !== undefined) return patchMedia(s.media(device), body);
  const account = /^\/rest\/v1\/accountservice\/accounts\/(\d+)$/.exec(path);
  if (method === 'PATCH' && account !== null) return patchAccount(s, account[1]!, body);
  return undefined;
}

/**
 * Answers one `/rest/v1` request of an authenticated user. Paths match case-insensitively, with or
 * without a trailing slash; a known resource with the wrong method is 405, an unknown one 404.
 */
export function answerRis(env: RisEnvironment, method: string, rawPath: string, body: unknown): RisAnswer {
  const path = rawPath.split('?')[0]!.toLowerCase().replace(/\/+$/, '');
  if (method === 'GET' || method === 'HEAD')
    return get(env, path) ?? error(404, 'Base.0.0.ResourceMissingAtURI');
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return error(400, 'Base.0.0.MalformedJSON');
  const answer = change(env, method, path, body as Json);
  if (answer !== undefined) return answer;
  return get(env, path) === undefined
    ? error(404, 'Base.0.0.ResourceMissingAtURI')
    : error(405, 'Base.0.0.MethodNotAllowed');
}
