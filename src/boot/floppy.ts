import { type IloConfig, parseConfig } from '../config/index.js';
import type { Logger, OperationOptions, RamdiskParams } from '../contracts/index.js';
import { InvalidParameterValue } from '../errors/index.js';
import { buildFloppyImage } from '../image/index.js';
import type { ImageStore } from '../store/index.js';
import { noopLogger } from '../util/index.js';

/**
 * Options of {@link publishFloppy}.
 *
 * @example
 * ```ts
 * const options: PublishFloppyOptions = { store, config, logger, signal: task.signal };
 * ```
 */
export interface PublishFloppyOptions extends OperationOptions {
  /** Where the floppy is published (Swift, web server, memory…). */
  store: ImageStore;
  /** Its `[ilo] swift_object_expiry_timeout` is the floppy's lifetime (default: ironic.conf's, 900 s). */
  config?: IloConfig;
  /** Lifetime in seconds, instead of the configuration's. */
  ttlSeconds?: number;
  /** Logger. Parameters and the floppy's URL never reach it. */
  logger?: Logger;
}

/**
 * A published virtual floppy. Persist {@link PublishedFloppy.name} (for example in
 * `driver_internal_info`) if it must be removed by another process; otherwise
 * {@link removeNodeFloppies} finds it by the node's UUID.
 *
 * @example
 * ```ts
 * const floppy = await publishFloppy(node.uuid, params, { store, config });
 * try { await ilo.insertVirtualMedia(floppy.url, 'FLOPPY'); } catch (e) { await floppy.remove(); throw e; }
 * ```
 */
export interface PublishedFloppy {
  /** The stored name: `image-<node uuid>-<128 random bits>`, so that its URL cannot be guessed. */
  name: string;
  /** The URL the iLO fetches: a Swift temp URL, or the web server's URL. Holds a secret part; do not log it. */
  url: string;
  /** Size in bytes. */
  size: number;
  /** When the store deletes it by itself. */
  expiresAt?: Date;
  /** Removes it now. Never throws: a failure is logged (the TTL removes it anyway). */
  remove(options?: OperationOptions): Promise<void>;
}

/**
 * Ironic's name of a node's virtual floppy, and the prefix of every published one.
 *
 * @example
 * ```ts
 * floppyImageName('1be26c0b-03f2-4d2e-ae87-c02d7f33c123'); // 'image-1be26c0b-03f2-4d2e-ae87-c02d7f33c123'
 * ```
 */
export function floppyImageName(nodeUuid: string): string {
  return `image-${nodeUuid}`;
}

/** `parameters.txt` values: Python's `%s` of what Ironic put in the dict; `null` is left out. */
function floppyValues(params: RamdiskParams): Record<string, string | number | undefined> {
  const out: Record<string, string | number | undefined> = {};
  for (const [key, value] of Object.entries(params)) {
    if (value === null || value === undefined) continue;
    out[key] = typeof value === 'boolean' ? (value ? 'True' : 'False') : value;
  }
  return out;
}

/**
 * Builds the virtual floppy of a node's deploy ramdisk (a 100 KiB FAT12 image labelled
 * `ir-vfd-dev` holding `parameters.txt`, see `buildFloppyImage`) and publishes it under an
 * unguessable name with a lifetime of `[ilo] swift_object_expiry_timeout`: the parameters carry
 * secrets (the deploy key, the agent token), so the floppy never outlives the deploy for long
 * and its URL cannot be guessed from the node's UUID. The parameters and the URL are never
 * logged. On failure nothing is left in the store (publishing is atomic).
 *
 * Throws `InvalidParameterValue` naming every bad parameter or option, `ImageCreationFailed`
 * when the parameters do not fit, the store's errors when publishing fails, and the signal's
 * reason on abort.
 *
 * @example
 * ```ts
 * const floppy = await publishFloppy(task.node.uuid, params, { store, config, signal: task.signal });
 * await ilo.insertVirtualMedia(floppy.url, 'FLOPPY');
 * // … when the ramdisk is done, or on any failure:
 * await floppy.remove();
 * ```
 */
