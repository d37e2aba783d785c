/**
 * The iscsi_ilo data path: a userspace iSCSI initiator (RFC 7143) and a disk-image writer
 * (raw and qcow2, whole-disk and partition images) behind the {@link DiskWriter} interface.
 *
 * @module
 */
export type { BlockDevice, FileBlockDeviceOptions } from './disk/block-device.js';
export { FileBlockDevice } from './disk/block-device.js';
export { fat32Formatter } from './disk/fat32-formatter.js';
export type { LayoutRequest, PartitionRole, PlannedPartition } from './disk/layout.js';
export { CONFIGDRIVE_PARTITION_MB, planPartitions } from './disk/layout.js';
export type { FilesystemIdentity } from './disk/superblock.js';
export { IDENTIFY_BYTES, identifyFilesystem } from './disk/superblock.js';
export { CONFIGDRIVE_MAX_BYTES, decodeConfigDrive } from './images/configdrive.js';
export type {
  ChunkObserver,
  ChunkReceipt,
  DataExtent,
  DiskImageReader,
  Extent,
  ExtentOptions,
  ZeroExtent,
} from './images/extent.js';
export type {
  DiskImageFile,
  DiskImageFormat,
  DiskImageSource,
  DiskImageStream,
} from './images/open-image.js';
export { Qcow2ImageReader } from './images/qcow2.js';
export { RawImageReader } from './images/raw.js';
export type { ChapCredentials, ChapMutualCredentials } from './initiator/login.js';
export type { IscsiLunOptions } from './initiator/lun.js';
export { IscsiLun } from './initiator/lun.js';
export { IscsiSession } from './initiator/session.js';
export type { IscsiSessionOptions, ScsiRequest, ScsiResult } from './initiator/session-options.js';
export { defaultInitiatorName } from './initiator/session-options.js';
export type { IscsiProposal, IscsiSessionParameters } from './protocol/negotiation.js';
export type { Cdb } from './scsi/cdb.js';
export type { CapacityData, InquiryData } from './scsi/parse.js';
export type { DiskWriter, IscsiDiskWriterOptions, IscsiTarget } from './writer/disk-writer.js';
export { IscsiDiskWriter } from './writer/disk-writer.js';
export type { DiskWriteRequestOptions } from './writer/from-instance-info.js';
export { diskWriteRequestFromInstanceInfo } from './writer/from-instance-info.js';
export type {
  DiskWriteOptions,
  DiskWriteProgress,
  DiskWriteRequest,
  DiskWriteResult,
  FormatTarget,
  PartitionFormatter,
  PartitionRequest,
  WrittenPartition,
} from './writer/types.js';
export { writeDiskImage } from './writer/write-disk-image.js';
