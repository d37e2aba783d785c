import type { BootMode, OperationOptions, RamdiskParams, Task } from '../../contracts/index.js';

/**
 * What {@link PxeConfigurator.prepareRamdisk} sets up: the deploy kernel and ramdisk the node
 * PXE-boots, with the ramdisk's parameters on its kernel command line.
 *
 * @example
 * ```ts
 * const request: PxeRamdiskRequest = {
 *   deployKernel: node.driverInfo.deploy_kernel!,
 *   deployRamdisk: node.driverInfo.deploy_ramdisk!,
 *   params: iscsiIloRamdiskParams(node, ports, config, { deployKey, bootMode: 'bios' }),
 *   bootMode: 'bios',
 * };
 * ```
 */
export interface PxeRamdiskRequest {
  /** `driver_info.deploy_kernel`: an image reference (Glance id, http(s), file). */
  deployKernel: string;
  /** `driver_info.deploy_ramdisk`: an image reference. */
  deployRamdisk: string;
  /** Kernel command-line parameters of the ramdisk (the same ones the virtual floppy carries). Secrets among them. */
  params: RamdiskParams;
  /** `bios` (pxelinux) or `uefi` (a UEFI network boot loader). */
  bootMode: BootMode;
}

/**
 * What {@link PxeConfigurator.prepareInstance} sets up once the image is on the disk.
 *
 * @example
 * ```ts
 * const request: PxeInstanceRequest = { bootOption: 'netboot', bootMode: 'bios', isWholeDiskImage: false, rootUuid, kernel, ramdisk };
 * ```
 */
export interface PxeInstanceRequest {
  /** `local`: boot from the disk from now on; `netboot`: PXE-boot the instance's kernel. */
  bootOption: 'local' | 'netboot';
  /** The instance's boot mode. */
  bootMode: BootMode;
  /** Whether the image is a whole-disk image (booted from the disk, or chain-loaded). */
  isWholeDiskImage: boolean;
  /** Root partition UUID (netboot of a partition image: `root=UUID=…`), or the disk identifier. */
  rootUuid?: string;
  /** The instance's kernel reference (netboot of a partition image). */
  kernel?: string;
  /** The instance's ramdisk reference (netboot of a partition image). */
  ramdisk?: string;
}

/**
 * The seam through which pxe_ilo gets a node PXE-booted: DHCP options pointing the node's ports
 * at a TFTP (or HTTP) server, and the boot loader configuration and images on that server.
 * **This library runs no DHCP or TFTP server**: the embedder injects an implementation that
 * drives its own (dnsmasq host files, Neutron DHCP options, an ISC DHCP OMAPI client, a
 * `/tftpboot` tree…). pxe_ilo itself only adds what the iLO does: the boot mode before PXE, and a
 * one-time boot from the network. Every method must be idempotent; the clean-ups must not fail
 * when there is nothing to clean.
 *
 * `ironic-ilo/testing` has a recording implementation, `RecordingPxeConfigurator`.
 *
 * @example
 * ```ts
 * const pxe: PxeConfigurator = {
 *   async prepareRamdisk(task, { deployKernel, deployRamdisk, params, bootMode }) {
 *     await tftp.writeConfig(task.node.uuid, { kernel: deployKernel, initrd: deployRamdisk, append: params, bootMode });
 *     await dnsmasq.addHosts(task.ports.map((p) => p.address), { bootfile: bootMode === 'uefi' ? 'bootx64.efi' : 'pxelinux.0' });
 *   },
 *   async cleanUpRamdisk(task) { await tftp.removeConfig(task.node.uuid); },
 *   async prepareInstance(task, request) { await tftp.writeInstanceConfig(task.node.uuid, request); },
 *   async cleanUpInstance(task) {
 *     await tftp.removeConfig(task.node.uuid);
 *     await dnsmasq.removeHosts(task.ports.map((p) => p.address));
 *   },
 * };
 * ```
 */
export interface PxeConfigurator {
  /** Checks that what the node needs for PXE is in place (no changes). Optional. */
  validate?(task: Task, options?: OperationOptions): Promise<void>;
  /** Makes the node's next network boot start the deploy ramdisk with these parameters. */
  prepareRamdisk(task: Task, request: PxeRamdiskRequest, options?: OperationOptions): Promise<void>;
  /** Removes what {@link PxeConfigurator.prepareRamdisk} set up. */
  cleanUpRamdisk(task: Task, options?: OperationOptions): Promise<void>;
  /** Makes the node boot the deployed instance (from the network, or no longer from it). */
  prepareInstance(task: Task, request: PxeInstanceRequest, options?: OperationOptions): Promise<void>;
  /** Removes what {@link PxeConfigurator.prepareInstance} set up, and the node's DHCP options. */
  cleanUpInstance(task: Task, options?: OperationOptions): Promise<void>;
}
