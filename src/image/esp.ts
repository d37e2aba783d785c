import type { OperationOptions } from '../contracts/index.js';
import { DEFAULT_IMAGE_TIMESTAMP, stableVolumeId } from './defaults.js';
import { checkFatVolume } from './fat/label.js';
import { buildFatVolume } from './fat/writer.js';
import type { ImageStream } from './image-stream.js';
import { OptionIssues } from './issues.js';
import { type ImageFile, type ImageInput, resolveFiles } from './source.js';

/** Options of {@link buildEspImage}. */
export interface EspImageOptions {
  /** The UEFI loader, stored as `EFI/BOOT/BOOTX64.EFI` (for example a `grub-mkimage -O x86_64-efi` image). */
  bootloader: ImageInput;
  /** The grub configuration, stored as `EFI/BOOT/grub.cfg`. */
  grubCfg: ImageInput;
  /** More files for the partition. */
  extraFiles?: readonly ImageFile[];
  /** Volume label. Default `ESP`. */
  label?: string;
  /** Free space to leave in the image, in KiB. Default 0: sized to fit. */
  freeKiB?: number;
  /** Timestamp of every entry. Default {@link DEFAULT_IMAGE_TIMESTAMP}. */
  timestamp?: Date;
  /** Volume serial number. Default: derived from the contents' names and sizes. */
  volumeId?: number;
}

/**
 * Builds an EFI system partition image (`efiboot.img`): `EFI/BOOT/BOOTX64.EFI` and
 * `EFI/BOOT/grub.cfg` on FAT12, or FAT16 when the contents need it, sized to fit. This is the
 * image a UEFI El Torito entry points at.
 *
 * @example
 * ```ts
 * const esp = await buildEspImage({ bootloader: 'build/BOOTX64.EFI', grubCfg: new TextEncoder().encode(cfg) });
 * await esp.writeToFile('efiboot.img');
 * ```
 */
export async function buildEspImage(
  options: EspImageOptions,
  operation: OperationOptions = {},
): Promise<ImageStream> {
  operation.signal?.throwIfAborted();
  const label = options.label ?? 'ESP';
  const freeKiB = options.freeKiB ?? 0;
  const timestamp = options.timestamp ?? DEFAULT_IMAGE_TIMESTAMP;
  const issues = new OptionIssues('ESP image');
  checkFatVolume(issues, label, timestamp, options.volumeId);
  issues.check(options.bootloader === undefined, 'bootloader', 'is required');
  issues.check(options.grubCfg === undefined, 'grubCfg', 'is required');
  issues.check(!Number.isInteger(freeKiB) || freeKiB < 0, 'freeKiB', 'must be a non-negative integer');
  issues.throwIfAny();
  const entries = await resolveFiles(
    [
      { path: 'EFI/BOOT/BOOTX64.EFI', input: options.bootloader },
      { path: 'EFI/BOOT/grub.cfg', input: options.grubCfg },
      ...(options.extraFiles ?? []),
    ],
    'vfat',
  );
  operation.signal?.throwIfAborted();
  return buildFatVolume({
    label,
    entries,
    totalSectors: undefined,
    slackBytes: freeKiB * 1024,
    timestamp,
    volumeId: options.volumeId ?? stableVolumeId([label, ...entries.flatMap((e) => [e.path, e.input.size])]),
  });
}
