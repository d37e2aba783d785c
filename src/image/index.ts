/**
 * Images for virtual media, built in TypeScript without root, `mount` or external tools: the
 * FAT virtual floppy with `parameters.txt`, EFI system partition images, ISO 9660 images with
 * Joliet, Rock Ridge and El Torito (BIOS, UEFI, hybrid), Ironic's boot ISOs, and readers for
 * ISO and FAT images. Every builder returns an {@link ImageStream}: laid out up front, its
 * bytes produced as they are read.
 *
 * @module
 */
export type { BootIsoMode, BootIsoOptions } from './boot-iso.js';
export {
  createBootIso,
  DEFAULT_ISOLINUX_BIN,
  DEFAULT_KERNEL_PARAMS,
  DEFAULT_LDLINUX_C32,
} from './boot-iso.js';
export { DEFAULT_IMAGE_TIMESTAMP } from './defaults.js';
export type { EspImageOptions } from './esp.js';
export { buildEspImage } from './esp.js';
export type { FatEntry } from './fat/reader.js';
export { FatImage, openFatImage } from './fat/reader.js';
export type { FloppyImageOptions } from './floppy.js';
export { buildFloppyImage, formatParameters } from './floppy.js';
export type { ImageToBytesOptions } from './image-stream.js';
export { ImageStream, imageToBytes, writeImageFile } from './image-stream.js';
export type { ElToritoEntry } from './iso/catalog-reader.js';
export type { IsoEntry, IsoExtent, IsoNamespace, OpenIsoOptions } from './iso/reader.js';
export { IsoImage, openIsoImage } from './iso/reader.js';
export type { BiosBootOptions, IsoBootOptions, IsoImageOptions, UefiBootOptions } from './iso-image.js';
export { buildIsoImage } from './iso-image.js';
export type { RandomAccessSource, ReadableImage } from './random-access.js';
export type { ImageFile, ImageInput, SizedStream } from './source.js';
export type { BootConfigValues } from './templates.js';
export { renderGrubConfig, renderIsolinuxConfig } from './templates.js';
