/**
 * The login phase (RFC 7143 § 6.3): security negotiation (no authentication, or CHAP with an
 * optional mutual check), then operational negotiation, then the move to full feature phase.
 */
import { randomBytes } from 'node:crypto';
import type { Logger } from '../../../contracts/index.js';
import {
  IscsiLoginFailed,
  type IscsiLoginFailureReason,
  IscsiProtocolError,
  IscsiTimeout,
} from '../../../errors/index.js';
import {
  CHAP_MD5,
  chapResponse,
  decodeChapBinary,
  encodeChapBinary,
  newChallenge,
} from '../protocol/chap.js';
import {
  type IscsiProposal,
  type IscsiSessionParameters,
  NegotiationFailure,
  OperationalNegotiation,
} from '../protocol/negotiation.js';
import { Op, opcodeOf, type RawPdu, Stage, type StageValue } from '../protocol/pdu.js';
import { type LoginResponse, parseLoginResponse } from '../protocol/pdu-in.js';
import { loginRequest } from '../protocol/pdu-out.js';
import { serialAdd } from '../protocol/serial.js';
import { decodeText, encodeText, type TextPairs } from '../protocol/text.js';
import type { PduConnection } from './connection.js';

/**
 * CHAP credentials: the initiator proves itself with `username`/`secret`; with `mutual`, the
 * target must prove itself too. Secrets never reach a log or an error.
 *
 * @example
 * ```ts
 * const chap: ChapCredentials = { username: 'ironic', secret: process.env.CHAP_SECRET! };
 * ```
 */
export interface ChapCredentials {
  /** CHAP_N the initiator sends (the target's IncomingUser). */
  username: string;
  /** The shared secret of `username`. */
  secret: string;
  /** The target's credentials, to authenticate the target as well (mutual CHAP). */
  mutual?: ChapMutualCredentials;
}

/**
 * The target's side of mutual CHAP.
 *
 * @example
 * ```ts
 * const mutual: ChapMutualCredentials = { username: 'target', secret: process.env.TARGET_CHAP_SECRET! };
 * ```
 */
export interface ChapMutualCredentials {
  /** CHAP_N the target must send (its OutgoingUser). */
  username: string;
  /** The target's secret; must differ from the initiator's. */
  secret: string;
}

/** What {@link login} needs. */
export interface LoginParams {
  /** Our IQN. */
  initiatorName: string;
  /** The target's IQN. */
  targetName: string;
  /** CHAP credentials when the target wants them. */
  chap?: ChapCredentials | undefined;
  /** Operational proposals. */
  proposal?: IscsiProposal | undefined;
  /** Milliseconds for the whole login. */
  timeoutMs: number;
  /** Cancels the login. */
  signal?: AbortSignal | undefined;
  /** Where negotiation is logged (never CHAP values). */
  logger: Logger;
}

/** Where a successful login leaves the session. */
export interface LoginOutcome {
  /** Negotiated operational parameters. */
  parameters: IscsiSessionParameters;
  /** The session's ISID. */
  isid: Buffer;
  /** The target's session handle. */
  tsih: number;
  /** CmdSN of the first command. */
  cmdSN: number;
  /** ExpStatSN after login. */
  expStatSN: number;
  /** ExpCmdSN from the last Login Response. */
  expCmdSN: number;
  /** MaxCmdSN from the last Login Response. */
  maxCmdSN: number;
}

const LOGIN_ITT = 0;
const MAX_EXCHANGES = 16;

/** Status-Class/Status-Detail to a reason (RFC 7143 § 11.13.5). */
function failureReason(statusClass: number, detail: number): IscsiLoginFailureReason {
  if (statusClass === 1) return 'redirected';
  if (statusClass === 2) {
    if (detail === 0x01) return 'authentication-failed';
    if (detail === 0x02) return 'authorization-failed';
    if (detail === 0x03) return 'target-not-found';
    if (detail === 0x04) return 'target-removed';
    return 'initiator-error';
  }
  return 'target-error';
}

/** Runs the login phase on a fresh connection. */
export async function login(conn: PduConnection, p: LoginParams): Promise<LoginOutcome> {
  return new LoginExchange(conn, p).run();
}

