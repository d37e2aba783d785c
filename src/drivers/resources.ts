/** The shared parts of the three drivers: defaults, and what the driver owns and must close. */

import { CleanSteps } from '../clean/index.js';
import { IloClientPool } from '../client/index.js';
import { type IloConfig, parseConfig } from '../config/index.js';
import type { Clock, Logger } from '../contracts/index.js';
import { AgentClient } from '../deploy/index.js';
import { IloManagement } from '../management/index.js';
import { ImageService, type ImageStore, imageStoreFromConfig } from '../store/index.js';
import { noopLogger, systemClock } from '../util/index.js';
import type { IloDriverOptions } from './options.js';

/** Something the driver made and must close. */
type Closeable = { close(): Promise<void> };

/** The resolved dependencies of a driver. */
export interface DriverParts {
  config: IloConfig;
  logger: Logger;
  clock: Clock;
  /** `{ config, clients, logger, clock }` for the iLO interfaces. */
  ilo: {
    config: IloConfig;
    clients: IloClientPool | NonNullable<IloDriverOptions['clients']>;
    logger: Logger;
    clock: Clock;
  };
  images: ImageService;
  agent: AgentClient;
  management: IloManagement;
  owned: Closeable[];
}

/** Fills in every default; `store` is resolved first when the driver publishes images. */
export function driverParts(options: IloDriverOptions, store: ImageStore | undefined): DriverParts {
  const config = options.config ?? parseConfig();
  const logger = options.logger ?? noopLogger;
  const clock = options.clock ?? systemClock;
  const owned: Closeable[] = [];
  const own = <T extends Closeable>(thing: T): T => {
    owned.push(thing);
    return thing;
  };
  const clients = options.clients ?? own(new IloClientPool({ logger }));
  const ilo = { config, clients, logger, clock };
  const images =
    options.images ??
    own(new ImageService({ config, logger, clock, ...(store === undefined ? {} : { swiftStore: store }) }));
  const agent = options.agent ?? own(new AgentClient({ config, logger, clock }));
  const management = new IloManagement({ ...ilo, cleanSteps: new CleanSteps(ilo) });
  return { config, logger, clock, ilo, images, agent, management, owned };
}

/** The store given, or the one ironic.conf describes (owned: closed with the driver). */
export function storeOf(options: IloDriverOptions, owned: Closeable[]): ImageStore {
  if (options.store !== undefined) return options.store;
  const store = imageStoreFromConfig(options.config ?? parseConfig(), {
    ...(options.swiftAuth === undefined ? {} : { swiftAuth: options.swiftAuth }),
    ...(options.logger === undefined ? {} : { logger: options.logger }),
    ...(options.clock === undefined ? {} : { clock: options.clock }),
  });
  if ('close' in store && typeof store.close === 'function') owned.push(store as unknown as Closeable);
  return store;
}

/** Closes what the driver made, once, whatever fails (the first failure is thrown after). */
export function closer(owned: Closeable[]): () => Promise<void> {
  let closing: Promise<void> | undefined;
  return () => {
    closing ??= (async () => {
      const results = await Promise.allSettled(owned.map((o) => o.close()));
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed !== undefined) throw failed.reason;
    })();
    return closing;
  };
}
