import { type IloInterfaceOptions, type IloTaskContext, IloTaskRunner } from '../client/index.js';
import { instanceCapabilities } from '../config/index.js';
import type {
  BootInterface,
  OperationOptions,
  PropertyDescriptions,
  RamdiskParams,
  Task,
} from '../contracts/index.js';
import { BootDevice, ProvisionState } from '../contracts/index.js';
import { InstanceDeployFailure } from '../errors/index.js';
import { IloManagement } from '../management/index.js';
import type { BootIsoReattacher } from '../power/index.js';
import type { ImageService, ImageStore } from '../store/index.js';
import { throwIssues } from '../util/index.js';
import { type BootIsoDeps, bootIsoUrl, heldBootIso, releaseBootIso, selectBootIso } from './boot-iso.js';
import { type PublishedFloppy, publishFloppy, removeNodeFloppies } from './floppy.js';
import { type IsoAttacher, virtualMediaIsoAttacher } from './iso-attacher.js';
import { bootIssues, checkReferences } from './validate.js';
import { attachVirtualMedia, ejectVirtualMedia, ejectVirtualMediaQuietly } from './vmedia.js';

/**
 * Options of {@link VirtualMediaBoot}.
 *
 * @example
 * ```ts
 * const boot = new VirtualMediaBoot({ config, clients, logger, store, images });
 * ```
 */
export interface VirtualMediaBootOptions extends IloInterfaceOptions {
  /** Where the floppy and the built boot ISOs are published for the iLO to fetch. */
  store: ImageStore;
  /** Resolves `ilo_deploy_iso`, `image_source`, `kernel`, `ramdisk` and `ilo_boot_iso`. */
  images: ImageService;
  /** Sets the boot device (default: an `IloManagement` built from the same options). */
  management?: Pick<IloManagement, 'setBootDevice'>;
  /**
   * Whether what is published outlives this conductor (Swift: yes; a web server on the conductor,
   * or memory: no). When it does not, {@link VirtualMediaBoot.takeOver} publishes the floppy and
   * the boot ISO again and re-attaches them. Default: `store.kind === 'swift'`.
   */
  imagesSurviveConductor?: boolean;
}

/**
 * Ironic's `IloVirtualMediaBoot`: the deploy ramdisk boots from the iLO's virtual media — its
 * parameters on a virtual floppy (`parameters.txt`, published with a TTL under an unguessable
 * name), the deploy ISO on the virtual CD, a one-time boot from the CD — and a netboot instance
 * boots from a boot ISO on the virtual CD (persistent), chosen in the spec's order: the user's
 * `ilo_boot_iso`, the Glance image's `boot_iso`, else a shared ISO built once for every node
 * deploying the same inputs and deleted with its last holder.
 *
 * Nothing is left half-done: a failure while preparing the ramdisk removes the floppy and ejects
 * both devices before the error is thrown. The floppy's parameters and URL (deploy key, agent
 * token, temp-URL signature) never reach a log or an error. It is also the
 * `BootIsoReattacher` `IloPower` calls before an active netboot node powers on.
 *
 * @example
 * ```ts
 * const boot = new VirtualMediaBoot({ config, clients, logger, store, images });
 * const power = new IloPower({ config, clients, logger, bootIso: boot });
 * await boot.validate(task);
 * await boot.prepareRamdisk(task, agentIloRamdiskParams(task.node, task.ports, config));
 * await power.reboot(task); // the node boots the deploy ISO
 * // … the image is on the disk …
 * await boot.prepareInstance(task);
 * ```
 */
export class VirtualMediaBoot implements BootInterface, BootIsoReattacher, IsoAttacher {
  private readonly runner: IloTaskRunner;
  private readonly isoAttacher: IsoAttacher;
  private readonly store: ImageStore;
  private readonly images: ImageService;
  private readonly management: Pick<IloManagement, 'setBootDevice'>;
  /** Whether published images outlive this conductor (see {@link VirtualMediaBootOptions}). */
  readonly imagesSurviveConductor: boolean;

