import { createHash } from 'node:crypto';
import type { BootMode } from '../contracts/index.js';

/**
 * Everything that decides the bytes of an instance's boot ISO. Two nodes whose inputs are equal
 * share one ISO.
 *
 * @example
 * ```ts
 * const inputs: BootIsoInputs = {
 *   imageSource: node.instanceInfo.image_source!,
 *   kernel: node.instanceInfo.kernel!,
 *   ramdisk: node.instanceInfo.ramdisk!,
 *   bootMode: 'uefi',
 *   deployIso: node.driverInfo.ilo_deploy_iso!,
 *   rootUuid: node.driverInternalInfo.root_uuid_or_disk_id!,
 * };
 * ```
 */
export interface BootIsoInputs {
  /** `instance_info.image_source`: the deployed image the kernel and ramdisk belong to. */
  imageSource: string;
  /** The instance's kernel reference (`instance_info.kernel`, or the image's `kernel_id`). */
  kernel: string;
  /** The instance's ramdisk reference (`instance_info.ramdisk`, or the image's `ramdisk_id`). */
  ramdisk: string;
  /** `bios`: isolinux only; `uefi`: a hybrid ISO (isolinux and the deploy ISO's ESP), as Ironic built. */
  bootMode: BootMode;
  /** The deploy ISO reference whose `efiboot.img` and `grub.cfg` paths a UEFI ISO reuses (required for `uefi`). */
  deployIso?: string;
  /** The root partition's UUID: `root=UUID=<rootUuid>` starts the kernel command line. */
  rootUuid?: string;
  /** The rest of the kernel command line (default `[pxe] pxe_append_params`). */
  kernelParams?: string;
  /**
   * Known checksums of the references (`sha256:…`, md5 hex…). When one is missing, what the image
   * service says about the reference (its published checksum, or size and modification time)
   * stands for its content, so that a kernel replaced at the same URL gets a new ISO.
   */
  checksums?: BootIsoChecksums;
}

/**
 * Checksums (`sha256:…`, md5 hex…) of a boot ISO's inputs, or what stands for their content.
 *
 * @example
 * ```ts
 * const checksums: BootIsoChecksums = { kernel: 'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08' };
 * ```
 */
export interface BootIsoChecksums {
  /** Of the kernel. */
  kernel?: string;
  /** Of the ramdisk. */
  ramdisk?: string;
  /** Of the deploy ISO (UEFI). */
  deployIso?: string;
}

/** Bumped whenever the ISO builder's output for the same inputs changes. */
const LAYOUT_VERSION = 'ironic-ilo boot ISO layout 1';

/**
 * The store name of the shared boot ISO for these inputs: `boot-` and a SHA-256 over every input
 * that changes the ISO's bytes (image, kernel and ramdisk references with their content
 * fingerprints, boot mode, deploy ISO for UEFI, root UUID, kernel parameters) and the builder's
 * layout version.
 *
 * @example
 * ```ts
 * sharedBootIsoName(inputs, 'nofb nomodeset vga=normal', { kernel: 'sha256:…', ramdisk: 'sha256:…' });
 * // 'boot-3f1c…' (64 hex digits)
 * ```
 */
export function sharedBootIsoName(
  inputs: BootIsoInputs,
  kernelParams: string,
  fingerprints: BootIsoChecksums,
): string {
  const uefi = inputs.bootMode === 'uefi';
  const fields = [
    LAYOUT_VERSION,
    inputs.imageSource,
    inputs.kernel,
    fingerprints.kernel ?? '',
    inputs.ramdisk,
    fingerprints.ramdisk ?? '',
    inputs.bootMode,
    // A BIOS ISO does not use the deploy ISO: nodes with different deploy ISOs share it.
    uefi ? (inputs.deployIso ?? '') : '',
    uefi ? (fingerprints.deployIso ?? '') : '',
    inputs.rootUuid ?? '',
    kernelParams,
  ];
  return `boot-${createHash('sha256').update(JSON.stringify(fields)).digest('hex')}`;
}