export async function publishFloppy(
  nodeUuid: string,
  params: RamdiskParams,
  options: PublishFloppyOptions,
): Promise<PublishedFloppy> {
  const { store, signal } = options;
  const logger = options.logger ?? noopLogger;
  const ttlSeconds = options.ttlSeconds ?? (options.config ?? parseConfig()).ilo.swiftObjectExpiryTimeout;
  if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0) {
    throw new InvalidParameterValue('The floppy needs a lifetime: a positive number of seconds.', {
      fields: [{ field: 'ttlSeconds', problem: 'must be a positive integer' }],
    });
  }
  const image = await buildFloppyImage({ parameters: floppyValues(params) }, { signal });
  const published = await store.publish(floppyImageName(nodeUuid), image.chunks({ signal }), {
    ttlSeconds,
    secret: true,
    contentLength: image.size,
    ...(signal === undefined ? {} : { signal }),
  });
  logger.info(`Published the virtual floppy of node ${nodeUuid} in the ${store.kind} store`, {
    bytes: published.size,
    ttlSeconds,
  });
  const out: PublishedFloppy = {
    name: published.name,
    url: published.url,
    size: published.size,
    remove: async (opts) => {
      await removeFloppy(store, published.name, { logger, ...opts });
    },
  };
  if (published.expiresAt !== undefined) out.expiresAt = published.expiresAt;
  return out;
}

/**
 * Options of {@link removeFloppy} and {@link removeNodeFloppies}.
 *
 * @example
 * ```ts
 * await removeNodeFloppies(store, node.uuid, { logger });
 * ```
 */
export interface RemoveFloppyOptions extends OperationOptions {
  /** Where failures are logged. */
  logger?: Logger;
}

/**
 * Removes a published floppy. Never throws: like Ironic's `remove_image_from_swift`, a missing
 * object or a failing store is logged (as a warning) and swallowed, since the floppy expires by
 * itself. Resolves to whether something was removed.
 *
 * @example
 * ```ts
 * await removeFloppy(store, task.node.driverInternalInfo.ilo_floppy_name as string, { logger });
 * ```
 */
export async function removeFloppy(
  store: ImageStore,
  name: string,
  options: RemoveFloppyOptions = {},
): Promise<boolean> {
  const logger = options.logger ?? noopLogger;
  try {
    return await store.remove(name, options.signal === undefined ? {} : { signal: options.signal });
  } catch (e) {
    logger.warn(`Could not remove a virtual floppy from the ${store.kind} store; it expires by itself`, {
      error: e instanceof Error ? e.message : String(e),
    });
    return false;
  }
}

/**
 * Removes every floppy published for the node (`image-<uuid>…`), including those of a process
 * that died before removing them. Never throws (failures are logged); resolves to how many were
 * removed.
 *
 * @example
 * ```ts
 * await removeNodeFloppies(store, task.node.uuid, { logger }); // in cleanUpRamdisk, takeOver…
 * ```
 */
export async function removeNodeFloppies(
  store: ImageStore,
  nodeUuid: string,
  options: RemoveFloppyOptions = {},
): Promise<number> {
  const logger = options.logger ?? noopLogger;
  let names: string[];
  try {
    const prefix = floppyImageName(nodeUuid);
    names = (await store.list(prefix, options.signal === undefined ? {} : { signal: options.signal }))
      .map((o) => o.name)
      .filter((n) => n === prefix || n.startsWith(`${prefix}-`));
  } catch (e) {
    logger.warn(`Could not list the virtual floppies of node ${nodeUuid}`, {
      error: e instanceof Error ? e.message : String(e),
    });
    return 0;
  }
  let removed = 0;
  for (const name of names) if (await removeFloppy(store, name, options)) removed++;
  return removed;
}
