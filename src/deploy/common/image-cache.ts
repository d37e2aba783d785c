import { mkdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IloConfig } from '../../config/index.js';
import type { Logger, OperationOptions, Task } from '../../contracts/index.js';
import type { ImageService } from '../../store/index.js';

/**
 * The conductor's copy of a node's instance image, which iscsi_ilo and pxe_ilo write onto the
 * node's disk over iSCSI (Ironic's `cache_instance_image` / `destroy_images`): one directory per
 * node under `root`, the image downloaded atomically and checked against `image_checksum`.
 */
export class InstanceImageCache {
  /** The directory holding one sub-directory per node. */
  readonly root: string;

  constructor(
    private readonly images: Pick<ImageService, 'download'>,
    config: IloConfig,
    root: string | undefined,
    private readonly logger: Logger,
  ) {
    this.root = root ?? join(config.default.tempdir ?? tmpdir(), 'ironic-ilo-images');
  }

  /** Where the node's image is (or will be) kept. */
  pathOf(task: Pick<Task, 'node'>): string {
    return join(this.root, task.node.uuid, 'disk');
  }

  /** Downloads the node's `image_source` unless it is already here; resolves to its path. */
  async fetch(task: Pick<Task, 'node'>, options: OperationOptions): Promise<string> {
    const path = this.pathOf(task);
    if (await exists(path)) return path;
    await mkdir(join(this.root, task.node.uuid), { recursive: true, mode: 0o700 });
    const ii = task.node.instanceInfo;
    const checksum =
      typeof ii.image_checksum === 'string' && ii.image_checksum !== '' ? ii.image_checksum : undefined;
    const image = await this.images.download(ii.image_source as string, path, {
      ...options,
      ...(checksum === undefined ? {} : { checksum }),
      fileMode: 0o600,
    });
    this.logger.info(`Cached the instance image of node ${task.node.uuid}`, {
      bytes: image.size,
      verified: image.verified,
    });
    return path;
  }

  /** Removes the node's copy (Ironic's `destroy_images`); never throws. */
  async remove(task: Pick<Task, 'node'>): Promise<void> {
    try {
      await rm(join(this.root, task.node.uuid), { recursive: true, force: true });
    } catch (e) {
      this.logger.warn(`Could not remove the cached image of node ${task.node.uuid}`, {
        error: e instanceof Error ? e.message : String(e),
      });
    }
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
