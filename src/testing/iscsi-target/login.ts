/**
 * The login phase, target side (RFC 7143 § 6.3): the leading request's names and session type,
 * security negotiation (None, or CHAP with the initiator's optional mutual challenge),
 * operational negotiation, then the move to full feature phase with a TSIH. Any failure is a
 * Login Response with a status class and detail, after which the connection ends.
 */
import { ChapExchange } from './chap.js';
import type { TargetConnection } from './connection.js';
import { type NegotiatedParameters, OperationalNegotiation } from './negotiation.js';
import type { LoginRefusal, PortalContext, TargetModel } from './portal.js';
import { loginResponse } from './responses.js';
import { encodeKeys, parseKeys } from './text.js';
import { type InboundPdu, Opcode, opcodeOf } from './wire.js';

/** Where a successful login leaves the connection. */
export interface LoginResult {
  type: 'normal' | 'discovery';
  initiatorName: string;
  isid: Buffer;
  target: TargetModel | undefined;
  authMethod: 'None' | 'CHAP';
  mutualChap: boolean;
  parameters: NegotiatedParameters;
  /** Sends the final Login Response once the session has its TSIH. */
  accept(tsih: number): void;
}

const Stage = { Security: 0, Operational: 1, FullFeature: 3 } as const;
const MAX_EXCHANGES = 32;

/** Status-Class / Status-Detail of the refusals this target sends. */
export const Refusal = {
  initiatorError: { statusClass: 2, statusDetail: 0x00 },
  authenticationFailed: { statusClass: 2, statusDetail: 0x01 },
  targetNotFound: { statusClass: 2, statusDetail: 0x03 },
  unsupportedVersion: { statusClass: 2, statusDetail: 0x05 },
  tooManyConnections: { statusClass: 2, statusDetail: 0x06 },
  missingParameter: { statusClass: 2, statusDetail: 0x07 },
  sessionTypeNotSupported: { statusClass: 2, statusDetail: 0x09 },
  sessionDoesNotExist: { statusClass: 2, statusDetail: 0x0a },
  invalidDuringLogin: { statusClass: 2, statusDetail: 0x0b },
} as const satisfies Record<string, LoginRefusal>;

/** Thrown inside the negotiator to end the login with a refusal. */
class Refused extends Error {
  constructor(
    readonly refusal: LoginRefusal,
    why: string,
  ) {
    super(why);
  }
}

/** Keys that only the leading Login Request carries, declarations needing no answer. */
const LEADING = new Set(['InitiatorName', 'InitiatorAlias', 'TargetName', 'SessionType']);
const SECURITY = new Set(['AuthMethod', 'CHAP_A', 'CHAP_I', 'CHAP_C', 'CHAP_N', 'CHAP_R']);
/** Keys only a target declares. */
const TARGET_DECLARED = new Set(['TargetAlias', 'TargetAddress', 'TargetPortalGroupTag']);

export class LoginNegotiator {
  private stage: number | undefined;
  private exchanges = 0;
  private readonly text: Buffer[] = [];
  private isid = Buffer.alloc(6);
  private initiatorName = '';
  private discovery = false;
  private target: TargetModel | undefined;
  private auth: 'offer' | 'chap-algorithm' | 'chap-response' | 'done' = 'offer';
  private authMethod: 'None' | 'CHAP' = 'None';
  private mutualChap = false;
  private chap: ChapExchange | undefined;
  private operational: OperationalNegotiation | undefined;
  private portalGroupSent = false;
  private named = false;
  private refused = false;

  constructor(
    private readonly conn: TargetConnection,
    private readonly portal: PortalContext,
    private readonly onLogin: (result: LoginResult) => void,
  ) {}

  /** Handles one Login Request. */
  handle(pdu: InboundPdu): void {
    const { bhs } = pdu;
    if (this.refused) return;
    const stall = this.portal.faults.stallAt('login');
    if (stall !== undefined) {
      this.conn.freeze();
      stall(() => {
        if (this.conn.ended) return;
        this.handle(pdu);
        this.conn.thaw();
      });
      return;
    }
    try {
      if (opcodeOf(bhs) !== Opcode.Login)
        throw new Refused(Refusal.invalidDuringLogin, 'not a Login Request');
      this.step(pdu);
    } catch (e) {
      if (!(e instanceof Refused)) throw e;
      this.refuse(bhs, e.refusal, e.message);
    }
  }

