import { type ErrorOptions, IronicIloError } from './base.js';
import { InstanceDeployFailure } from './states.js';

/**
 * An image does not fit where it is written: a whole-disk image larger than the disk, a
 * partition image larger than its root partition, partitions larger than the disk. Thrown before
 * anything is written whenever the sizes are known in advance. A subclass of
 * {@link InstanceDeployFailure}, so a deploy that catches that catches this.
 *
 * @example
 * ```ts
 * if (e instanceof DiskTooSmall) console.error(`need ${e.requiredBytes}, have ${e.availableBytes}`);
 * ```
 */
export class DiskTooSmall extends InstanceDeployFailure {
  static override readonly code: string = 'DISK_TOO_SMALL';
  /** @internal */
  static override readonly errorName: string = 'DiskTooSmall';
  /** Bytes needed. */
  readonly requiredBytes: number;
  /** Bytes available. */
  readonly availableBytes: number;

  constructor(
    details: { what: string; requiredBytes: number; availableBytes: number; detail?: string } & ErrorOptions,
  ) {
    const more = details.detail === undefined ? '' : ` (${details.detail})`;
    super({
      reason: `${details.what} is too small: ${details.requiredBytes} bytes needed, ${details.availableBytes} available${more}`,
      cause: details.cause,
    });
    this.requiredBytes = details.requiredBytes;
    this.availableBytes = details.availableBytes;
  }
}

/**
 * The image's bytes do not match `image_checksum` (the name of the Ironic Python Agent's error).
 *
 * @example
 * ```ts
 * throw new ImageChecksumError({ image: 'cirros.qcow2', algorithm: 'sha256', expected: 'ab…', actual: 'cd…' });
 * ```
 */
export class ImageChecksumError extends IronicIloError {
  static override readonly code: string = 'IMAGE_CHECKSUM_ERROR';
  /** @internal */
  static readonly errorName: string = 'ImageChecksumError';
  /** Hash algorithm, for example `'md5'` or `'sha256'`. */
  readonly algorithm: string;
  /** The checksum the caller gave. */
  readonly expected: string;
  /** The checksum of the bytes read. */
  readonly actual: string;

  constructor(
    details: { image: string; algorithm: string; expected: string; actual: string } & ErrorOptions,
  ) {
    super(
      `The ${details.algorithm} checksum of image ${details.image} is ${details.actual}, expected ${details.expected}`,
      details,
    );
    this.algorithm = details.algorithm;
    this.expected = details.expected;
    this.actual = details.actual;
  }
}

/**
 * The image cannot be used: not the format it claims, damaged, or with a feature this library
 * refuses to guess about (Ironic's wording: `"Image <image> is unacceptable: <reason>"`).
 *
 * @example
 * ```ts
 * throw new ImageUnacceptable({ image: 'disk.qcow2', reason: 'L2 table offset 0x1234 is not cluster aligned' });
 * ```
 */
export class ImageUnacceptable extends IronicIloError {
  static override readonly code: string = 'IMAGE_UNACCEPTABLE';
  /** @internal */
  static readonly errorName: string = 'ImageUnacceptable';
  /** The image (a path or a description of the stream). */
  readonly image: string;

  constructor(details: { image: string; reason: string } & ErrorOptions) {
    super(`Image ${details.image} is unacceptable: ${details.reason}`, details);
    this.image = details.image;
  }
}
