import type { IloClientProvider } from '../client/index.js';
import type { IloConfig } from '../config/index.js';
import type { Clock, Logger } from '../contracts/index.js';
import type { AgentClient, DiskWriter, NodeLookup, PxeConfigurator } from '../deploy/index.js';
import type { PortRegistry } from '../inspect/index.js';
import type { ImageService, ImageStore, SwiftAuth } from '../store/index.js';

/**
 * What every iLO driver factory takes. Everything is optional and injectable; what the driver
 * creates itself it owns and closes in `close()`.
 *
 * @example
 * ```ts
 * const options: IloDriverOptions = {
 *   config: loadIronicConf(readFileSync('/etc/ironic/ironic.conf', 'utf8')),
 *   swiftAuth: { version: 3, url: 'https://keystone:5000/v3', username: 'ironic', password, projectName: 'service' },
 *   ports: myPortTable,
 *   lookupNode: (macs) => db.nodeByMacs(macs),
 *   logger,
 * };
 * ```
 */
export interface IloDriverOptions {
  /** ironic.conf options (default: every default). */
  config?: IloConfig;
  /** Where iLO clients come from (default: an `IloClientPool` the driver owns). */
  clients?: IloClientProvider;
  /**
   * Where the floppy and built boot ISOs are published (default: `imageStoreFromConfig(config)`:
   * a `WebServerStore` with `[ilo] use_web_server_for_images`, else a `SwiftStore`, which needs
   * `swiftAuth`). pxe_ilo publishes nothing and ignores it.
   */
  store?: ImageStore;
  /** Swift credentials of the default store. */
  swiftAuth?: SwiftAuth;
  /** Resolves image references (default: an `ImageService` on `config`, `swift:` references in `store`). */
  images?: ImageService;
  /** Talks to the deploy agent (default: an `AgentClient` on `config`). */
  agent?: AgentClient;
  /** Where inspection creates ports; without it the driver has no inspect interface. */
  ports?: PortRegistry;
  /** Finds a node by MAC for the agent's `lookup` vendor route. */
  lookupNode?: NodeLookup;
  /** Where the conductor keeps instance images before writing them over iSCSI (iscsi_ilo, pxe_ilo). */
  imageCacheDir?: string;
  /** See `VirtualMediaBootOptions.imagesSurviveConductor` (default: the store is Swift). */
  imagesSurviveConductor?: boolean;
  /** Logger; passwords, keys, tokens and signatures are removed before it is called. */
  logger?: Logger;
  /** Time of every wait (inject a virtual one in tests). */
  clock?: Clock;
}

/**
 * Options of `createIscsiIloDriver`.
 *
 * @example
 * ```ts
 * const options: IscsiIloDriverOptions = { config, swiftAuth, diskWriter: new IscsiDiskWriter({ chap }) };
 * ```
 */
export interface IscsiIloDriverOptions extends IloDriverOptions {
  /** Writes images over iSCSI (default: an `IscsiDiskWriter` with the driver's logger). */
  diskWriter?: DiskWriter;
}

/**
 * Options of `createPxeIloDriver`.
 *
 * @example
 * ```ts
 * const options: PxeIloDriverOptions = { config, pxe: myDnsmasqConfigurator };
 * ```
 */
export interface PxeIloDriverOptions extends IscsiIloDriverOptions {
  /** The embedder's DHCP and TFTP set-up: this library runs neither. Required. */
  pxe: PxeConfigurator;
}