  constructor(options: VirtualMediaBootOptions) {
    this.runner = new IloTaskRunner(options);
    this.store = options.store;
    this.images = options.images;
    this.management = options.management ?? new IloManagement(options);
    this.isoAttacher = virtualMediaIsoAttacher({ ...options, management: this.management });
    this.imagesSurviveConductor = options.imagesSurviveConductor ?? options.store.kind === 'swift';
  }

  /** `ilo_deploy_iso`. */
  getProperties(): PropertyDescriptions {
    return { ilo_deploy_iso: 'UUID (from Glance) or URL of the deployment ISO. Required.' };
  }

  /**
   * Ironic's boot validation: `driver_info.ilo_deploy_iso`, `instance_info` (`image_source`;
   * `kernel`, `ramdisk` and `root_gb` for partition images outside Glance; capabilities), every
   * bad field in one `MissingParameterValue` / `InvalidParameterValue`; then every reference is
   * resolved (HTTP HEAD, Glance image show; a Glance partition image needs `kernel_id` and
   * `ramdisk_id`), failures named in one `InvalidParameterValue`.
   */
  async validate(task: Task, options: OperationOptions = {}): Promise<void> {
    throwIssues(`Node ${task.node.uuid} cannot boot from virtual media`, bootIssues(task));
    await checkReferences(task, this.images, this.callOptions(task, options));
  }

  /**
   * Ironic's `prepare_ramdisk`: ejects both devices, adds `BOOTIF` (the MAC of the port with a
   * VIF) when the parameters lack it, publishes the floppy, attaches it, attaches the deploy ISO
   * as the CD and sets a one-time boot from the CD (a virtual CD only becomes a persistent boot
   * device after a reset in UEFI mode). The caller reboots the node. A held shared boot ISO and,
   * for Glance images, a previous `ilo_boot_iso` are forgotten first (a rebuild picks its own).
   */
  async prepareRamdisk(task: Task, params: RamdiskParams, options: OperationOptions = {}): Promise<void> {
    await this.forgetInstanceBootIso(task, options);
    const parameters = withBootIf(task, params);
    await this.run(task, options, parameters, async (ctx) => {
      let floppy: PublishedFloppy | undefined;
      try {
        await ejectVirtualMedia(ctx);
        floppy = await this.publish(task, parameters, ctx);
        await attachVirtualMedia(ctx, 'FLOPPY', floppy.url);
        await attachVirtualMedia(ctx, 'CDROM', await this.deployIsoUrl(task, ctx));
        await this.management.setBootDevice(task, BootDevice.CDROM, ctx.call);
      } catch (error) {
        await floppy?.remove();
        await ejectVirtualMediaQuietly(ctx);
        throw error;
      }
    });
  }

  /** Ironic's `clean_up_ramdisk` (`cleanup_vmedia_boot`): removes the node's floppies, ejects both devices. */
  async cleanUpRamdisk(task: Task, options: OperationOptions = {}): Promise<void> {
    await this.run(task, options, {}, (ctx) => this.cleanUpVmedia(ctx));
  }

  /**
   * Ironic's `prepare_instance`: removes the floppy and ejects; a local-boot or whole-disk
   * instance boots from the disk (persistent); a netboot instance gets its boot ISO attached as
   * the CD and the CD as the persistent boot device (some images reboot while configuring
   * themselves), `instance_info.ilo_boot_iso` recording it. Netboot needs
   * `driver_internal_info.root_uuid_or_disk_id`: without it `InstanceDeployFailure`.
   */
  async prepareInstance(task: Task, options: OperationOptions = {}): Promise<void> {
    await this.run(task, options, {}, async (ctx) => {
      await this.cleanUpVmedia(ctx);
      if (!isNetboot(task)) {
        await this.management.setBootDevice(task, BootDevice.DISK, { ...ctx.call, persistent: true });
        return;
      }
      const rootUuid = task.node.driverInternalInfo.root_uuid_or_disk_id;
      if (typeof rootUuid !== 'string' || rootUuid === '') {
        throw new InstanceDeployFailure({
          reason: `The UUID for the root partition of node ${task.node.uuid} could not be found`,
        });
      }
      try {
        const iso = await selectBootIso(task, rootUuid, this.deps(ctx));
        await attachVirtualMedia(ctx, 'CDROM', iso.url);
        await this.management.setBootDevice(task, BootDevice.CDROM, { ...ctx.call, persistent: true });
      } catch (error) {
        await ejectVirtualMediaQuietly(ctx);
        throw error;
      }
    });
  }

