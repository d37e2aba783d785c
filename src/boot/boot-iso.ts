/**
 * The instance's boot ISO for a netboot deploy (Ironic's `_get_boot_iso`), in the spec's order:
 * the user's ISO, the Glance image's `boot_iso` property, then a shared ISO built from the
 * kernel and ramdisk (`acquireSharedBootIso`). What the node holds is recorded in its
 * dictionaries so that another process can re-attach and release it.
 */
import type { IloConfig } from '../config/index.js';
import type { Logger, Task } from '../contracts/index.js';
import { ImageRefValidationFailed, InstanceDeployFailure } from '../errors/index.js';
import { getBootModeForDeploy } from '../management/index.js';
import { type ImageService, type ImageStore, parseImageRef } from '../store/index.js';
import { redactUrl } from '../util/index.js';
import { acquireSharedBootIso, releaseSharedBootIso } from './shared-boot-iso.js';

/** `driver_internal_info` key of the shared boot ISO a node holds (its store name). */
export const SHARED_BOOT_ISO = 'ilo_boot_iso_shared';

/** What the boot ISO selection needs. */
export interface BootIsoDeps {
  store: ImageStore;
  images: ImageService;
  config: IloConfig;
  logger: Logger;
  signal: AbortSignal | undefined;
}

/** The ISO chosen for a node and a URL the iLO can fetch now. */
export interface SelectedBootIso {
  /** What goes into `instance_info.ilo_boot_iso`. */
  ref: string;
  /** A URL for the iLO. */
  url: string;
}

/** The shared boot ISO the node holds, if any. */
export function heldBootIso(task: Pick<Task, 'node'>): string | undefined {
  const name = task.node.driverInternalInfo[SHARED_BOOT_ISO];
  return typeof name === 'string' && name !== '' ? name : undefined;
}

/** A fresh URL for `instance_info.ilo_boot_iso`: the held shared ISO's, else the reference's. */
export async function bootIsoUrl(task: Pick<Task, 'node'>, iso: string, deps: BootIsoDeps): Promise<string> {
  const held = heldBootIso(task);
  const opts = deps.signal === undefined ? {} : { signal: deps.signal };
  if (held !== undefined) return deps.store.urlFor(held, opts);
  return userIsoUrl(iso, deps);
}

async function userIsoUrl(ref: string, deps: BootIsoDeps): Promise<string> {
  const opts = deps.signal === undefined ? {} : { signal: deps.signal };
  try {
    if (parseImageRef(ref).kind === 'file') {
      throw new ImageRefValidationFailed({
        imageHref: redactUrl(ref),
        reason: 'the iLO cannot fetch a file:// boot ISO',
      });
    }
    await deps.images.validateHref(ref, opts);
    return await deps.images.urlFor(ref, opts);
  } catch (error) {
    deps.logger.error(
      "Virtual media deploy accepts only Glance images or HTTP(S) URLs as instance_info['ilo_boot_iso']",
      { error: error instanceof Error ? error.message : String(error) },
    );
    throw error;
  }
}

/**
 * Chooses the boot ISO of a netboot instance whose root file system has `rootUuid`, and records
 * it: `instance_info.ilo_boot_iso` (the user's reference, `swift:<name>` or the URL of a shared
 * ISO), `driver_internal_info.ilo_boot_iso_shared` and `boot_iso_created_in_web_server` for a
 * shared one. A shared ISO the node held for other inputs (a rebuild) is released. Saves the node.
 */
export async function selectBootIso(
  task: Task,
  rootUuid: string,
  deps: BootIsoDeps,
): Promise<SelectedBootIso> {
  const node = task.node;
  const ii = node.instanceInfo;
  const held = heldBootIso(task);
  const given = typeof ii.ilo_boot_iso === 'string' && ii.ilo_boot_iso !== '' ? ii.ilo_boot_iso : undefined;
  if (given !== undefined && held === undefined) return { ref: given, url: await userIsoUrl(given, deps) };

  const imageSource = ii.image_source as string;
  const opts = deps.signal === undefined ? {} : { signal: deps.signal };
  const props = await deps.images.getImageProperties(imageSource, opts);
  if (props.bootIso !== undefined && props.bootIso !== '') {
    await releaseHeld(task, held, deps);
    await recordUserIso(task, props.bootIso);
    return { ref: props.bootIso, url: await userIsoUrl(props.bootIso, deps) };
  }

  const kernel = str(ii.kernel) ?? props.kernelId;
  const ramdisk = str(ii.ramdisk) ?? props.ramdiskId;
  if (kernel === undefined || ramdisk === undefined) {
    throw new InstanceDeployFailure({
      reason: `Unable to find kernel or ramdisk for image ${redactUrl(imageSource)} to generate boot ISO for node ${node.uuid}`,
    });
  }
  const bootMode = getBootModeForDeploy(node) ?? 'bios';
  const deployIso = str(node.driverInfo.ilo_deploy_iso);
  const iso = await acquireSharedBootIso(
    node.uuid,
    {
      imageSource,
      kernel,
      ramdisk,
      bootMode,
      rootUuid,
      ...(deployIso === undefined ? {} : { deployIso }),
    },
    { store: deps.store, images: deps.images, config: deps.config, logger: deps.logger, ...opts },
  );
  if (held !== undefined && held !== iso.name) await releaseHeld(task, held, deps);
  const ref = deps.store.kind === 'swift' ? `swift:${iso.name}` : iso.url;
  node.instanceInfo = { ...node.instanceInfo, ilo_boot_iso: ref };
  const dii = { ...node.driverInternalInfo, [SHARED_BOOT_ISO]: iso.name };
  if (deps.store.kind === 'web-server') dii.boot_iso_created_in_web_server = true;
  else delete dii.boot_iso_created_in_web_server;
  node.driverInternalInfo = dii;
  await task.save();
  return { ref, url: iso.url };
}

async function recordUserIso(task: Task, ref: string): Promise<void> {
  task.node.instanceInfo = { ...task.node.instanceInfo, ilo_boot_iso: ref };
  await task.save();
}

async function releaseHeld(task: Task, held: string | undefined, deps: BootIsoDeps): Promise<void> {
  if (held === undefined) return;
  await releaseSharedBootIso(deps.store, held, task.node.uuid, {
    logger: deps.logger,
    ...(deps.signal === undefined ? {} : { signal: deps.signal }),
  });
  const dii = { ...task.node.driverInternalInfo };
  delete dii[SHARED_BOOT_ISO];
  delete dii.boot_iso_created_in_web_server;
  task.node.driverInternalInfo = dii;
}

/**
 * Ironic's `_clean_up_boot_iso_for_instance`: releases the shared ISO the node holds (deleted
 * with its last holder) and forgets it; a user's ISO is never deleted. Never throws. Does not save.
 */
export async function releaseBootIso(task: Task, deps: BootIsoDeps): Promise<void> {
  const held = heldBootIso(task);
  if (held === undefined) return;
  const ours = task.node.instanceInfo.ilo_boot_iso;
  await releaseHeld(task, held, deps);
  if (ours !== undefined) {
    const ii = { ...task.node.instanceInfo };
    delete ii.ilo_boot_iso;
    task.node.instanceInfo = ii;
  }
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
