import type { OperationOptions } from '../contracts/index.js';
import { DEFAULT_IMAGE_TIMESTAMP, isValidDate } from './defaults.js';
import type { ImageStream } from './image-stream.js';
import { buildIsoVolume, MAX_EXTENT_SIZE } from './iso/writer.js';
import { OptionIssues } from './issues.js';
import { type ImageFile, resolveFiles } from './source.js';

/** The BIOS El Torito entry: a no-emulation boot file such as `isolinux/isolinux.bin`. */
export interface BiosBootOptions {
  /** Path of the boot file inside the image; it must be one of the image's files. */
  image: string;
  /** 512-byte sectors the BIOS loads (mkisofs `-boot-load-size`). Default 4, as isolinux needs. */
  loadSectors?: number;
  /** Patch the boot-info table isolinux needs (mkisofs `-boot-info-table`). Default `true`. */
  bootInfoTable?: boolean;
}

/** The UEFI El Torito entry (platform 0xEF): an EFI system partition image such as `efiboot.img`. */
export interface UefiBootOptions {
  /** Path of the ESP image inside the image; it must be one of the image's files. */
  image: string;
}

/** El Torito boot entries: BIOS, UEFI, or both (a hybrid, BIOS first as mkisofs writes it). */
export interface IsoBootOptions {
  /** The BIOS entry. */
  bios?: BiosBootOptions;
  /** The UEFI entry. */
  uefi?: UefiBootOptions;
}

/** Options of {@link buildIsoImage}. */
export interface IsoImageOptions {
  /** The files; parent directories are created. */
  files: readonly ImageFile[];
  /** Directories to create even when empty. */
  directories?: readonly string[];
  /** Volume label (at most 32 characters). Default `VMEDIA_BOOT_ISO`, as Ironic labelled its ISOs. */
  volumeLabel?: string;
  /** El Torito entries; none makes a data ISO. */
  boot?: IsoBootOptions;
  /** Write a Joliet tree (for Windows). Default `true`. */
  joliet?: boolean;
  /** Write Rock Ridge entries (real names and modes on Linux). Default `true`. */
  rockRidge?: boolean;
  /** Publisher identifier in the primary descriptor. Default empty. */
  publisher?: string;
  /** Application identifier in the primary descriptor. Default `IRONIC-ILO`. */
  applicationId?: string;
  /**
   * Largest extent of one file, a multiple of 2048; larger files are split into several
   * extents (ISO 9660 level 3). Default `0xFFFFF800`, the largest a directory record can hold;
   * lower it for readers that treat sizes as signed 32-bit numbers (2 GiB).
   */
  maxExtentSize?: number;
  /** Timestamp of the volume and every entry. Default {@link DEFAULT_IMAGE_TIMESTAMP}, for reproducible images. */
  timestamp?: Date;
}

/**
 * Builds an ISO 9660 image (level 3: files over 4 GiB are split into extents) with Joliet and
 * Rock Ridge trees and optional El Torito BIOS and UEFI entries. The layout is computed first,
 * then the bytes are produced as a stream; file data is copied in chunks from the inputs, so
 * memory stays flat however large the files are. The same inputs give the same bytes.
 *
 * @example
 * ```ts
 * const iso = await buildIsoImage({
 *   files: [
 *     { path: 'isolinux/isolinux.bin', input: '/usr/lib/ISOLINUX/isolinux.bin' },
 *     { path: 'isolinux/ldlinux.c32', input: '/usr/lib/syslinux/modules/bios/ldlinux.c32' },
 *     { path: 'isolinux/isolinux.cfg', input: new TextEncoder().encode(cfg) },
 *     { path: 'vmlinuz', input: 'vmlinuz' },
 *   ],
 *   boot: { bios: { image: 'isolinux/isolinux.bin' } },
 * });
 * await iso.writeToFile('boot.iso');
 * ```
 */
export async function buildIsoImage(
  options: IsoImageOptions,
  operation: OperationOptions = {},
): Promise<ImageStream> {
  const { signal } = operation;
  signal?.throwIfAborted();
  const volumeLabel = options.volumeLabel ?? 'VMEDIA_BOOT_ISO';
  const timestamp = options.timestamp ?? DEFAULT_IMAGE_TIMESTAMP;
  const maxExtentSize = options.maxExtentSize ?? MAX_EXTENT_SIZE;
  const loadSectors = options.boot?.bios?.loadSectors ?? 4;
  const issues = new OptionIssues('ISO image');
  issues.check(!Array.isArray(options.files), 'files', 'must be an array');
  issues.check(
    !/^[\x20-\x7e]{0,32}$/.test(volumeLabel),
    'volumeLabel',
    'must be at most 32 printable ASCII characters',
  );
  for (const [field, value] of [
    ['publisher', options.publisher],
    ['applicationId', options.applicationId],
  ] as const)
    issues.check(
      value !== undefined && !/^[\x20-\x7e]{0,128}$/.test(value),
      field,
      'must be at most 128 printable ASCII characters',
    );
  issues.check(
    !isValidDate(timestamp) || timestamp.getUTCFullYear() < 1900 || timestamp.getUTCFullYear() > 2155,
    'timestamp',
    'must be a valid Date from 1900 to 2155',
  );
  issues.check(
    !Number.isInteger(loadSectors) || loadSectors < 1 || loadSectors > 0xffff,
    'boot.bios.loadSectors',
    'must be an integer from 1 to 65535',
  );
  issues.check(
    !Number.isInteger(maxExtentSize) ||
      maxExtentSize < 2048 ||
      maxExtentSize % 2048 !== 0 ||
      maxExtentSize > MAX_EXTENT_SIZE,
    'maxExtentSize',
    'must be a multiple of 2048 up to 0xFFFFF800',
  );
  issues.throwIfAny();
  const files = await resolveFiles(options.files, 'iso');
  signal?.throwIfAborted();
  const bios = options.boot?.bios;
  return buildIsoVolume(
    {
      entries: [...files, ...(options.directories ?? []).map((path) => ({ path }))],
      volumeLabel,
      publisher: options.publisher ?? '',
      applicationId: options.applicationId ?? 'IRONIC-ILO',
      timestamp,
      joliet: options.joliet ?? true,
      rockRidge: options.rockRidge ?? true,
      bios: bios && { path: bios.image, loadSectors, bootInfoTable: bios.bootInfoTable ?? true },
      uefi: options.boot?.uefi && { path: options.boot.uefi.image },
      maxExtentSize,
    },
    signal,
  );
}