  private step({ bhs, data }: InboundPdu): void {
    const transit = (bhs[1]! & 0x80) !== 0;
    const more = (bhs[1]! & 0x40) !== 0;
    const csg = (bhs[1]! >> 2) & 0x03;
    const nsg = bhs[1]! & 0x03;
    if (++this.exchanges > MAX_EXCHANGES) throw new Refused(Refusal.initiatorError, 'login never ends');
    if (this.stage === undefined) this.lead(bhs);
    else if (!bhs.subarray(8, 14).equals(this.isid) || bhs.readUInt16BE(14) !== 0)
      throw new Refused(Refusal.initiatorError, 'ISID or TSIH changed during login');
    if (bhs[3]! > 0) throw new Refused(Refusal.unsupportedVersion, `Version-min ${bhs[3]}`);
    if ((transit && more) || csg === 2 || (transit && (nsg === 2 || nsg <= csg)))
      throw new Refused(Refusal.initiatorError, `bad stage flags 0x${bhs[1]!.toString(16)}`);
    if (this.stage !== undefined && csg !== this.stage)
      throw new Refused(Refusal.invalidDuringLogin, `stage ${csg} while in stage ${this.stage}`);
    this.stage = csg;
    this.text.push(data);
    if (more) {
      // The initiator's text continues: an empty answer asks for the rest (§ 6.3).
      this.respond(bhs, { transit: false, nsg: csg }, []);
      return;
    }
    let keys: Array<[string, string]>;
    try {
      keys = parseKeys(Buffer.concat(this.text.splice(0)));
    } catch (e) {
      throw new Refused(Refusal.initiatorError, (e as Error).message);
    }
    const reply = this.exchange(new Map(keys), keys, csg);
    const ready = csg === Stage.Security ? this.auth === 'done' : !this.operational!.awaitingAnswers;
    if (transit && ready && nsg === Stage.FullFeature) {
      this.finish(bhs, csg, reply);
      return;
    }
    this.respond(bhs, { transit: transit && ready, nsg }, reply);
    if (transit && ready) this.stage = nsg;
  }

  /** The leading Login Request: who is logging in, to what. */
  private lead(bhs: Buffer): void {
    this.isid = Buffer.from(bhs.subarray(8, 14));
    this.conn.expCmdSN = bhs.readUInt32BE(24);
    const tsih = bhs.readUInt16BE(14);
    if (tsih !== 0)
      throw this.portal.hasSession(tsih)
        ? new Refused(Refusal.tooManyConnections, 'MaxConnections is 1')
        : new Refused(Refusal.sessionDoesNotExist, `no session ${tsih}`);
  }

  private exchange(
    keys: Map<string, string>,
    pairs: Array<[string, string]>,
    csg: number,
  ): Array<[string, string]> {
    if (!this.named) {
      this.names(keys);
      this.named = true;
    }
    const reply: Array<[string, string]> = [];
    if (this.target !== undefined && !this.portalGroupSent) {
      reply.push(['TargetPortalGroupTag', String(this.target.negotiation.targetPortalGroupTag)]);
      this.portalGroupSent = true;
    }
    if (csg === Stage.Security) this.security(keys, reply);
    else if (this.auth !== 'done') {
      if (this.target?.chap !== undefined)
        throw new Refused(Refusal.authenticationFailed, 'CHAP is required; security negotiation skipped');
      this.auth = 'done';
    }
    const operational = pairs.filter(([k]) => OperationalNegotiation.handles(k));
    if (operational.length > 0 || csg === Stage.Operational) {
      this.operational ??= new OperationalNegotiation(
        this.target?.negotiation ?? this.portal.negotiation,
        this.discovery,
      );
      reply.push(...this.operational.answer(operational));
      if (csg === Stage.Operational) reply.push(...this.operational.proposals());
    }
    for (const [key] of pairs) {
      if (LEADING.has(key) || SECURITY.has(key) || OperationalNegotiation.handles(key)) continue;
      reply.push([key, TARGET_DECLARED.has(key) ? 'Irrelevant' : 'NotUnderstood']);
    }
    return reply;
  }

  /** InitiatorName, SessionType and TargetName of the leading request. */
  private names(keys: Map<string, string>): void {
    const initiator = keys.get('InitiatorName');
    if (initiator === undefined || initiator === '')
      throw new Refused(Refusal.missingParameter, 'InitiatorName missing');
    this.initiatorName = initiator;
    const type = keys.get('SessionType') ?? 'Normal';
    if (type !== 'Normal' && type !== 'Discovery')
      throw new Refused(Refusal.sessionTypeNotSupported, `SessionType=${type}`);
    this.discovery = type === 'Discovery';
    const name = keys.get('TargetName');
    if (!this.discovery) {
      if (name === undefined) throw new Refused(Refusal.missingParameter, 'TargetName missing');
      this.target = this.portal.target(name);
      if (this.target === undefined) throw new Refused(Refusal.targetNotFound, `no target ${name}`);
      this.conn.window = this.target.negotiation.commandWindow;
    }
    const refusal = this.portal.faults.loginRefusal(this.target?.iqn, initiator);
    if (refusal !== undefined) throw new Refused(refusal, 'refused by an injected fault');
  }

