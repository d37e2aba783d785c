import type { OperationOptions } from '../contracts/index.js';
import { espFromDeployIso } from './deploy-iso.js';
import type { ImageStream } from './image-stream.js';
import { buildIsoImage } from './iso-image.js';
import { OptionIssues } from './issues.js';
import type { ReadableImage } from './random-access.js';
import type { ImageFile, ImageInput } from './source.js';
import { bootKernelParams, renderGrubConfig, renderIsolinuxConfig } from './templates.js';

/** How a boot ISO boots: BIOS (isolinux), UEFI (grub from an ESP image), or both. */
export type BootIsoMode = 'bios' | 'uefi' | 'hybrid';

/** Options of {@link createBootIso}. */
export interface BootIsoOptions {
  /** `bios`: isolinux only; `uefi`: the ESP only; `hybrid`: both El Torito entries (Ironic's UEFI ISOs). */
  bootMode: BootIsoMode;
  /** The kernel, stored as `/vmlinuz`. */
  kernel: ImageInput;
  /** The ramdisk, stored as `/initrd`. */
  ramdisk: ImageInput;
  /** The instance's root partition UUID: `root=UUID=<rootUuid>` starts the kernel command line. */
  rootUuid?: string;
  /** The rest of the kernel command line. Default `nofb nomodeset vga=normal` (`[pxe] pxe_append_params`). */
  kernelParams?: string;
  /**
   * For `uefi` and `hybrid`: the deploy ISO whose `efiboot.img` and `grub.cfg` locations are
   * reused, as Ironic did (the ESP is copied, grub.cfg is rendered at the same path).
   */
  deployIso?: ReadableImage;
  /**
   * For `uefi` and `hybrid`, instead of `deployIso`: an ESP image (see {@link buildEspImage}),
   * stored at `espImagePath`, with grub.cfg at `grubConfigPath`.
   */
  espImage?: ImageInput;
  /** Where `espImage` goes. Default `boot/grub/efiboot.img` (Ironic's later layout). */
  espImagePath?: string;
  /** Where grub.cfg goes with `espImage` (`[DEFAULT] grub_config_path`). Default `EFI/BOOT/grub.cfg`. */
  grubConfigPath?: string;
  /** grub's menu timeout. Default 5, Ironic's. */
  grubTimeoutSeconds?: number;
  /** isolinux (`[DEFAULT] isolinux_bin`). Default `/usr/lib/ISOLINUX/isolinux.bin` (Debian's `isolinux`). */
  isolinuxBin?: ImageInput;
  /** ldlinux.c32 (`[DEFAULT] ldlinux_c32`). Default `/usr/lib/syslinux/modules/bios/ldlinux.c32`. */
  ldlinuxC32?: ImageInput;
  /** Volume label. Default `VMEDIA_BOOT_ISO`. */
  volumeLabel?: string;
  /** Timestamp of the volume and its entries. Default: fixed, for reproducible ISOs. */
  timestamp?: Date;
}

/** Ironic's default `[pxe] pxe_append_params`. */
export const DEFAULT_KERNEL_PARAMS = 'nofb nomodeset vga=normal';
/** Debian's isolinux.bin (package `isolinux`). */
export const DEFAULT_ISOLINUX_BIN = '/usr/lib/ISOLINUX/isolinux.bin';
/** Debian's ldlinux.c32 (package `syslinux-common`). */
export const DEFAULT_LDLINUX_C32 = '/usr/lib/syslinux/modules/bios/ldlinux.c32';

const BOOT_MODES: readonly string[] = ['bios', 'uefi', 'hybrid'];

/**
 * Builds the boot ISO of a netboot instance as Ironic's `create_boot_iso` did: `/vmlinuz`,
 * `/initrd`, isolinux in `/isolinux/` with Ironic's `isolinux.cfg` for BIOS, the ESP image and a
 * rendered `grub.cfg` for UEFI (taken from the deploy ISO, or given), and El Torito entries for
 * the chosen mode. Nothing is mounted and no external tool runs; the kernel and the ramdisk are
 * streamed into the ISO when it is written.
 *
 * Throws `InvalidParameterValue` naming every bad option, and `ImageCreationFailed` when an
 * input is missing or unreadable, or the deploy ISO has no `efiboot.img` or `grub.cfg`.
 *
 * @example
 * ```ts
 * const iso = await createBootIso({
 *   bootMode: 'hybrid',
 *   kernel: '/var/lib/ironic/images/vmlinuz',
 *   ramdisk: '/var/lib/ironic/images/initrd',
 *   rootUuid: '2f4a8b8e-4f7e-4e3f-9b8a-0c2c8f2f1a11',
 *   deployIso: '/var/lib/ironic/images/deploy.iso',
 * });
 * await iso.writeToFile(`/httpboot/boot-${node.uuid}`, { signal });
 * ```
 */
