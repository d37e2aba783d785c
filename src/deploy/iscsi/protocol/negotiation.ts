/**
 * Operational parameter negotiation (RFC 7143 § 6.2, § 13): what the initiator proposes, how
 * each key's answer combines with the proposal (minimum, maximum, boolean AND/OR, list choice,
 * declaration), and the replies owed to keys the target offers on its own.
 */
import type { TextPairs } from './text.js';

/**
 * The operational parameters of a session, as negotiated.
 *
 * @example
 * ```ts
 * const { maxXmitDataSegmentLength, immediateData } = session.parameters;
 * ```
 */
export interface IscsiSessionParameters {
  /** Largest data segment the target may send us (our `MaxRecvDataSegmentLength`). */
  maxRecvDataSegmentLength: number;
  /** Largest data segment we may send (the target's `MaxRecvDataSegmentLength`). */
  maxXmitDataSegmentLength: number;
  /** `MaxBurstLength`: most bytes in one R2T sequence or Data-In sequence. */
  maxBurstLength: number;
  /** `FirstBurstLength`: most unsolicited bytes (immediate plus unsolicited Data-Out) per command. */
  firstBurstLength: number;
  /** `InitialR2T`: when true, only immediate data may be sent before the first R2T. */
  initialR2T: boolean;
  /** `ImmediateData`: data may ride in the SCSI Command PDU. */
  immediateData: boolean;
  /** `MaxOutstandingR2T`. */
  maxOutstandingR2T: number;
  /** `ErrorRecoveryLevel` (always 0 here). */
  errorRecoveryLevel: number;
  /** `DefaultTime2Wait`, seconds. */
  defaultTime2Wait: number;
  /** `DefaultTime2Retain`, seconds. */
  defaultTime2Retain: number;
}

/**
 * What the initiator asks for in the operational stage; each field is optional and defaults to
 * a value that suits streaming large writes.
 *
 * @example
 * ```ts
 * const proposal: IscsiProposal = { maxRecvDataSegmentLength: 65536 };
 * ```
 */
export interface IscsiProposal {
  /** Our `MaxRecvDataSegmentLength` (default 262144). */
  maxRecvDataSegmentLength?: number;
  /** `MaxBurstLength` asked for (default 16776192, the maximum). */
  maxBurstLength?: number;
  /** `FirstBurstLength` asked for (default 262144). */
  firstBurstLength?: number;
  /** `InitialR2T` asked for (default false: unsolicited data wanted). */
  initialR2T?: boolean;
  /** `ImmediateData` asked for (default true). */
  immediateData?: boolean;
  /** `MaxOutstandingR2T` asked for (default 1). */
  maxOutstandingR2T?: number;
}

/** RFC 7143 defaults, which apply to every key the target does not settle otherwise. */
const RFC_DEFAULTS: IscsiSessionParameters = {
  maxRecvDataSegmentLength: 8192,
  maxXmitDataSegmentLength: 8192,
  maxBurstLength: 262144,
  firstBurstLength: 65536,
  initialR2T: true,
  immediateData: true,
  maxOutstandingR2T: 1,
  errorRecoveryLevel: 0,
  defaultTime2Wait: 2,
  defaultTime2Retain: 20,
};

type Kind = 'min' | 'max' | 'and' | 'or' | 'none-only' | 'declare';
type Field = keyof IscsiSessionParameters | undefined;

/** How each operational key combines, and which parameter it sets. */
const KEYS: Record<string, { kind: Kind; field: Field }> = {
  HeaderDigest: { kind: 'none-only', field: undefined },
  DataDigest: { kind: 'none-only', field: undefined },
  MaxConnections: { kind: 'min', field: undefined },
  InitialR2T: { kind: 'or', field: 'initialR2T' },
  ImmediateData: { kind: 'and', field: 'immediateData' },
  MaxRecvDataSegmentLength: { kind: 'declare', field: 'maxXmitDataSegmentLength' },
  MaxBurstLength: { kind: 'min', field: 'maxBurstLength' },
  FirstBurstLength: { kind: 'min', field: 'firstBurstLength' },
  DefaultTime2Wait: { kind: 'max', field: 'defaultTime2Wait' },
  DefaultTime2Retain: { kind: 'min', field: 'defaultTime2Retain' },
  MaxOutstandingR2T: { kind: 'min', field: 'maxOutstandingR2T' },
  DataPDUInOrder: { kind: 'or', field: undefined },
  DataSequenceInOrder: { kind: 'or', field: undefined },
  ErrorRecoveryLevel: { kind: 'min', field: 'errorRecoveryLevel' },
};