  /**
   * Ironic's `clean_up_instance`: releases the shared boot ISO the node holds (deleted with its
   * last holder; a user's ISO is never deleted), forgets `root_uuid_or_disk_id` and
   * `boot_iso_created_in_web_server`, removes the floppy and ejects both devices.
   */
  async cleanUpInstance(task: Task, options: OperationOptions = {}): Promise<void> {
    await this.run(task, options, {}, async (ctx) => {
      await releaseBootIso(task, this.deps(ctx));
      const dii = { ...task.node.driverInternalInfo };
      delete dii.boot_iso_created_in_web_server;
      delete dii.root_uuid_or_disk_id;
      task.node.driverInternalInfo = dii;
      await task.save();
      await this.cleanUpVmedia(ctx);
    });
  }

  /**
   * `IloPower`'s hook before an active netboot node powers on (Ironic's
   * `_attach_boot_iso_if_needed`): the boot ISO is attached again (a fresh URL: temp URLs expire)
   * and the CD made the one-time boot device.
   */
  async reattachBootIso(task: Task, bootIso: string, options: OperationOptions = {}): Promise<void> {
    await this.run(task, options, {}, async (ctx) => {
      await attachVirtualMedia(ctx, 'CDROM', await bootIsoUrl(task, bootIso, this.deps(ctx)));
      await this.management.setBootDevice(task, BootDevice.CDROM, ctx.call);
    });
  }

  /**
   * Ironic's `setup_vmedia` without a floppy (`boot_into_iso`): attaches the ISO reference
   * (http(s), `swift:<object>`, Glance) as the CD and sets a one-time boot from it. The caller
   * reboots.
   */
  attachBootableIso(task: Task, isoRef: string, options: OperationOptions = {}): Promise<void> {
    return this.isoAttacher.attachBootableIso(task, isoRef, options);
  }

  /**
   * What a conductor taking the node over does when published images did not outlive the old
   * one (`imagesSurviveConductor` false): a node in `wait call-back` gets its floppy published
   * again from `params` (the same deploy key and agent token: its ramdisk already has them) and
   * both devices re-attached; an `active` netboot node gets its boot ISO published again if
   * needed and re-attached. The boot device is left as it is. Nothing is done otherwise.
   */
  async takeOver(
    task: Task,
    params: RamdiskParams | undefined,
    options: OperationOptions = {},
  ): Promise<void> {
    if (this.imagesSurviveConductor) return;
    const state = task.node.provisionState;
    if (state === ProvisionState.DEPLOYWAIT && params !== undefined) {
      const parameters = withBootIf(task, params);
      await this.run(task, options, parameters, async (ctx) => {
        await removeNodeFloppies(this.store, task.node.uuid, { logger: ctx.log, ...ctx.call });
        const floppy = await this.publish(task, parameters, ctx);
        try {
          await attachVirtualMedia(ctx, 'FLOPPY', floppy.url);
          await attachVirtualMedia(ctx, 'CDROM', await this.deployIsoUrl(task, ctx));
        } catch (error) {
          await floppy.remove();
          throw error;
        }
      });
    } else if (state === ProvisionState.ACTIVE && heldBootIso(task) !== undefined) {
      const rootUuid = task.node.driverInternalInfo.root_uuid_or_disk_id;
      if (typeof rootUuid !== 'string' || rootUuid === '') return;
      await this.run(task, options, {}, async (ctx) => {
        const iso = await selectBootIso(task, rootUuid, this.deps(ctx));
        await attachVirtualMedia(ctx, 'CDROM', iso.url);
      });
    }
  }

