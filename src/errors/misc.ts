import { type ErrorOptions, IronicIloError } from './base.js';

/**
 * A feature this library does not implement (yet), or that cannot work in this environment.
 * Never faked: the message says what is missing.
 *
 * @example
 * ```ts
 * throw new NotSupported({ feature: 'qcow2 images', reason: 'qemu-img is not installed' });
 * ```
 */
export class NotSupported extends IronicIloError {
  static override readonly code: string = 'NOT_SUPPORTED';
  /** @internal */
  static readonly errorName: string = 'NotSupported';
  /** The missing feature. */
  readonly feature: string;

  constructor(details: { feature: string; reason: string } & ErrorOptions) {
    super(`${details.feature} is not supported: ${details.reason}`, details);
    this.feature = details.feature;
  }
}

/**
 * The vendor passthru method does not exist on this driver.
 *
 * @example
 * ```ts
 * throw new UnsupportedDriverExtension({ extension: 'vendor method frobnicate', driver: 'agent_ilo' });
 * ```
 */
export class UnsupportedDriverExtension extends IronicIloError {
  static override readonly code: string = 'UNSUPPORTED_DRIVER_EXTENSION';
  /** @internal */
  static readonly errorName: string = 'UnsupportedDriverExtension';

  constructor(details: { extension: string; driver: string } & ErrorOptions) {
    super(
      `Driver ${details.driver} does not support ${details.extension} (disabled or not implemented).`,
      details,
    );
  }
}

/**
 * A port with this MAC address already exists.
 *
 * @example
 * ```ts
 * throw new MACAlreadyExists({ mac: '52:54:00:12:34:56' });
 * ```
 */
export class MACAlreadyExists extends IronicIloError {
  static override readonly code: string = 'MAC_ALREADY_EXISTS';
  /** @internal */
  static readonly errorName: string = 'MACAlreadyExists';
  /** The MAC address. */
  readonly mac: string;

  constructor(details: { mac: string } & ErrorOptions) {
    super(`A port with MAC address ${details.mac} already exists.`, details);
    this.mac = details.mac;
  }
}

/**
 * No node matches: `"Node <node> could not be found."` (the agent's lookup by MAC found none, or
 * more than one).
 *
 * @example
 * ```ts
 * throw new NodeNotFound({ node: '52:54:00:12:34:56' });
 * ```
 */
export class NodeNotFound extends IronicIloError {
  static override readonly code: string = 'NODE_NOT_FOUND';
  /** @internal */
  static readonly errorName: string = 'NodeNotFound';

  constructor(details: { node: string } & ErrorOptions) {
    super(`Node ${details.node} could not be found.`, details);
  }
}
