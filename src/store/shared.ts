import { ImageNotFound } from '../errors/index.js';
import type { ImageSource, ImageStore, PublishOptions } from './image-store.js';

/** Options of {@link publishShared}. */
export interface PublishSharedOptions extends Omit<PublishOptions, 'secret'> {
  /** How many times to publish again when the object vanishes under us (default 3). */
  maxAttempts?: number;
}

/** What {@link publishShared} returns. */
export interface SharedImage {
  /** The object's name. */
  name: string;
  /** A URL the iLO can fetch. */
  url: string;
  /** Holders after this one was added. */
  holders: number;
  /** Whether this call built and published the object (false: an existing one was reused). */
  created: boolean;
}

/**
 * The spec's boot-ISO sharing: reuse the object `name` (typically derived from a hash of the
 * image, kernel and ramdisk) if it exists, registering `holderId` as one more user; otherwise
 * call `produce()` for its content, publish it and register. If the object is deleted by its
 * last holder at the same moment, it is published again (`produce` may therefore be called more
 * than once; it must return a fresh source each time).
 *
 * @example
 * ```ts
 * const iso = await publishShared(store, `boot-${sha256(imageRef + kernel + ramdisk)}`, node.uuid,
 *   () => buildBootIso(kernelPath, ramdiskPath));
 * await client.insertVirtualMedia(iso.url, 'CDROM');
 * // on tear-down:
 * await store.release(iso.name, node.uuid); // deletes the ISO when no node uses it any more
 * ```
 */
export async function publishShared(
  store: ImageStore,
  name: string,
  holderId: string,
  produce: () => ImageSource | Promise<ImageSource>,
  options: PublishSharedOptions = {},
): Promise<SharedImage> {
  const { maxAttempts = 3, ...publishOptions } = options;
  const signal = options.signal;
  const opts = signal === undefined ? {} : { signal };
  let created = false;
  for (let attempt = 0; ; attempt++) {
    try {
      const holders = await store.acquire(name, holderId, opts);
      const url = await store.urlFor(name, opts);
      return { name, url, holders, created };
    } catch (e) {
      if (!(e instanceof ImageNotFound) || attempt >= maxAttempts) throw e;
    }
    await store.publish(name, await produce(), publishOptions);
    created = true;
  }
}