  /** For a Glance image a rebuild must not reuse the old `ilo_boot_iso` (bug 1466729); a held shared ISO is released. */
  private async forgetInstanceBootIso(task: Task, options: OperationOptions): Promise<void> {
    const held = heldBootIso(task) !== undefined;
    const glance = this.isGlance(task.node.instanceInfo.image_source);
    if (!held && !(glance && task.node.instanceInfo.ilo_boot_iso !== undefined)) return;
    await this.run(task, options, {}, async (ctx) => {
      await releaseBootIso(task, this.deps(ctx));
      if (glance) {
        const ii = { ...task.node.instanceInfo };
        delete ii.ilo_boot_iso;
        task.node.instanceInfo = ii;
      }
      await task.save();
    });
  }

  private isGlance(ref: unknown): boolean {
    if (typeof ref !== 'string' || ref === '') return false;
    try {
      return this.images.parse(ref).kind === 'glance';
    } catch {
      return false;
    }
  }

  private async publish(task: Task, params: RamdiskParams, ctx: IloTaskContext): Promise<PublishedFloppy> {
    return publishFloppy(task.node.uuid, params, {
      store: this.store,
      config: this.runner.config,
      logger: ctx.log,
      ...ctx.call,
    });
  }

  private async deployIsoUrl(task: Task, ctx: IloTaskContext): Promise<string> {
    return this.images.urlFor(task.node.driverInfo.ilo_deploy_iso as string, ctx.call);
  }

  /** Ironic's `cleanup_vmedia_boot`: floppies removed (never throws), then both devices ejected. */
  private async cleanUpVmedia(ctx: IloTaskContext): Promise<void> {
    await removeNodeFloppies(this.store, ctx.task.node.uuid, { logger: ctx.log, ...ctx.call });
    await ejectVirtualMedia(ctx);
  }

  private deps(ctx: IloTaskContext): BootIsoDeps {
    return {
      store: this.store,
      images: this.images,
      config: this.runner.config,
      logger: ctx.log,
      signal: ctx.signal,
    };
  }

  private callOptions(task: Task, options: OperationOptions): OperationOptions {
    const signals = [task.signal, options.signal].filter((s): s is AbortSignal => s !== undefined);
    if (signals.length === 0) return {};
    return { signal: signals.length === 1 ? (signals[0] as AbortSignal) : AbortSignal.any(signals) };
  }

  /** Runs `fn` with a client and a logger that also hides the ramdisk parameters' secrets. */
  private run<T>(
    task: Task,
    options: OperationOptions,
    params: RamdiskParams,
    fn: (ctx: IloTaskContext) => Promise<T>,
  ): Promise<T> {
    const secrets = Object.entries(params)
      .filter(([k, v]) => /key|token|password|secret/i.test(k) && typeof v === 'string' && v !== '')
      .map(([, v]) => v as string);
    return this.runner.run(task, options, (ctx) =>
      fn({ ...ctx, log: this.runner.nodeLogger(task, secrets) }),
    );
  }
}

/** Adds `BOOTIF` (Mitaka's `prepare_ramdisk`) when the ports name one and the parameters lack it. */
function withBootIf(task: Task, params: RamdiskParams): RamdiskParams {
  if (params.BOOTIF !== undefined && params.BOOTIF !== null) return params;
  const port = task.ports.find((p) => {
    const vif = p.extra?.vif_port_id;
    return vif !== undefined && vif !== null && vif !== '';
  });
  return port === undefined ? params : { ...params, BOOTIF: port.address };
}

/** Whether the instance boots from its boot ISO: a partition image without `boot_option: local`. */
export function isNetboot(task: Pick<Task, 'node'>): boolean {
  if (task.node.driverInternalInfo.is_whole_disk_image === true) return false;
  return instanceCapabilities(task.node.instanceInfo).boot_option?.toLowerCase() !== 'local';
}