  private security(keys: Map<string, string>, reply: Array<[string, string]>): void {
    const chapRequired = !this.discovery && this.target?.chap !== undefined;
    if (this.auth === 'offer') {
      const offered = keys.get('AuthMethod')?.split(',');
      if (offered === undefined) {
        if (chapRequired)
          throw new Refused(Refusal.authenticationFailed, 'no AuthMethod offered; CHAP is required');
        this.auth = 'done';
      } else if (chapRequired) {
        if (!offered.includes('CHAP'))
          throw new Refused(
            Refusal.authenticationFailed,
            `AuthMethod=${offered.join(',')}; CHAP is required`,
          );
        reply.push(['AuthMethod', 'CHAP']);
        this.authMethod = 'CHAP';
        this.chap = new ChapExchange(this.target!.chap!, this.target!.mutualChap);
        this.auth = 'chap-algorithm';
      } else if (offered.includes('None')) {
        reply.push(['AuthMethod', 'None']);
        this.auth = 'done';
      } else {
        throw new Refused(
          Refusal.authenticationFailed,
          `AuthMethod=${offered.join(',')}; no CHAP account set`,
        );
      }
      return;
    }
    if (this.auth === 'chap-algorithm') {
      const offer = this.chap!.offer(keys.get('CHAP_A'));
      if ('failure' in offer) throw new Refused(Refusal.authenticationFailed, offer.failure);
      reply.push(...offer);
      this.auth = 'chap-response';
      return;
    }
    if (this.auth === 'chap-response') {
      const answer = this.chap!.verify(keys);
      if ('failure' in answer) throw new Refused(Refusal.authenticationFailed, answer.failure);
      reply.push(...answer);
      this.mutualChap = answer.length > 0;
      this.auth = 'done';
    }
  }

  private finish(bhs: Buffer, csg: number, reply: Array<[string, string]>): void {
    this.operational ??= new OperationalNegotiation(
      this.target?.negotiation ?? this.portal.negotiation,
      this.discovery,
    );
    const parameters = this.operational.result();
    this.onLogin({
      type: this.discovery ? 'discovery' : 'normal',
      initiatorName: this.initiatorName,
      isid: this.isid,
      target: this.target,
      authMethod: this.authMethod,
      mutualChap: this.mutualChap,
      parameters,
      accept: (tsih) => {
        this.respond(bhs, { transit: true, nsg: Stage.FullFeature, csg, tsih }, reply);
        this.conn.reader.maxDataSegment = parameters.maxRecvDataSegmentLength;
      },
    });
  }

  private respond(
    bhs: Buffer,
    f: { transit: boolean; nsg: number; csg?: number; tsih?: number },
    reply: Array<[string, string]>,
  ): void {
    const text = encodeKeys(reply);
    const response = loginResponse({
      transit: f.transit,
      csg: f.csg ?? this.stage ?? 0,
      nsg: f.nsg,
      isid: this.isid,
      tsih: f.tsih ?? 0,
      itt: bhs.readUInt32BE(16),
      statusClass: 0,
      statusDetail: 0,
      dataLength: text.length,
    });
    this.conn.send(response, text, true);
  }

  private refuse(bhs: Buffer, refusal: LoginRefusal, why: string): void {
    this.refused = true;
    this.portal.counters.failedLogins++;
    this.portal.logger.warn('iSCSI login refused', {
      initiator: this.initiatorName || undefined,
      target: this.target?.iqn,
      status: `0x${refusal.statusClass.toString(16).padStart(2, '0')}${refusal.statusDetail.toString(16).padStart(2, '0')}`,
      reason: why,
    });
    const response = loginResponse({
      transit: false,
      csg: this.stage ?? 0,
      nsg: 0,
      isid: bhs.subarray(8, 14),
      tsih: 0,
      itt: bhs.readUInt32BE(16),
      statusClass: refusal.statusClass,
      statusDetail: refusal.statusDetail,
      dataLength: 0,
    });
    this.conn.send(response, undefined, true);
    this.conn.end();
  }
}