/** Keys a target declares that need no answer. */
const TARGET_DECLARATIONS = new Set(['TargetAlias', 'TargetPortalGroupTag', 'TargetAddress']);

/** Thrown when the two sides cannot agree; login turns it into `IscsiLoginFailed`. */
export class NegotiationFailure extends Error {}

const yesNo = (b: boolean): string => (b ? 'Yes' : 'No');

/** One operational negotiation: proposals out, answers in, parameters as the result. */
export class OperationalNegotiation {
  private readonly ours: Record<string, string>;
  private readonly settled = new Set<string>();
  private readonly params: IscsiSessionParameters;

  constructor(proposal: IscsiProposal = {}) {
    const mrdsl = proposal.maxRecvDataSegmentLength ?? 262144;
    const mbl = proposal.maxBurstLength ?? 16776192;
    this.ours = {
      HeaderDigest: 'None',
      DataDigest: 'None',
      MaxConnections: '1',
      InitialR2T: yesNo(proposal.initialR2T ?? false),
      ImmediateData: yesNo(proposal.immediateData ?? true),
      MaxRecvDataSegmentLength: String(mrdsl),
      MaxBurstLength: String(mbl),
      FirstBurstLength: String(Math.min(proposal.firstBurstLength ?? 262144, mbl)),
      DefaultTime2Wait: '2',
      DefaultTime2Retain: '0',
      MaxOutstandingR2T: String(proposal.maxOutstandingR2T ?? 1),
      DataPDUInOrder: 'Yes',
      DataSequenceInOrder: 'Yes',
      ErrorRecoveryLevel: '0',
    };
    this.params = { ...RFC_DEFAULTS, maxRecvDataSegmentLength: mrdsl };
  }

  /** The keys to send in the first operational Login Request. */
  proposals(): TextPairs {
    return Object.entries(this.ours);
  }

  /**
   * Takes the target's keys: answers to our proposals set parameters; keys the target proposes
   * itself get a reply, returned for the next Login Request.
   */
  absorb(keys: ReadonlyMap<string, string>): TextPairs {
    const reply: [string, string][] = [];
    for (const [key, value] of keys) {
      if (TARGET_DECLARATIONS.has(key)) continue;
      const spec = KEYS[key];
      if (spec === undefined) {
        if (!key.startsWith('X-') && !key.startsWith('X#')) reply.push([key, 'NotUnderstood']);
        continue;
      }
      if (value === 'NotUnderstood' || value === 'Irrelevant' || value === 'Reject') {
        this.settled.add(key);
        continue;
      }
      const needsReply = this.settled.has(key) || !(key in this.ours);
      const result = this.combine(key, spec.kind, value);
      if (spec.field !== undefined) (this.params as unknown as Record<string, unknown>)[spec.field] = result;
      // A key we proposed and the target answered is settled; a key the target raised on its own
      // (or raised again) needs our answer, except declarations.
      if (needsReply && spec.kind !== 'declare') reply.push([key, serialise(result)]);
      this.settled.add(key);
    }
    return reply;
  }

  /** The negotiated parameters (RFC defaults where nothing was said). */
  result(): IscsiSessionParameters {
    const p = { ...this.params };
    if (p.firstBurstLength > p.maxBurstLength) p.firstBurstLength = p.maxBurstLength;
    if (p.errorRecoveryLevel !== 0) throw new NegotiationFailure('ErrorRecoveryLevel other than 0');
    return p;
  }

  private combine(key: string, kind: Kind, value: string): number | boolean | string {
    const mine = this.ours[key];
    switch (kind) {
      case 'none-only':
        if (!value.split(',').includes('None'))
          throw new NegotiationFailure(`${key}=${value}: digests are not supported`);
        return 'None';
      case 'and':
      case 'or': {
        if (value !== 'Yes' && value !== 'No')
          throw new NegotiationFailure(`${key}=${value} is not Yes or No`);
        const theirs = value === 'Yes';
        const own = mine === undefined ? kind === 'or' : mine === 'Yes';
        return kind === 'and' ? own && theirs : own || theirs;
      }
      default: {
        const n = Number(value);
        if (!/^\d+$/.test(value) || !Number.isSafeInteger(n))
          throw new NegotiationFailure(`${key}=${value} is not a number`);
        if (kind === 'declare') {
          if (n < 512 || n > 16777215)
            throw new NegotiationFailure(`${key}=${value} is outside 512–16777215`);
          return n;
        }
        if (mine === undefined) return n;
        return kind === 'min' ? Math.min(n, Number(mine)) : Math.max(n, Number(mine));
      }
    }
  }
}

function serialise(value: number | boolean | string): string {
  return typeof value === 'boolean' ? yesNo(value) : String(value);
}
