/**
 * Boot: Ironic's `IloVirtualMediaBoot` ({@link VirtualMediaBoot}), with the pieces it is built
 * from — the virtual floppy of the deploy ramdisk and the shared instance boot ISOs, published in
 * an image store for the iLO's virtual media.
 *
 * @module
 */
export { SHARED_BOOT_ISO } from './boot-iso.js';
export type { BootIsoChecksums, BootIsoInputs } from './boot-iso-name.js';
export { sharedBootIsoName } from './boot-iso-name.js';
export type { PublishedFloppy, PublishFloppyOptions, RemoveFloppyOptions } from './floppy.js';
export { floppyImageName, publishFloppy, removeFloppy, removeNodeFloppies } from './floppy.js';
export type { IsoAttacher, IsoAttacherOptions } from './iso-attacher.js';
export { virtualMediaIsoAttacher } from './iso-attacher.js';
export type { AcquireBootIsoOptions, ReleaseBootIsoOptions, SharedBootIso } from './shared-boot-iso.js';
export { acquireSharedBootIso, releaseSharedBootIso } from './shared-boot-iso.js';
export type { VirtualMediaBootOptions } from './virtual-media-boot.js';
export { isNetboot, VirtualMediaBoot } from './virtual-media-boot.js';