export async function createBootIso(
  options: BootIsoOptions,
  operation: OperationOptions = {},
): Promise<ImageStream> {
  const { signal } = operation;
  signal?.throwIfAborted();
  const kernelParams = bootKernelParams(options.rootUuid, options.kernelParams ?? DEFAULT_KERNEL_PARAMS);
  const uefi = options.bootMode === 'uefi' || options.bootMode === 'hybrid';
  const bios = options.bootMode === 'bios' || options.bootMode === 'hybrid';
  const grubTimeoutSeconds = options.grubTimeoutSeconds ?? 5;
  const issues = new OptionIssues('boot ISO');
  issues.check(!BOOT_MODES.includes(options.bootMode), 'bootMode', "must be 'bios', 'uefi' or 'hybrid'");
  issues.check(options.kernel === undefined, 'kernel', 'is required');
  issues.check(options.ramdisk === undefined, 'ramdisk', 'is required');
  issues.check(
    options.rootUuid !== undefined && !/^\S+$/.test(options.rootUuid),
    'rootUuid',
    'must be non-empty without spaces',
  );
  issues.check(/[\r\n]/.test(options.kernelParams ?? ''), 'kernelParams', 'must be one line');
  issues.check(
    uefi && (options.deployIso === undefined) === (options.espImage === undefined),
    'deployIso',
    `or espImage (exactly one) is required for boot mode ${options.bootMode}`,
  );
  issues.check(
    !Number.isInteger(grubTimeoutSeconds) || grubTimeoutSeconds < 0,
    'grubTimeoutSeconds',
    'must be a non-negative integer',
  );
  issues.throwIfAny();

  const files: ImageFile[] = [
    { path: 'vmlinuz', input: options.kernel },
    { path: 'initrd', input: options.ramdisk },
  ];
  const values = { kernel: '/vmlinuz', ramdisk: '/initrd', kernelParams };
  if (bios)
    files.push(
      { path: 'isolinux/isolinux.bin', input: options.isolinuxBin ?? DEFAULT_ISOLINUX_BIN },
      { path: 'isolinux/ldlinux.c32', input: options.ldlinuxC32 ?? DEFAULT_LDLINUX_C32 },
      { path: 'isolinux/isolinux.cfg', input: text(renderIsolinuxConfig(values)) },
    );
  let espPath: string | undefined;
  if (uefi) {
    const grubCfg = text(renderGrubConfig({ ...values, timeoutSeconds: grubTimeoutSeconds }));
    if (options.deployIso !== undefined) {
      const found = await espFromDeployIso(options.deployIso, signal);
      espPath = found.espPath;
      files.push(
        { path: espPath, input: { size: found.esp.size, stream: (s) => found.esp.chunks(s) } },
        { path: found.grubCfgPath, input: grubCfg },
      );
    } else if (options.espImage !== undefined) {
      espPath = options.espImagePath ?? 'boot/grub/efiboot.img';
      files.push(
        { path: espPath, input: options.espImage },
        { path: options.grubConfigPath ?? 'EFI/BOOT/grub.cfg', input: grubCfg },
      );
    }
  }
  return buildIsoImage(
    {
      files,
      volumeLabel: options.volumeLabel ?? 'VMEDIA_BOOT_ISO',
      timestamp: options.timestamp,
      boot: {
        bios: bios ? { image: 'isolinux/isolinux.bin', loadSectors: 4, bootInfoTable: true } : undefined,
        uefi: espPath === undefined ? undefined : { image: espPath },
      },
    },
    operation,
  );
}

function text(value: string): Uint8Array {
  return new TextEncoder().encode(value);
}
