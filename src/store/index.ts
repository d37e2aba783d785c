/**
 * Image stores and image references: where the floppy and boot ISOs are published so that the
 * iLO can fetch them ({@link SwiftStore}, {@link WebServerStore}, or your own
 * {@link ImageStore}), shared boot ISOs counted safely ({@link publishShared}), and the
 * resolution of the image references a node carries ({@link ImageService}).
 *
 * @module
 */
export type { ImageStoreFromConfigOptions } from './from-config.js';
export { imageStoreFromConfig } from './from-config.js';
export type { HolderTiming, MarkerBackend } from './holders.js';
export { acquireHolder, releaseHolder } from './holders.js';
export type { HttpTimeouts, TlsOptions, TransportOptions } from './http.js';
export type {
  ImageSource,
  ImageStore,
  PublishedImage,
  PublishOptions,
  StoredImage,
  UrlOptions,
} from './image-store.js';
export type { ChecksumAlgorithm, ImageChecksum } from './images/checksum.js';
export { parseChecksum } from './images/checksum.js';
export type { GlanceImage, GlanceSection } from './images/glance.js';
export { glanceSwiftContainer, glanceTempUrl } from './images/glance.js';
export type { ImageRef, ImageRefKind } from './images/refs.js';
export { parseImageRef } from './images/refs.js';
export type {
  DownloadedImage,
  DownloadOptions,
  ImageInfo,
  ImageProperties,
  ImageServiceOptions,
  ImageUrlOptions,
  OpenedImage,
} from './images/service.js';
export { ImageService } from './images/service.js';
export { joinUrl, secretImageName, validateHolderId, validateImageName, validatePublish } from './names.js';
export type { PublishSharedOptions, SharedImage } from './shared.js';
export { publishShared } from './shared.js';
export type {
  EndpointInterface,
  SwiftAuth,
  SwiftKeystoneV2Auth,
  SwiftKeystoneV3Auth,
  SwiftTempAuth,
} from './swift/auth.js';
export type { SetTempUrlKeyOptions, SwiftStoreOptions } from './swift/store.js';
export { SwiftStore } from './swift/store.js';
export type { SwiftTempUrlInput, TempUrlDigest } from './swift/temp-url.js';
export { swiftTempUrl } from './swift/temp-url.js';
export type { SweepResult, WebServerStoreOptions } from './web/store.js';
export { WebServerStore } from './web/store.js';
