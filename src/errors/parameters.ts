import { type ErrorOptions, type FieldIssue, IronicIloError, type IronicIloErrorJSON } from './base.js';

/** Options of parameter errors. */
export interface ParameterErrorOptions extends ErrorOptions {
  /** Every bad field, so that callers can report them all at once. */
  fields?: readonly FieldIssue[];
}

/**
 * A parameter has an invalid value (HTTP 400 in Ironic). `fields` names every bad field.
 *
 * @example
 * ```ts
 * throw new InvalidParameterValue('Invalid boot device floppy specified.');
 * ```
 */
export class InvalidParameterValue extends IronicIloError {
  static override readonly code: string = 'INVALID_PARAMETER_VALUE';
  /** @internal */
  static readonly errorName: string = 'InvalidParameterValue';
  /** Every bad field (may be empty when the message says it all). */
  readonly fields: readonly FieldIssue[];

  constructor(message: string, options?: ParameterErrorOptions) {
    super(message, options);
    this.fields = options?.fields ?? [];
  }

  override toJSON(): IronicIloErrorJSON {
    return { ...super.toJSON(), fields: this.fields };
  }
}

/**
 * A required parameter is missing. A subclass of {@link InvalidParameterValue}, as in Ironic.
 *
 * @example
 * ```ts
 * throw new MissingParameterValue("Missing 'console_port' parameter in node's driver_info.");
 * ```
 */
export class MissingParameterValue extends InvalidParameterValue {
  static override readonly code: string = 'MISSING_PARAMETER_VALUE';
  /** @internal */
  static override readonly errorName: string = 'MissingParameterValue';
}
