import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type IloConfig, parseConfig } from '../config/index.js';
import type { Logger, OperationOptions } from '../contracts/index.js';
import { type FieldIssue, InvalidParameterValue } from '../errors/index.js';
import { createBootIso, type ImageStream } from '../image/index.js';
import {
  type ImageInfo,
  type ImageService,
  type ImageStore,
  parseChecksum,
  publishShared,
  validateHolderId,
} from '../store/index.js';
import { noopLogger, raceAbort } from '../util/index.js';
import { type BootIsoInputs, sharedBootIsoName } from './boot-iso-name.js';

/**
 * Options of {@link acquireSharedBootIso}.
 *
 * @example
 * ```ts
 * const options: AcquireBootIsoOptions = { store, images, config, logger, signal: task.signal };
 * ```
 */
export interface AcquireBootIsoOptions extends OperationOptions {
  /** Where the ISO is published and counted. */
  store: ImageStore;
  /** Resolves and downloads the kernel, ramdisk and deploy ISO references. */
  images: ImageService;
  /** `[pxe] pxe_append_params`, `[DEFAULT] isolinux_bin`, `ldlinux_c32`, `tempdir` (default: ironic.conf's). */
  config?: IloConfig;
  /** Logger. URLs are never logged. */
  logger?: Logger;
}

/**
 * A boot ISO a node holds. Persist {@link SharedBootIso.name} with the node: it is what
 * {@link releaseSharedBootIso} needs, and `store.urlFor(name)` gives a fresh URL whenever the
 * ISO must be attached again (a Swift temp URL expires).
 *
 * @example
 * ```ts
 * const iso = await acquireSharedBootIso(node.uuid, inputs, { store, images, config });
 * node.driverInternalInfo.ilo_boot_iso_shared = iso.name;
 * await ilo.insertVirtualMedia(iso.url, 'CDROM');
 * ```
 */
export interface SharedBootIso {
  /** The store name, `boot-<sha256>`. */
  name: string;
  /** A URL the iLO can fetch now. */
  url: string;
  /** How many nodes hold it, this one included. */
  holders: number;
  /** Whether this call built and published it (false: it existed and was reused). */
  created: boolean;
}

/** A build of one ISO in progress in this process. */
interface Flight {
  done: Promise<SharedBootIso>;
  /** Whether the builder gave up because its own caller aborted (joiners then try themselves). */
  abandoned: () => boolean;
}

/** Builds in progress, per store and ISO name: twenty acquisitions at once build once. */
const flights = new WeakMap<ImageStore, Map<string, Flight>>();

function flightsOf(store: ImageStore): Map<string, Flight> {
  let map = flights.get(store);
  if (map === undefined) {
    map = new Map();
    flights.set(store, map);
  }
  return map;
}

function checkInputs(holderId: string, inputs: BootIsoInputs): void {
  const issues: FieldIssue[] = [];
  try {
    validateHolderId(holderId);
  } catch (e) {
    if (!(e instanceof InvalidParameterValue)) throw e;
    issues.push(...e.fields);
  }
  const nonEmpty = (field: keyof BootIsoInputs) => {
    const v = inputs[field];
    if (typeof v !== 'string' || v.trim() === '') issues.push({ field, problem: 'is required' });
  };
  nonEmpty('imageSource');
  nonEmpty('kernel');
  nonEmpty('ramdisk');
  if (inputs.bootMode !== 'bios' && inputs.bootMode !== 'uefi')
    issues.push({ field: 'bootMode', problem: 'must be bios or uefi' });
  if (inputs.bootMode === 'uefi') nonEmpty('deployIso');
  if (inputs.rootUuid !== undefined && !/^\S+$/.test(inputs.rootUuid))
    issues.push({ field: 'rootUuid', problem: 'must be non-empty without spaces' });
  for (const [key, sum] of Object.entries(inputs.checksums ?? {})) {
    if (sum === undefined) continue;
    try {
      parseChecksum(sum, `checksums.${key}`);
    } catch (e) {
      if (!(e instanceof InvalidParameterValue)) throw e;
      issues.push(...e.fields);
    }
  }
  if (issues.length > 0) {
    throw new InvalidParameterValue(
      `Cannot get a boot ISO: ${issues.map((i) => `${i.field} ${i.problem}`).join('; ')}.`,
      { fields: issues },
    );
  }
}

