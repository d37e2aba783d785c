/**
 * The iLO's virtual media, as Ironic's `ilo/common.py` drove it: insert + `CONNECT` with write
 * protection (`attach_vmedia`), and ejecting the floppy then the CD (`eject_vmedia_devices`).
 * Failures become Ironic's `IloOperationError`s; URLs never reach an error or a log.
 */
import { type IloTaskContext, toIloOperationError, type VirtualMediaDevice } from '../client/index.js';

/** Both devices, in the order Ironic ejects them. */
export const VMEDIA_DEVICES: readonly VirtualMediaDevice[] = ['FLOPPY', 'CDROM'];

/**
 * Ironic's `attach_vmedia`: inserts `url` into `device` and connects it write-protected.
 * `IloOperationError("Inserting virtual media <device>")` on failure.
 */
export async function attachVirtualMedia(
  ctx: IloTaskContext,
  device: VirtualMediaDevice,
  url: string,
): Promise<void> {
  try {
    await ctx.ilo.insertVirtualMedia(url, device, ctx.call);
    await ctx.ilo.setVmStatus(device, 'CONNECT', true, ctx.call);
  } catch (error) {
    throw toIloOperationError(error, `Inserting virtual media ${device}`);
  }
  ctx.log.info(`Attached virtual media ${device} to node ${ctx.task.node.uuid}`);
}

/**
 * Ironic's `eject_vmedia_devices`: the floppy, then the CD; stops at the first failure
 * (`IloOperationError("Eject virtual media floppy")`). Ejecting an empty device does nothing.
 */
export async function ejectVirtualMedia(ctx: IloTaskContext): Promise<void> {
  for (const device of VMEDIA_DEVICES) {
    try {
      await ctx.ilo.ejectVirtualMedia(device, ctx.call);
    } catch (error) {
      throw toIloOperationError(error, `Eject virtual media ${device.toLowerCase()}`);
    }
  }
}

/**
 * Ejects both devices on a failure path: every device is tried, failures are logged (never
 * thrown), so that the original error is the one the caller sees.
 */
export async function ejectVirtualMediaQuietly(ctx: IloTaskContext): Promise<void> {
  for (const device of VMEDIA_DEVICES) {
    try {
      await ctx.ilo.ejectVirtualMedia(device, ctx.call);
    } catch (error) {
      ctx.log.warn(`Could not eject virtual media ${device} of node ${ctx.task.node.uuid}`, {
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
}
