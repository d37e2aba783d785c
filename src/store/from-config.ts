import type { IloConfig } from '../config/index.js';
import type { Clock, Logger } from '../contracts/index.js';
import { MissingParameterValue } from '../errors/index.js';
import type { SwiftAuth } from './swift/auth.js';
import { SwiftStore, type SwiftStoreOptions } from './swift/store.js';
import { WebServerStore } from './web/store.js';

/** Options of {@link imageStoreFromConfig}. */
export interface ImageStoreFromConfigOptions {
  /** Swift credentials; required unless `[ilo] use_web_server_for_images` is true. */
  swiftAuth?: SwiftAuth;
  /** Further {@link SwiftStore} options (TLS, dispatcher, temp-URL key and digest…). */
  swift?: Omit<SwiftStoreOptions, 'auth' | 'container' | 'urlTtlSeconds' | 'maxRetries' | 'logger' | 'clock'>;
  /** Logger. */
  logger?: Logger;
  /** Time source. */
  clock?: Clock;
}

/**
 * The store Ironic would have used for this configuration: a {@link WebServerStore} on
 * `[deploy] http_root` / `http_url` (files with `[ilo] file_permission`) when
 * `[ilo] use_web_server_for_images` is true, otherwise a {@link SwiftStore} on
 * `[ilo] swift_ilo_container` with temp URLs valid `[ilo] swift_object_expiry_timeout` seconds
 * and `[swift] swift_max_retries` retries.
 *
 * @example
 * ```ts
 * const config = loadIronicConf(readFileSync('/etc/ironic/ironic.conf', 'utf8'));
 * const store = imageStoreFromConfig(config, { swiftAuth: { version: 1, url, user, key } });
 * ```
 */
export function imageStoreFromConfig(
  config: IloConfig,
  options: ImageStoreFromConfigOptions = {},
): SwiftStore | WebServerStore {
  const common = {
    ...(options.logger === undefined ? {} : { logger: options.logger }),
    ...(options.clock === undefined ? {} : { clock: options.clock }),
  };
  if (config.ilo.useWebServerForImages) {
    if (config.deploy.httpUrl === undefined) {
      throw new MissingParameterValue('[ilo] use_web_server_for_images needs [deploy] http_url.', {
        fields: [{ field: '[deploy] http_url', problem: 'required' }],
      });
    }
    return new WebServerStore({
      httpRoot: config.deploy.httpRoot,
      httpUrl: config.deploy.httpUrl,
      fileMode: config.ilo.filePermission,
      ...common,
    });
  }
  if (options.swiftAuth === undefined) {
    throw new MissingParameterValue('Publishing images in Swift needs Swift credentials (swiftAuth).', {
      fields: [{ field: 'swiftAuth', problem: 'required unless [ilo] use_web_server_for_images is true' }],
    });
  }
  return new SwiftStore({
    ...options.swift,
    auth: options.swiftAuth,
    container: config.ilo.swiftIloContainer,
    urlTtlSeconds: config.ilo.swiftObjectExpiryTimeout,
    maxRetries: config.swift.swiftMaxRetries,
    ...common,
  });
}
