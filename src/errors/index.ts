/**
 * Errors: one root class ({@link IronicIloError}) with a stable `code`, Ironic's names and
 * wording, and a guard that works across two installed copies of the package.
 *
 * @module
 */

export type { AgentAPIErrorDetails } from './agent.js';
export { AgentAPIError, AgentCommandTimeout, AgentConnectionFailed, AgentError } from './agent.js';
export type { ErrorOptions, FieldIssue, IronicIloErrorJSON } from './base.js';
export { IronicIloError, isIronicIloError } from './base.js';
export { DiskTooSmall, ImageChecksumError, ImageUnacceptable } from './disk.js';
export type { IloOperationErrorDetails, IloTimeoutKind } from './ilo.js';
export {
  IloCommandNotSupported,
  IloConnectionError,
  IloError,
  IloLoginFailed,
  IloOperationError,
  IloOperationNotSupported,
  IloTimeout,
} from './ilo.js';
export {
  ImageCreationFailed,
  ImageNotFound,
  ImageReadFailed,
  ImageRefValidationFailed,
  ImageUploadFailed,
  SwiftObjectNotFound,
  SwiftOperationError,
} from './images.js';
export type {
  IscsiLoginFailedDetails,
  IscsiLoginFailureReason,
  IscsiTimeoutKind,
  ScsiCommandFailedDetails,
} from './iscsi.js';
export {
  IscsiConnectionError,
  IscsiError,
  IscsiLoginFailed,
  IscsiProtocolError,
  IscsiTimeout,
  ScsiCommandFailed,
} from './iscsi.js';
export { MACAlreadyExists, NodeNotFound, NotSupported, UnsupportedDriverExtension } from './misc.js';
export type { ParameterErrorOptions } from './parameters.js';
export { InvalidParameterValue, MissingParameterValue } from './parameters.js';
export {
  ExclusiveLockRequired,
  HardwareInspectionFailure,
  InstanceDeployFailure,
  InvalidStateRequested,
  NodeCleaningFailure,
  PowerStateFailure,
} from './states.js';