/** What stands for a reference's content: the given checksum, else what the image service shows. */
async function fingerprint(
  images: ImageService,
  ref: string,
  given: string | undefined,
  signal: AbortSignal | undefined,
): Promise<string> {
  if (given !== undefined) {
    const c = parseChecksum(given);
    return `${c.algorithm}:${c.value}`;
  }
  const info: ImageInfo = await images.show(ref, signal === undefined ? {} : { signal });
  if (info.checksum !== undefined) return `${info.checksum.algorithm}:${info.checksum.value}`;
  return `size=${info.size ?? '?'};modified=${info.lastModified?.toISOString() ?? '?'}`;
}

/**
 * The spec's shared boot ISO: returns the ISO for these inputs, registering `holderId` (the
 * node's UUID) as one more holder. An existing ISO with the same name (a hash over everything
 * that changes its bytes, see {@link sharedBootIsoName}) is reused; otherwise the kernel, the
 * ramdisk (and for UEFI the deploy ISO) are downloaded through the image service into a
 * temporary directory, the ISO is built with `createBootIso` (a hybrid BIOS + UEFI ISO for
 * `uefi`, as Ironic's), published, and the directory removed. Concurrent calls for the same
 * inputs in this process build once; across processes the store's holder protocol
 * (`publishShared`) keeps the count right. Every reference is checked first (`ImageService.show`),
 * so a missing kernel fails before anything is built.
 *
 * Throws `InvalidParameterValue` naming every bad input, `ImageRefValidationFailed` for an
 * unreachable reference, `ImageCreationFailed` when the ISO cannot be built, the store's errors,
 * and the signal's reason on abort; nothing is left behind then (no temporary file, no holder).
 *
 * @example
 * ```ts
 * const iso = await acquireSharedBootIso(node.uuid, inputs, { store, images, config, signal });
 * // … at tear-down:
 * await releaseSharedBootIso(store, iso.name, node.uuid); // the last holder deletes it
 * ```
 */
export async function acquireSharedBootIso(
  holderId: string,
  inputs: BootIsoInputs,
  options: AcquireBootIsoOptions,
): Promise<SharedBootIso> {
  const { store, images, signal } = options;
  const config = options.config ?? parseConfig();
  const logger = options.logger ?? noopLogger;
  checkInputs(holderId, inputs);
  const uefi = inputs.bootMode === 'uefi';
  const given = inputs.checksums ?? {};
  const [kernel, ramdisk, deployIso] = await Promise.all([
    fingerprint(images, inputs.kernel, given.kernel, signal),
    fingerprint(images, inputs.ramdisk, given.ramdisk, signal),
    uefi ? fingerprint(images, inputs.deployIso as string, given.deployIso, signal) : undefined,
  ]);
  const kernelParams = inputs.kernelParams ?? config.pxe.pxeAppendParams;
  const name = sharedBootIsoName(inputs, kernelParams, {
    kernel,
    ramdisk,
    ...(deployIso === undefined ? {} : { deployIso }),
  });

  const running = flightsOf(store);
  for (let flight = running.get(name); flight !== undefined; flight = running.get(name)) {
    try {
      await raceAbort(flight.done, signal);
    } catch (e) {
      if (signal?.aborted) throw signal.reason;
      if (!flight.abandoned()) throw e;
    }
    if (running.get(name) === flight) running.delete(name);
  }

  let workDir: string | undefined;
  let iso: ImageStream | undefined;
  const produce = async (): Promise<ImageStream> => {
    if (iso !== undefined) return iso;
    workDir = await mkdtemp(join(config.default.tempdir ?? tmpdir(), 'ironic-ilo-boot-iso-'));
    iso = await buildIso(workDir, inputs, kernelParams, options, config);
    return iso;
  };
  const done = (async () => {
    try {
      return await publishShared(store, name, holderId, produce, signal === undefined ? {} : { signal });
    } finally {
      if (workDir !== undefined) await rm(workDir, { recursive: true, force: true });
    }
  })();
  const flight: Flight = { done, abandoned: () => signal?.aborted === true };
  running.set(name, flight);
  try {
    const shared = await done;
    logger.info(
      shared.created
        ? `Built and published boot ISO ${name} for node ${holderId}`
        : `Node ${holderId} shares boot ISO ${name} (${shared.holders} holders)`,
    );
    return shared;
  } finally {
    if (running.get(name) === flight) running.delete(name);
  }
}

