/**
 * Boot: the virtual floppy of the deploy ramdisk and the shared instance boot ISOs, published
 * in an image store for the iLO's virtual media. `VirtualMediaBoot` builds on them.
 *
 * @module
 */
export type { BootIsoChecksums, BootIsoInputs } from './boot-iso-name.js';
export { sharedBootIsoName } from './boot-iso-name.js';
export type { PublishedFloppy, PublishFloppyOptions, RemoveFloppyOptions } from './floppy.js';
export { floppyImageName, publishFloppy, removeFloppy, removeNodeFloppies } from './floppy.js';
export type { AcquireBootIsoOptions, ReleaseBootIsoOptions, SharedBootIso } from './shared-boot-iso.js';
export { acquireSharedBootIso, releaseSharedBootIso } from './shared-boot-iso.js';
