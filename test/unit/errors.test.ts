import { describe, expect, it, vi } from 'vitest';
import * as lib from '../../src/index.js';

const {
  IronicIloError,
  InvalidParameterValue,
  MissingParameterValue,
  IloError,
  IloOperationError,
  IloOperationNotSupported,
  IloCommandNotSupported,
  IloConnectionError,
  IloLoginFailed,
  IloTimeout,
  ImageCreationFailed,
  ImageUploadFailed,
  ImageRefValidationFailed,
  SwiftOperationError,
  SwiftObjectNotFound,
  PowerStateFailure,
  NodeCleaningFailure,
  HardwareInspectionFailure,
  InvalidStateRequested,
  ExclusiveLockRequired,
  InstanceDeployFailure,
  NotSupported,
  UnsupportedDriverExtension,
  MACAlreadyExists,
  AgentError,
  AgentAPIError,
  AgentConnectionFailed,
  AgentCommandTimeout,
  isIronicIloError,
} = lib;

describe('error classes', () => {
  const cases: Array<[lib.IronicIloError, string, string, string]> = [
    [new InvalidParameterValue('bad'), 'INVALID_PARAMETER_VALUE', 'InvalidParameterValue', 'bad'],
    [new MissingParameterValue('gone'), 'MISSING_PARAMETER_VALUE', 'MissingParameterValue', 'gone'],
    [
      new IloOperationError({ operation: 'iLO set_power_state', error: 'boom' }),
      'ILO_OPERATION_ERROR',
      'IloOperationError',
      'iLO set_power_state failed, error: boom',
    ],
    [
      new IloOperationNotSupported({ operation: 'Get secure boot mode for node n.', error: 'no' }),
      'ILO_OPERATION_NOT_SUPPORTED',
      'IloOperationNotSupported',
      'Get secure boot mode for node n. not supported. error: no',
    ],
    [new IloCommandNotSupported('x'), 'ILO_COMMAND_NOT_SUPPORTED', 'IloCommandNotSupported', 'x'],
    [new IloConnectionError('x'), 'ILO_CONNECTION_ERROR', 'IloConnectionError', 'x'],
    [new IloLoginFailed('x'), 'ILO_LOGIN_FAILED', 'IloLoginFailed', 'x'],
    [new IloTimeout('x', 'connect'), 'ILO_TIMEOUT', 'IloTimeout', 'x'],
    [
      new ImageCreationFailed({ imageType: 'iso', error: 'no space' }),
      'IMAGE_CREATION_FAILED',
      'ImageCreationFailed',
      'Creating iso image failed: no space',
    ],
    [
      new ImageUploadFailed({ imageName: 'boot-1', webServer: 'http://w/', reason: 'EACCES' }),
      'IMAGE_UPLOAD_FAILED',
      'ImageUploadFailed',
      'Failed to upload boot-1 image to web server http://w/, reason: EACCES',
    ],
    [
      new ImageRefValidationFailed({ imageHref: 'ftp://x', reason: 'scheme' }),
      'IMAGE_REF_VALIDATION_FAILED',
      'ImageRefValidationFailed',
      'Validation of image href ftp://x failed, reason: scheme',
    ],
    [
      new SwiftOperationError({ operation: 'put object', error: '503' }),
      'SWIFT_OPERATION_ERROR',
      'SwiftOperationError',
      "Swift operation 'put object' failed: 503",
    ],
    [
      new SwiftObjectNotFound({ object: 'o', container: 'c', operation: 'delete object' }),
      'SWIFT_OBJECT_NOT_FOUND',
      'SwiftObjectNotFound',
      "Swift object o from container c not found. Operation 'delete object' failed.",
    ],
    [
      new PowerStateFailure({ pstate: 'power on' }),
      'POWER_STATE_FAILURE',
      'PowerStateFailure',
      'Failed to set node power state to power on.',
    ],
    [
      new NodeCleaningFailure({ node: 'n', reason: 'r' }),
      'NODE_CLEANING_FAILURE',
      'NodeCleaningFailure',
      'Failed to clean node n: r',
    ],
    [
      new HardwareInspectionFailure({ error: 'e' }),
      'HARDWARE_INSPECTION_FAILURE',
      'HardwareInspectionFailure',
      'Failed to inspect hardware. Reason: e',
    ],
    [
      new InvalidStateRequested({ action: 'a', node: 'n', state: 's' }),
      'INVALID_STATE_REQUESTED',
      'InvalidStateRequested',
      'The requested action "a" can not be performed on node "n" while it is in state "s".',
    ],
    [
      new ExclusiveLockRequired(),
      'EXCLUSIVE_LOCK_REQUIRED',
      'ExclusiveLockRequired',
      'An exclusive lock is required, but the current context has a shared lock.',
    ],
    [
      new InstanceDeployFailure({ reason: 'r' }),
      'INSTANCE_DEPLOY_FAILURE',
      'InstanceDeployFailure',
      'Failed to deploy instance: r',
    ],
    [
      new NotSupported({ feature: 'F', reason: 'R' }),
      'NOT_SUPPORTED',
      'NotSupported',
      'F is not supported: R',
    ],
    [
      new UnsupportedDriverExtension({ extension: 'vendor method x', driver: 'agent_ilo' }),
      'UNSUPPORTED_DRIVER_EXTENSION',
      'UnsupportedDriverExtension',
      'Driver agent_ilo does not support vendor method x (disabled or not implemented).',
    ],
    [
      new MACAlreadyExists({ mac: 'aa' }),
      'MAC_ALREADY_EXISTS',
      'MACAlreadyExists',
      'A port with MAC address aa already exists.',
    ],
    [
      new AgentAPIError({ node: 'n', status: 409, error: 'Agent is busy' }),
      'AGENT_API_ERROR',
      'AgentAPIError',
      'Agent API for node n returned HTTP status code 409 with error: Agent is busy',
    ],
    [
      new AgentConnectionFailed({ reason: 'refused' }),
      'AGENT_CONNECTION_FAILED',
      'AgentConnectionFailed',
      'Connection to agent failed: refused',
    ],
    [
      new AgentCommandTimeout({ node: 'n', command: 'prepare_image', timeoutMs: 600_000 }),
      'AGENT_COMMAND_TIMEOUT',
      'AgentCommandTimeout',
      'Timeout while waiting for command prepare_image on node n.',
    ],
  ];

  it('puts every agent error under AgentError, with its details', () => {
    const e = new AgentAPIError({
      node: 'n',
      status: 500,
      error: 'x',
      command: 'standby.prepare_image',
      errorType: 'ImageChecksumError',
      commandStatus: 'FAILED',
    });
    expect(e).toBeInstanceOf(AgentError);
    expect(new AgentConnectionFailed({ reason: 'r' })).toBeInstanceOf(AgentError);
    expect(new AgentCommandTimeout({ node: 'n', command: 'c', timeoutMs: 1 })).toBeInstanceOf(AgentError);
    expect([e.status, e.command, e.errorType, e.commandStatus]).toEqual([
      500,
      'standby.prepare_image',
      'ImageChecksumError',
      'FAILED',
    ]);
    expect(isIronicIloError(e, 'AGENT_ERROR')).toBe(true);
  });

  it.each(cases)('%s has code, name and Ironic’s message', (error, code, name, message) => {
    expect(error.code).toBe(code);
    expect(error.name).toBe(name);
    expect(error.message).toBe(message);
    expect(error).toBeInstanceOf(IronicIloError);
    expect(error).toBeInstanceOf(Error);
    expect(isIronicIloError(error, code)).toBe(true);
    expect(String(error)).toBe(`${name}: ${message}`);
  });

  it('keeps Ironic’s hierarchy', () => {
    expect(new MissingParameterValue('x')).toBeInstanceOf(InvalidParameterValue);
    expect(new SwiftObjectNotFound({ object: 'o', container: 'c', operation: 'o' })).toBeInstanceOf(
      SwiftOperationError,
    );
    for (const e of [
      new IloOperationError({ operation: 'o', error: 'e' }),
      new IloLoginFailed('x'),
      new IloTimeout('t', 'total'),
    ]) {
      expect(e).toBeInstanceOf(IloError);
    }
    expect(new InvalidParameterValue('x')).not.toBeInstanceOf(MissingParameterValue);
    expect(new IloLoginFailed('x')).not.toBeInstanceOf(IloConnectionError);
    expect(isIronicIloError(new MissingParameterValue('x'), 'INVALID_PARAMETER_VALUE')).toBe(true);
    expect(isIronicIloError(new InvalidParameterValue('x'), 'MISSING_PARAMETER_VALUE')).toBe(false);
    expect(isIronicIloError(new Error('x'))).toBe(false);
    expect(isIronicIloError({ code: 'INVALID_PARAMETER_VALUE' })).toBe(false);
    expect(isIronicIloError(null)).toBe(false);
  });

  it('carries the cause and the iLO status', () => {
    const cause = new Error('socket hang up');
    const e = new IloOperationError({
      operation: 'x',
      error: 'y',
      status: '0x0001',
      iloMessage: 'busy',
      cause,
    });
    expect(e.cause).toBe(cause);
    expect(e.status).toBe('0x0001');
    expect(e.iloMessage).toBe('busy');
    expect(JSON.stringify(e)).toBe(
      JSON.stringify({
        name: 'IloOperationError',
        code: 'ILO_OPERATION_ERROR',
        message: 'x failed, error: y',
      }),
    );
  });

  it('lists bad fields on parameter errors', () => {
    const e = new InvalidParameterValue('bad', { fields: [{ field: 'client_port', problem: 'range' }] });
    expect(e.fields).toEqual([{ field: 'client_port', problem: 'range' }]);
    expect(JSON.parse(JSON.stringify(e)).fields).toEqual([{ field: 'client_port', problem: 'range' }]);
  });
});

describe('a second copy of the package', () => {
  it('recognises errors across copies with instanceof and isIronicIloError', async () => {
    vi.resetModules();
    const other = (await import('../../src/index.js')) as typeof lib;
    expect(other.InvalidParameterValue).not.toBe(InvalidParameterValue);

    const fromOther = new other.MissingParameterValue('x');
    expect(fromOther).toBeInstanceOf(InvalidParameterValue);
    expect(fromOther).toBeInstanceOf(MissingParameterValue);
    expect(fromOther).toBeInstanceOf(IronicIloError);
    expect(fromOther).not.toBeInstanceOf(IloError);
    expect(isIronicIloError(fromOther, 'MISSING_PARAMETER_VALUE')).toBe(true);

    const fromHere = new IloTimeout('t', 'request');
    expect(fromHere).toBeInstanceOf(other.IloError);
    expect(other.isIronicIloError(fromHere, 'ILO_ERROR')).toBe(true);
    expect(fromHere).not.toBeInstanceOf(other.IloLoginFailed);
  });
});
