/**
 * The agent's errors as it serializes them (`type`, `code`, `message`, `details`), with the
 * classes and messages of ironic_python_agent.errors, so that clients see what a real ramdisk
 * sends.
 */
import type { JsonValue } from '../../index.js';

/** An error the fake agent raises; `content` errors are answered at once with their HTTP code. */
export class IpaError extends Error {
  constructor(
    readonly type: string,
    readonly code: number,
    readonly summary: string,
    readonly details: string,
    /** A bad request (InvalidContentError): refused with HTTP `code` instead of recorded. */
    readonly content = false,
  ) {
    super(`${summary}: ${details}`);
  }

  /** The JSON a command result carries in `command_error`. */
  serialize(): { [key: string]: JsonValue } {
    return { type: this.type, code: this.code, message: this.summary, details: this.details };
  }
}

export const invalidParams = (details: string) =>
  new IpaError('InvalidCommandParamsError', 400, 'Invalid command parameters', details, true);
export const invalidCommand = (details: string) =>
  new IpaError('InvalidCommandError', 400, 'Invalid command', details, true);
export const notFound = (what: string, id: string) =>
  new IpaError(
    'RequestedObjectNotFoundError',
    404,
    'Requested object not found',
    `${what} with id ${id} not found.`,
    true,
  );
export const executionFailed = (details: string) =>
  new IpaError('CommandExecutionError', 500, 'Command execution failed', details);
export const agentBusy = (command: string) =>
  new IpaError('AgentIsBusy', 409, 'Agent is busy', `executing command ${command}`, true);
export const downloadFailed = (imageId: string, why: string) =>
  new IpaError(
    'ImageDownloadError',
    500,
    'Error downloading image',
    `Download of image ${imageId} failed: ${why}`,
  );
export const checksumFailed = (details: string) =>
  new IpaError('ImageChecksumError', 500, 'Error verifying image checksum', details);
export const writeFailed = (device: string, why: string) =>
  new IpaError(
    'ImageWriteError',
    500,
    'Error writing image to device',
    `Writing image to device ${device} failed: ${why}`,
  );
export const cleaningFailed = (details: string) =>
  new IpaError('CleaningError', 500, 'Clean step failed', details);
export const versionMismatch = (agent: string, node: string) =>
  new IpaError(
    'CleanVersionMismatch',
    409,
    'Clean version mismatch, reload agent with correct version',
    `Agent clean version: ${agent}, node clean version: ${node}`,
  );

/** Any thrown value as an agent error (what the agent does with exceptions in a command). */
export function asIpaError(e: unknown): IpaError {
  if (e instanceof IpaError) return e;
  return executionFailed(e instanceof Error ? e.message : String(e));
}