class LoginExchange {
  private readonly isid = Buffer.concat([Buffer.from([0x80]), randomBytes(3), Buffer.alloc(2)]);
  private readonly cmdSN = 1;
  private expStatSN = 0;
  private tsih = 0;
  private waiter: ((pdu: RawPdu) => void) | undefined;
  private abort: ((e: Error) => void) | undefined;

  constructor(
    private readonly conn: PduConnection,
    private readonly p: LoginParams,
  ) {}

  async run(): Promise<LoginOutcome> {
    const { conn, p } = this;
    conn.onPdu = (pdu) => {
      const w = this.waiter;
      this.waiter = undefined;
      // The connection reuses its read buffer: keep a copy past this call.
      if (w) w({ bhs: Buffer.from(pdu.bhs), data: Buffer.from(pdu.data) });
    };
    conn.onFailure = (e) => this.abort?.(e);
    const stopped = new Promise<never>((_, reject) => {
      this.abort = reject;
    });
    const timer = setTimeout(
      () =>
        this.abort?.(
          new IscsiTimeout({ kind: 'login', timeoutMs: p.timeoutMs, what: `login to ${p.targetName}` }),
        ),
      p.timeoutMs,
    );
    const onAbort = (): void => this.abort?.(p.signal?.reason as Error);
    p.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      p.signal?.throwIfAborted();
      return await Promise.race([this.negotiate(), stopped]);
    } finally {
      clearTimeout(timer);
      p.signal?.removeEventListener('abort', onAbort);
      this.abort = undefined;
      conn.onFailure = () => {};
    }
  }

  private async negotiate(): Promise<LoginOutcome> {
    await this.security();
    return this.operational();
  }

  private async security(): Promise<void> {
    const { p } = this;
    const first: [string, string][] = [
      ['InitiatorName', p.initiatorName],
      ['SessionType', 'Normal'],
      ['TargetName', p.targetName],
      ['AuthMethod', p.chap ? 'CHAP,None' : 'None'],
    ];
    let { resp, keys } = await this.exchange(Stage.Security, !p.chap, first);
    const method = keys.get('AuthMethod') ?? 'None';
    if (method === 'CHAP') {
      if (!p.chap) throw this.failure('authentication-failed', 'the target asked for CHAP we did not offer');
      ({ resp, keys } = await this.chap(p.chap));
    } else if (method !== 'None') {
      throw this.failure('negotiation-failed', `the target chose AuthMethod=${method}`);
    } else if (p.chap) {
      p.logger.warn('iSCSI target accepted a login without CHAP although credentials were given', {
        target: p.targetName,
      });
    }
    for (let i = 0; !resp.transit; i++) {
      if (i >= MAX_EXCHANGES) throw this.failure('negotiation-failed', 'security stage never ended');
      ({ resp } = await this.exchange(Stage.Security, true, []));
    }
    if (resp.nsg !== Stage.Operational)
      throw new IscsiProtocolError(`target moved from security to stage ${resp.nsg}`);
  }

  private async chap(chap: ChapCredentials): Promise<{ resp: LoginResponse; keys: Map<string, string> }> {
    const offer = await this.exchange(Stage.Security, false, [['CHAP_A', CHAP_MD5]]);
    const id = Number(offer.keys.get('CHAP_I'));
    const challenge = decodeChapBinary(offer.keys.get('CHAP_C') ?? '');
    if (offer.keys.get('CHAP_A') !== CHAP_MD5 || !Number.isInteger(id) || challenge === undefined)
      throw this.failure('authentication-failed', 'the target sent an unusable CHAP challenge');
    const answer: [string, string][] = [
      ['CHAP_N', chap.username],
      ['CHAP_R', encodeChapBinary(chapResponse(id, chap.secret, challenge))],
    ];
    const mine = chap.mutual ? newChallenge() : undefined;
    if (mine) {
      answer.push(['CHAP_I', String(mine.identifier)], ['CHAP_C', encodeChapBinary(mine.challenge)]);
    }
    const result = await this.exchange(Stage.Security, true, answer);
    if (chap.mutual && mine) {
      const expected = chapResponse(mine.identifier, chap.mutual.secret, mine.challenge);
      const got = decodeChapBinary(result.keys.get('CHAP_R') ?? '');
      if (result.keys.get('CHAP_N') !== chap.mutual.username || got === undefined || !got.equals(expected))
        throw this.failure('authentication-failed', 'the target failed mutual CHAP');
    }
    return result;
  }

  private async operational(): Promise<LoginOutcome> {
    const negotiation = new OperationalNegotiation(this.p.proposal);
    let pairs: TextPairs = negotiation.proposals();
    for (let i = 0; i < MAX_EXCHANGES; i++) {
      const { resp, keys } = await this.exchange(Stage.Operational, true, pairs, Stage.FullFeature);
      try {
        pairs = negotiation.absorb(keys);
        if (resp.transit && resp.nsg === Stage.FullFeature) {
          const parameters = negotiation.result();
          this.p.logger.debug('iSCSI login complete', { target: this.p.targetName, ...parameters });
          return {
            parameters,
            isid: this.isid,
            tsih: resp.tsih,
            cmdSN: this.cmdSN,
            expStatSN: this.expStatSN,
            expCmdSN: resp.expCmdSN,
            maxCmdSN: resp.maxCmdSN,
          };
        }
      } catch (e) {
        if (e instanceof NegotiationFailure) throw this.failure('negotiation-failed', e.message);
        throw e;
      }
    }
    throw this.failure('negotiation-failed', 'operational negotiation never ended');
  }

  /** Sends one Login Request and reads the whole response (following the C bit). */
  private async exchange(
    csg: StageValue,
    transit: boolean,
    pairs: TextPairs,
    nsg: StageValue = Stage.Operational,
  ): Promise<{ resp: LoginResponse; keys: Map<string, string> }> {
    this.p.logger.debug('iSCSI login request', {
      stage: csg,
      transit,
      keys: pairs.filter(([k]) => !k.startsWith('CHAP_')).map(([k, v]) => `${k}=${v}`),
    });
    let text = encodeText(pairs);
    const chunks: Buffer[] = [];
    for (let i = 0; i < MAX_EXCHANGES; i++) {
      const pdu = await this.send(csg, transit, nsg, text);
      if (opcodeOf(pdu.bhs) !== Op.LoginResponse)
        throw new IscsiProtocolError(
          `expected a Login Response, got opcode 0x${opcodeOf(pdu.bhs).toString(16)}`,
        );
      const resp = parseLoginResponse(pdu.bhs);
      this.expStatSN = serialAdd(resp.statSN, 1);
      if (resp.statusClass !== 0) {
        const keys = decodeText(pdu.data);
        const where = keys.get('TargetAddress');
        throw new IscsiLoginFailed({
          portal: this.conn.portal,
          targetName: this.p.targetName,
          reason: failureReason(resp.statusClass, resp.statusDetail),
          statusClass: resp.statusClass,
          statusDetail: resp.statusDetail,
          ...(where === undefined ? {} : { detail: `the target points to ${where}` }),
        });
      }
      this.tsih = resp.tsih;
      chunks.push(pdu.data);
      if (!resp.continue) return { resp, keys: decodeText(Buffer.concat(chunks)) };
      text = Buffer.alloc(0);
      transit = false;
    }
    throw this.failure('negotiation-failed', 'the target never finished its text');
  }

  private send(csg: StageValue, transit: boolean, nsg: StageValue, text: Buffer): Promise<RawPdu> {
    const bhs = loginRequest({
      transit,
      csg,
      nsg,
      isid: this.isid,
      tsih: this.tsih,
      itt: LOGIN_ITT,
      cid: 0,
      cmdSN: this.cmdSN,
      expStatSN: this.expStatSN,
      dataLength: text.length,
    });
    const reply = new Promise<RawPdu>((resolve) => {
      this.waiter = resolve;
    });
    this.conn.send(text.length > 0 ? [bhs, text, Buffer.alloc((4 - (text.length % 4)) % 4)] : [bhs]);
    return reply;
  }

  private failure(reason: IscsiLoginFailureReason, detail: string): IscsiLoginFailed {
    return new IscsiLoginFailed({ portal: this.conn.portal, targetName: this.p.targetName, reason, detail });
  }
}
