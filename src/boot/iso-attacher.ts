import { type IloInterfaceOptions, IloTaskRunner } from '../client/index.js';
import type { OperationOptions, Task } from '../contracts/index.js';
import { BootDevice } from '../contracts/index.js';
import { ImageRefValidationFailed } from '../errors/index.js';
import { IloManagement } from '../management/index.js';
import type { ImageService } from '../store/index.js';
import { redactUrl } from '../util/index.js';
import { attachVirtualMedia } from './vmedia.js';

/**
 * Attaches a bootable ISO as the virtual CD and makes the CD the one-time boot device: what
 * the `boot_into_iso` vendor route needs. `VirtualMediaBoot` is one; {@link virtualMediaIsoAttacher}
 * makes one for drivers without it (pxe_ilo).
 *
 * @example
 * ```ts
 * await attacher.attachBootableIso(task, 'http://images/debug.iso');
 * await power.reboot(task);
 * ```
 */
export interface IsoAttacher {
  /** Attaches `isoRef` (http(s), `swift:<object>`, Glance) as the CD, one-time boot from it; the caller reboots. */
  attachBootableIso(task: Task, isoRef: string, options?: OperationOptions): Promise<void>;
}

/**
 * Options of {@link virtualMediaIsoAttacher}.
 *
 * @example
 * ```ts
 * const attacher = virtualMediaIsoAttacher({ config, clients, logger, images });
 * ```
 */
export interface IsoAttacherOptions extends IloInterfaceOptions {
  /** Resolves the ISO reference to a URL the iLO fetches. */
  images: ImageService;
  /** Sets the boot device (default: an `IloManagement` from the same options). */
  management?: Pick<IloManagement, 'setBootDevice'>;
}

/**
 * Ironic's `setup_vmedia` without a floppy: the ISO reference resolved (a `file://` one is
 * refused: the iLO cannot fetch it), inserted and connected as the CD, one-time boot from the CD.
 *
 * @example
 * ```ts
 * const attacher = virtualMediaIsoAttacher({ config, clients, logger, images });
 * await attacher.attachBootableIso(task, bootIsoHref);
 * ```
 */
export function virtualMediaIsoAttacher(options: IsoAttacherOptions): IsoAttacher {
  const runner = new IloTaskRunner(options);
  const management = options.management ?? new IloManagement(options);
  return {
    async attachBootableIso(task, isoRef, call = {}) {
      await runner.run(task, call, async (ctx) => {
        if (options.images.parse(isoRef).kind === 'file') {
          throw new ImageRefValidationFailed({
            imageHref: redactUrl(isoRef),
            reason: 'the iLO cannot fetch a file:// ISO',
          });
        }
        await attachVirtualMedia(ctx, 'CDROM', await options.images.urlFor(isoRef, ctx.call));
        await management.setBootDevice(task, BootDevice.CDROM, ctx.call);
      });
    },
  };
}
