/** How the three drivers are put together. */
import { type IsoAttacher, VirtualMediaBoot, virtualMediaIsoAttacher } from '../boot/index.js';
import type { BootInterface, DeployInterface } from '../contracts/index.js';
import { IscsiDiskWriter, type VendorDeploy, VendorPassthru } from '../deploy/index.js';
import { Inspector } from '../inspect/index.js';
import { IloPower } from '../power/index.js';
import type { IloDriverOptions, IscsiIloDriverOptions } from './options.js';
import { closer, type DriverParts, driverParts, storeOf } from './resources.js';
import type { IloDriver } from './types.js';

/** The parts of a virtual-media driver: the store and the boot interface on top of the common ones. */
export function virtualMediaParts(options: IloDriverOptions): DriverParts & { boot: VirtualMediaBoot } {
  const owned: DriverParts['owned'] = [];
  const store = storeOf(options, owned);
  const parts = driverParts(options, store);
  parts.owned.push(...owned);
  const boot = new VirtualMediaBoot({
    ...parts.ilo,
    store,
    images: parts.images,
    management: parts.management,
    ...(options.imagesSurviveConductor === undefined
      ? {}
      : { imagesSurviveConductor: options.imagesSurviveConductor }),
  });
  return { ...parts, boot };
}

/** Power, vendor, inspect and `close()` around a boot and a deploy interface. */
export function assemble<B extends BootInterface, D extends DeployInterface & VendorDeploy>(
  name: string,
  options: IloDriverOptions,
  parts: DriverParts,
  boot: B,
  deploy: D,
  power: IloPower,
  iso: IsoAttacher,
): IloDriver & { boot: B; deploy: D } {
  const close = closer(parts.owned);
  const vendor = new VendorPassthru({
    driver: name,
    deploy,
    power,
    images: parts.images,
    boot: iso,
    config: parts.config,
    ...(options.lookupNode === undefined ? {} : { lookupNode: options.lookupNode }),
  });
  const inspect =
    options.ports === undefined ? undefined : new Inspector({ ...parts.ilo, ports: options.ports, power });
  return {
    name,
    power,
    management: parts.management,
    boot,
    deploy,
    vendor,
    ...(inspect === undefined ? {} : { inspect }),
    close,
    [Symbol.asyncDispose]: close,
  };
}

/** What every deploy interface is built from. */
export function deployDeps<B extends BootInterface>(parts: DriverParts, boot: B, power: IloPower) {
  return {
    boot,
    power,
    management: parts.management,
    images: parts.images,
    agent: parts.agent,
    config: parts.config,
    logger: parts.logger,
    clock: parts.clock,
  };
}

/** What the iSCSI deploys add: the disk writer (the userspace initiator unless given) and the image cache. */
export function iscsiDeps(options: IscsiIloDriverOptions, parts: DriverParts) {
  return {
    diskWriter: options.diskWriter ?? new IscsiDiskWriter({ logger: parts.logger }),
    ...(options.imageCacheDir === undefined ? {} : { imageCacheDir: options.imageCacheDir }),
  };
}

/** `IloPower` with the boot ISO hook of the virtual-media boot. */
export function powerWith(parts: DriverParts, boot: VirtualMediaBoot | undefined): IloPower {
  return new IloPower({ ...parts.ilo, ...(boot === undefined ? {} : { bootIso: boot }) });
}

/** The ISO attacher of `boot_into_iso` for a driver without virtual-media boot. */
export function isoAttacherOf(parts: DriverParts): IsoAttacher {
  return virtualMediaIsoAttacher({ ...parts.ilo, images: parts.images, management: parts.management });
}

export { driverParts };
