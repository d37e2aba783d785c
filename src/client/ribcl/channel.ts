import type { Logger } from '../../contracts/index.js';
import {
  IloCommandNotSupported,
  IloConnectionError,
  type IloError,
  IloLoginFailed,
  IloOperationError,
} from '../../errors/index.js';
import { redact } from '../../util/index.js';
import type { IloTransport } from '../transport/http.js';
import { buildRibclRequest, type RibclBlock, type RibclCommand } from './request.js';
import { parseRibclResponse, type RibclFailure, RibclProtocolError, type RibclSuccess } from './response.js';

/** The credentials a client logs in with; the password changes after `resetIloCredential`. */
export interface Credentials {
  username: string;
  password: string;
}

const LOGIN_STATUSES = new Set([0x005f, 0x000a]);
const LOGIN_MESSAGES = ['User login name was not found', 'Login failed', 'Login credentials rejected'];
const NOT_SUPPORTED_STATUS = 0x003c;

/**
 * Maps a non-zero RIBCL status to the library's errors (reference § 1.5): login failures,
 * commands the firmware does not have (`0x003C`, syntax errors), and everything else with the
 * iLO's status and message.
 */
export function ribclStatusError(
  command: string,
  failure: Pick<RibclFailure, 'status' | 'statusText' | 'message'>,
  model: string | undefined,
  secrets: readonly string[],
): IloError {
  const message = redact(failure.message, secrets);
  const where = `(status ${failure.statusText}: ${message})`;
  if (LOGIN_STATUSES.has(failure.status) || LOGIN_MESSAGES.some((m) => message.startsWith(m))) {
    return new IloLoginFailed(`iLO login failed ${where}`);
  }
  if (failure.status === NOT_SUPPORTED_STATUS || /syntax error|feature not supported/i.test(message)) {
    return new IloCommandNotSupported(`${command} is not supported on ${model ?? 'this iLO'} ${where}`);
  }
  return new IloOperationError({
    operation: `iLO ${command}`,
    error: `${message} (status ${failure.statusText})`,
    status: failure.statusText,
    iloMessage: message,
  });
}

/** Options of one RIBCL exchange. */
export interface RibclCallOptions {
  /** Cancellation. */
  signal?: AbortSignal | undefined;
}

/** Sends RIBCL scripts to `/ribcl` and turns replies into payloads or typed errors. */
export class RibclChannel {
  /** The model, once known, for error messages. */
  model: string | undefined;

  constructor(
    private readonly transport: IloTransport,
    private readonly credentials: Credentials,
    private readonly logger: Logger,
    private readonly secrets: () => string[],
  ) {}

  /**
   * Runs one command (or several in one script, stopping at the first failure); reads are retried
   * on transport failures, writes only before sending.
   */
  async execute(
    block: RibclBlock,
    mode: 'read' | 'write',
    commands: RibclCommand | readonly RibclCommand[],
    options: RibclCallOptions = {},
  ): Promise<RibclSuccess> {
    const list = Array.isArray(commands) ? commands : [commands as RibclCommand];
    const command = { tag: list.map((c) => c.tag).join('+') };
    const body = buildRibclRequest(this.credentials, block, mode, list);
    const operation = `RIBCL ${command.tag}`;
    const res = await this.transport.request({
      method: 'POST',
      path: '/ribcl',
      body,
      idempotent: mode === 'read',
      operation,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
    if (res.status !== 200) {
      throw new IloConnectionError(`iLO answered HTTP ${res.status} to ${operation}`);
    }
    let reply: ReturnType<typeof parseRibclResponse>;
    try {
      reply = parseRibclResponse(res.body);
    } catch (error) {
      if (!(error instanceof RibclProtocolError)) throw error;
      throw new IloOperationError({
        operation: `iLO ${command.tag}`,
        error: `unreadable RIBCL reply: ${redact(error.message, this.secrets())}`,
      });
    }
    for (const text of [...reply.messages, ...reply.informs]) {
      this.logger.info(`iLO ${command.tag}: ${text}`);
    }
    if (!reply.ok) throw ribclStatusError(command.tag, reply, this.model, this.secrets());
    return reply;
  }
}