async function buildIso(
  dir: string,
  inputs: BootIsoInputs,
  kernelParams: string,
  options: AcquireBootIsoOptions,
  config: IloConfig,
): Promise<ImageStream> {
  const { images, signal } = options;
  const fetch = (ref: string, file: string, checksum: string | undefined) =>
    images.download(ref, join(dir, file), {
      ...(checksum === undefined ? {} : { checksum }),
      ...(signal === undefined ? {} : { signal }),
    });
  const given = inputs.checksums ?? {};
  const uefi = inputs.bootMode === 'uefi';
  // Every download must have ended before the directory is removed, failed or not.
  const [kernel, ramdisk, deployIso] = await settledAll([
    fetch(inputs.kernel, 'kernel', given.kernel),
    fetch(inputs.ramdisk, 'ramdisk', given.ramdisk),
    uefi ? fetch(inputs.deployIso as string, 'deploy.iso', given.deployIso) : Promise.resolve(undefined),
  ]);
  return createBootIso(
    {
      bootMode: uefi ? 'hybrid' : 'bios',
      kernel: kernel.path,
      ramdisk: ramdisk.path,
      kernelParams,
      isolinuxBin: config.default.isolinuxBin,
      ldlinuxC32: config.default.ldlinuxC32,
      ...(inputs.rootUuid === undefined ? {} : { rootUuid: inputs.rootUuid }),
      ...(deployIso === undefined ? {} : { deployIso: deployIso.path }),
    },
    signal === undefined ? {} : { signal },
  );
}

/**
 * Options of {@link releaseSharedBootIso}.
 *
 * @example
 * ```ts
 * await releaseSharedBootIso(store, name, node.uuid, { logger });
 * ```
 */
export interface ReleaseBootIsoOptions extends OperationOptions {
  /** Where a failure is logged. */
  logger?: Logger;
}

/**
 * Withdraws `holderId` from the shared boot ISO `name`; the store deletes the ISO when no holder
 * is left. Never throws (clean-up must go on): resolves to the holders left, or `undefined` when
 * the store failed (logged as a warning; the holder stays registered, and releasing again later
 * is harmless).
 *
 * @example
 * ```ts
 * const left = await releaseSharedBootIso(store, node.driverInternalInfo.ilo_boot_iso_shared as string, node.uuid);
 * ```
 */
export async function releaseSharedBootIso(
  store: ImageStore,
  name: string,
  holderId: string,
  options: ReleaseBootIsoOptions = {},
): Promise<number | undefined> {
  const logger = options.logger ?? noopLogger;
  try {
    const left = await store.release(
      name,
      holderId,
      options.signal === undefined ? {} : { signal: options.signal },
    );
    logger.info(
      left === 0
        ? `Deleted boot ISO ${name}: node ${holderId} was its last holder`
        : `Node ${holderId} released boot ISO ${name} (${left} holders left)`,
    );
    return left;
  } catch (e) {
    logger.warn(`Could not release boot ISO ${name} for node ${holderId}`, {
      error: e instanceof Error ? e.message : String(e),
    });
    return undefined;
  }
}

/** `Promise.all`, but only once every promise has settled; rejects with the first failure. */
async function settledAll<T extends readonly unknown[]>(
  promises: readonly [...{ [K in keyof T]: Promise<T[K]> }],
): Promise<T> {
  const results = await Promise.allSettled(promises);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<unknown>).value) as unknown as T;
}
