import { type ErrorOptions, IronicIloError } from './base.js';

/**
 * The node did not reach a power state: `"Failed to set node power state to <pstate>."`.
 *
 * @example
 * ```ts
 * throw new PowerStateFailure({ pstate: 'power off' });
 * ```
 */
export class PowerStateFailure extends IronicIloError {
  static override readonly code: string = 'POWER_STATE_FAILURE';
  /** @internal */
  static readonly errorName: string = 'PowerStateFailure';
  /** The target state that was not reached. */
  readonly pstate: string;

  constructor(details: { pstate: string } & ErrorOptions) {
    super(`Failed to set node power state to ${details.pstate}.`, details);
    this.pstate = details.pstate;
  }
}

/**
 * The action is not allowed in the node's current state.
 *
 * @example
 * ```ts
 * throw new InvalidStateRequested({ action: 'boot_into_iso', node: node.uuid, state: node.provisionState });
 * ```
 */
export class InvalidStateRequested extends IronicIloError {
  static override readonly code: string = 'INVALID_STATE_REQUESTED';
  /** @internal */
  static readonly errorName: string = 'InvalidStateRequested';

  constructor(
    details: ({ action: string; node: string; state: string } | { message: string }) & ErrorOptions,
  ) {
    super(
      'message' in details
        ? details.message
        : `The requested action "${details.action}" can not be performed on node "${details.node}" while it is in state "${details.state}".`,
      details,
    );
  }
}

/**
 * The operation changes the node but the task holds only a shared lock.
 *
 * @example
 * ```ts
 * if (task.shared) throw new ExclusiveLockRequired();
 * ```
 */
export class ExclusiveLockRequired extends IronicIloError {
  static override readonly code: string = 'EXCLUSIVE_LOCK_REQUIRED';
  /** @internal */
  static readonly errorName: string = 'ExclusiveLockRequired';

  constructor(options?: ErrorOptions) {
    super('An exclusive lock is required, but the current context has a shared lock.', options);
  }
}

/**
 * Cleaning failed: `"Failed to clean node <node>: <reason>"`, or Ironic's pre-formatted message.
 *
 * @example
 * ```ts
 * throw new NodeCleaningFailure({ node: node.uuid, reason: 'reset_bios_to_default failed' });
 * ```
 */
export class NodeCleaningFailure extends IronicIloError {
  static override readonly code: string = 'NODE_CLEANING_FAILURE';
  /** @internal */
  static readonly errorName: string = 'NodeCleaningFailure';

  constructor(details: ({ node: string; reason: string } | { message: string }) & ErrorOptions) {
    super(
      'message' in details ? details.message : `Failed to clean node ${details.node}: ${details.reason}`,
      details,
    );
  }
}

/**
 * Inspection could not read the essential properties:
 * `"Failed to inspect hardware. Reason: <error>"`.
 *
 * @example
 * ```ts
 * throw new HardwareInspectionFailure({ error: "Server didn't return the key(s): cpu_arch" });
 * ```
 */
export class HardwareInspectionFailure extends IronicIloError {
  static override readonly code: string = 'HARDWARE_INSPECTION_FAILURE';
  /** @internal */
  static readonly errorName: string = 'HardwareInspectionFailure';

  constructor(details: { error: string } & ErrorOptions) {
    super(`Failed to inspect hardware. Reason: ${details.error}`, details);
  }
}

/**
 * A deploy failed: `"Failed to deploy instance: <reason>"`.
 *
 * @example
 * ```ts
 * throw new InstanceDeployFailure({ reason: 'No root UUID returned by the deploy ramdisk' });
 * ```
 */
export class InstanceDeployFailure extends IronicIloError {
  static override readonly code: string = 'INSTANCE_DEPLOY_FAILURE';
  /** @internal */
  static readonly errorName: string = 'InstanceDeployFailure';

  constructor(details: { reason: string } & ErrorOptions) {
    super(`Failed to deploy instance: ${details.reason}`, details);
  }
}
