import type { IloDriverInfo } from '../config/index.js';
import { IloClient } from './client.js';
import type { IloClientOptions } from './options.js';

/**
 * Client options that do not come from `driver_info`.
 *
 * @example
 * ```ts
 * const extra: IloClientExtraOptions = { logger, maxConcurrentRequests: 1, retry: { attempts: 5 } };
 * ```
 */
export type IloClientExtraOptions = Omit<
  IloClientOptions,
  'address' | 'port' | 'username' | 'password' | 'caFile' | 'ca' | 'insecure'
>;

/**
 * Builds the client options a node's validated `driver_info` describes: `ilo_address`,
 * `client_port`, `ilo_username`, `ilo_password`, `client_timeout` (seconds) and the TLS choice
 * (`verifyCa`: `true` verifies against the system CAs, `false` disables verification, a path
 * names a CA bundle).
 *
 * @example
 * ```ts
 * const options = iloClientOptionsFrom(parseDriverInfo(task.node, config), { logger });
 * ```
 */
export function iloClientOptionsFrom(
  info: IloDriverInfo,
  extra: IloClientExtraOptions = {},
): IloClientOptions {
  const options: IloClientOptions = {
    timeoutMs: info.clientTimeout * 1000,
    ...extra,
    address: info.iloAddress,
    port: info.clientPort,
    username: info.iloUsername,
    password: info.iloPassword,
  };
  if (info.verifyCa === false) options.insecure = true;
  else if (typeof info.verifyCa === 'string') options.caFile = info.verifyCa;
  return options;
}

/**
 * A client for the iLO of a node, from its validated `driver_info` (see {@link iloClientOptionsFrom}).
 *
 * @example
 * ```ts
 * await using ilo = createIloClient(parseDriverInfo(task.node, config), { logger });
 * const power = await ilo.getHostPowerStatus();
 * ```
 */
export function createIloClient(info: IloDriverInfo, extra: IloClientExtraOptions = {}): IloClient {
  return new IloClient(iloClientOptionsFrom(info, extra));
}
