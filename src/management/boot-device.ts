import { type IloPersistentBootTarget, type IloTaskContext, toIloOperationError } from '../client/index.js';
import type { BootDeviceInfo } from '../contracts/index.js';
import { BootDevice } from '../contracts/index.js';
import { InvalidParameterValue } from '../errors/index.js';

/**
 * Ironic's boot devices and the iLO's names for them (`BOOT_DEVICE_MAPPING_TO_ILO`).
 *
 * @example
 * ```ts
 * ILO_BOOT_DEVICES.pxe; // 'NETWORK'
 * ```
 */
export const ILO_BOOT_DEVICES: Readonly<Record<'pxe' | 'disk' | 'cdrom', IloPersistentBootTarget>> =
  Object.freeze({ pxe: 'NETWORK', disk: 'HDD', cdrom: 'CDROM' });

const FROM_ILO: Readonly<Record<string, BootDevice>> = Object.freeze({
  NETWORK: BootDevice.PXE,
  HDD: BootDevice.DISK,
  CDROM: BootDevice.CDROM,
});

/** The iLO name of `device`, or `InvalidParameterValue` for a device the iLO drivers do not set. */
export function iloBootDevice(device: string): IloPersistentBootTarget {
  const mapped = (ILO_BOOT_DEVICES as Record<string, IloPersistentBootTarget>)[device];
  if (mapped === undefined) {
    throw new InvalidParameterValue(`Invalid boot device ${device} specified.`, {
      fields: [{ field: 'device', problem: `must be one of ${Object.keys(ILO_BOOT_DEVICES).join(', ')}` }],
    });
  }
  return mapped;
}

/**
 * The next boot device: the one-time target when one is set, otherwise (`Normal`) the first
 * persistent device. A device outside Ironic's set is reported as unknown (`null`, `null`).
 */
export async function readBootDevice(ctx: IloTaskContext): Promise<BootDeviceInfo> {
  try {
    const once = await ctx.ilo.getOneTimeBoot(ctx.call);
    const persistent = once === 'Normal';
    const device = persistent ? await ctx.ilo.getPersistentBootDevice(ctx.call) : once;
    const bootDevice = device === null ? undefined : FROM_ILO[device];
    return bootDevice === undefined ? { bootDevice: null, persistent: null } : { bootDevice, persistent };
  } catch (error) {
    throw toIloOperationError(error, 'Get boot device');
  }
}

/** Sets the next boot device: once (`SET_ONE_TIME_BOOT`) or first in the persistent order. */
export async function writeBootDevice(
  ctx: IloTaskContext,
  device: BootDevice,
  persistent: boolean,
): Promise<void> {
  const target = iloBootDevice(device);
  try {
    if (persistent) await ctx.ilo.updatePersistentBoot([target], ctx.call);
    else await ctx.ilo.setOneTimeBoot(target, ctx.call);
  } catch (error) {
    throw toIloOperationError(error, `Setting ${device} as boot device`);
  }
  ctx.log.info(`Node ${ctx.task.node.uuid} boots from ${device}${persistent ? ' from now on' : ' once'}`);
}
