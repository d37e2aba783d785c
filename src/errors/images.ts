import { type ErrorOptions, IronicIloError } from './base.js';

/**
 * Building an image failed: `"Creating <imageType> image failed: <error>"`. Nothing partial is
 * left behind when this is thrown.
 *
 * @example
 * ```ts
 * throw new ImageCreationFailed({ imageType: 'iso', error: "Deploy iso didn't contain efiboot.img or grub.cfg" });
 * ```
 */
export class ImageCreationFailed extends IronicIloError {
  static override readonly code: string = 'IMAGE_CREATION_FAILED';
  /** @internal */
  static readonly errorName: string = 'ImageCreationFailed';
  /** `'vfat'` or `'iso'` (Ironic's values), or another image kind. */
  readonly imageType: string;

  constructor(details: { imageType: string; error: string } & ErrorOptions) {
    super(`Creating ${details.imageType} image failed: ${details.error}`, details);
    this.imageType = details.imageType;
  }
}

/**
 * Reading an image failed: it cannot be opened, or it is not a valid image of its type:
 * `"Reading <imageType> image failed: <error>"`.
 *
 * @example
 * ```ts
 * throw new ImageReadFailed({ imageType: 'iso', error: 'no primary volume descriptor at block 16' });
 * ```
 */
export class ImageReadFailed extends IronicIloError {
  static override readonly code: string = 'IMAGE_READ_FAILED';
  /** @internal */
  static readonly errorName: string = 'ImageReadFailed';
  /** `'vfat'` or `'iso'`. */
  readonly imageType: string;

  constructor(details: { imageType: string; error: string } & ErrorOptions) {
    super(`Reading ${details.imageType} image failed: ${details.error}`, details);
    this.imageType = details.imageType;
  }
}

/**
 * Publishing an image failed:
 * `"Failed to upload <imageName> image to web server <webServer>, reason: <reason>"`.
 *
 * @example
 * ```ts
 * throw new ImageUploadFailed({ imageName: 'boot-1234', webServer: 'http://10.0.0.1/', reason: 'ENOSPC' });
 * ```
 */
export class ImageUploadFailed extends IronicIloError {
  static override readonly code: string = 'IMAGE_UPLOAD_FAILED';
  /** @internal */
  static readonly errorName: string = 'ImageUploadFailed';
  /** Name of the image that was being published. */
  readonly imageName: string;

  constructor(details: { imageName: string; webServer: string; reason: string } & ErrorOptions) {
    super(
      `Failed to upload ${details.imageName} image to web server ${details.webServer}, reason: ${details.reason}`,
      details,
    );
    this.imageName = details.imageName;
  }
}

/**
 * An image reference cannot be used:
 * `"Validation of image href <imageHref> failed, reason: <reason>"`.
 *
 * @example
 * ```ts
 * throw new ImageRefValidationFailed({ imageHref: 'ftp://x/y.iso', reason: 'unsupported scheme ftp' });
 * ```
 */
export class ImageRefValidationFailed extends IronicIloError {
  static override readonly code: string = 'IMAGE_REF_VALIDATION_FAILED';
  /** @internal */
  static readonly errorName: string = 'ImageRefValidationFailed';
  /** The reference, with any temp-URL signature removed. */
  readonly imageHref: string;

  constructor(details: { imageHref: string; reason: string } & ErrorOptions) {
    super(`Validation of image href ${details.imageHref} failed, reason: ${details.reason}`, details);
    this.imageHref = details.imageHref;
  }
}

/**
 * An image or stored object does not exist: `"Image <imageId> could not be found."` (Ironic's
 * `ImageNotFound`). Thrown for a Glance id Glance does not know, and by
 * `ImageStore.acquire()` when the shared object is gone.
 *
 * @example
 * ```ts
 * throw new ImageNotFound({ imageId: 'boot-6f1c…' });
 * ```
 */
export class ImageNotFound extends IronicIloError {
  static override readonly code: string = 'IMAGE_NOT_FOUND';
  /** @internal */
  static readonly errorName: string = 'ImageNotFound';
  /** The image id, reference or object name (never with a temp-URL signature). */
  readonly imageId: string;

  constructor(details: { imageId: string } & ErrorOptions) {
    super(`Image ${details.imageId} could not be found.`, details);
    this.imageId = details.imageId;
  }
}

/**
 * A Swift request failed: `"Swift operation '<operation>' failed: <error>"`.
 *
 * @example
 * ```ts
 * throw new SwiftOperationError({ operation: 'put object', error: 'HTTP 503' });
 * ```
 */
export class SwiftOperationError extends IronicIloError {
  static override readonly code: string = 'SWIFT_OPERATION_ERROR';
  /** @internal */
  static readonly errorName: string = 'SwiftOperationError';
  /** The Swift operation, for example `'put object'`. */
  readonly operation: string;

  constructor(details: { operation: string; error: string } & ErrorOptions, message?: string) {
    super(message ?? `Swift operation '${details.operation}' failed: ${details.error}`, details);
    this.operation = details.operation;
  }
}

/**
 * A Swift object does not exist (HTTP 404). A subclass of {@link SwiftOperationError}.
 *
 * @example
 * ```ts
 * throw new SwiftObjectNotFound({ object: 'image-1234', container: 'ironic_ilo_container', operation: 'delete object' });
 * ```
 */
export class SwiftObjectNotFound extends SwiftOperationError {
  static override readonly code: string = 'SWIFT_OBJECT_NOT_FOUND';
  /** @internal */
  static override readonly errorName: string = 'SwiftObjectNotFound';
  /** The object's name. */
  readonly object: string;
  /** The container's name. */
  readonly container: string;

  constructor(details: { object: string; container: string; operation: string } & ErrorOptions) {
    super(
      { operation: details.operation, error: 'not found', cause: details.cause },
      `Swift object ${details.object} from container ${details.container} not found. Operation '${details.operation}' failed.`,
    );
    this.object = details.object;
    this.container = details.container;
  }
}
