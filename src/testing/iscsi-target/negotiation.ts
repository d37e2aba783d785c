/**
 * Operational negotiation, target side (RFC 7143 § 6.2, § 13): each key the initiator offers is
 * answered by its rule (minimum, maximum, boolean OR/AND, declaration, list choice); keys it
 * leaves out keep the RFC default unless the target's limit is stricter, in which case the
 * target proposes its own value and waits for the answer.
 */
import type { KeyValues } from './text.js';

/**
 * What the target offers in operational negotiation. Every field is optional; the defaults suit
 * fast writes. {@link TGT_NEGOTIATION} holds tgt's defaults, for tests that mimic a deploy
 * ramdisk running tgtd.
 *
 * @example
 * ```ts
 * const slowTarget: IscsiTargetNegotiation = { ...TGT_NEGOTIATION, maxOutstandingR2T: 1, commandWindow: 4 };
 * ```
 */
export interface IscsiTargetNegotiation {
  /** Our `MaxRecvDataSegmentLength`: the largest data segment the initiator may send (default 262144). */
  maxRecvDataSegmentLength?: number;
  /** Most `MaxBurstLength` we accept (default 16776192). */
  maxBurstLength?: number;
  /** Most `FirstBurstLength` we accept (default 262144). */
  firstBurstLength?: number;
  /** `InitialR2T` we ask for: true forbids unsolicited Data-Out (default false). */
  initialR2T?: boolean;
  /** `ImmediateData` we allow (default true). */
  immediateData?: boolean;
  /** Most `MaxOutstandingR2T` we accept (default 4). */
  maxOutstandingR2T?: number;
  /** `DefaultTime2Wait` (default 2). */
  defaultTime2Wait?: number;
  /** `DefaultTime2Retain` (default 20). */
  defaultTime2Retain?: number;
  /** The `TargetPortalGroupTag` declared at login and in SendTargets (default 1). */
  targetPortalGroupTag?: number;
  /** Commands the initiator may have outstanding: MaxCmdSN − ExpCmdSN + 1 (default 32). */
  commandWindow?: number;
}

/**
 * tgt's defaults (tgtd 1.0.x, `iscsi_target_create`): 8 KiB receive segments, InitialR2T=Yes,
 * 64 KiB first burst, 256 KiB bursts, one outstanding R2T, 128 queued commands.
 *
 * @example
 * ```ts
 * await IscsiTargetSimulator.start({ negotiation: TGT_NEGOTIATION, targets: [{ iqn }] });
 * ```
 */
export const TGT_NEGOTIATION: Readonly<Required<IscsiTargetNegotiation>> = Object.freeze({
  maxRecvDataSegmentLength: 8192,
  maxBurstLength: 262144,
  firstBurstLength: 65536,
  initialR2T: true,
  immediateData: true,
  maxOutstandingR2T: 1,
  defaultTime2Wait: 2,
  defaultTime2Retain: 20,
  targetPortalGroupTag: 1,
  commandWindow: 128,
});

/** The simulator's own defaults. */
export const DEFAULT_NEGOTIATION: Readonly<Required<IscsiTargetNegotiation>> = Object.freeze({
  maxRecvDataSegmentLength: 262144,
  maxBurstLength: 16776192,
  firstBurstLength: 262144,
  initialR2T: false,
  immediateData: true,
  maxOutstandingR2T: 4,
  defaultTime2Wait: 2,
  defaultTime2Retain: 20,
  targetPortalGroupTag: 1,
  commandWindow: 32,
});

/**
 * The operational parameters a session ended up with.
 *
 * @example
 * ```ts
 * const [session] = sim.sessions;
 * expect(session?.parameters.initialR2T).toBe(true);
 * ```
 */
export interface NegotiatedParameters {
  /** Largest data segment the initiator may send us (our declaration). */
  maxRecvDataSegmentLength: number;
  /** Largest data segment we send (the initiator's declaration). */
  maxXmitDataSegmentLength: number;
  /** `MaxBurstLength`. */
  maxBurstLength: number;
  /** `FirstBurstLength`. */
  firstBurstLength: number;
  /** `InitialR2T`. */
  initialR2T: boolean;
  /** `ImmediateData`. */
  immediateData: boolean;
  /** `MaxOutstandingR2T`. */
  maxOutstandingR2T: number;
  /** `DefaultTime2Wait`, seconds. */
  defaultTime2Wait: number;
  /** `DefaultTime2Retain`, seconds. */
  defaultTime2Retain: number;
  /** `ErrorRecoveryLevel` (always 0). */
  errorRecoveryLevel: number;
  /** `MaxConnections` (always 1). */
  maxConnections: number;
}

/** RFC 7143 defaults: what holds for every key nobody mentioned. */
const RFC_DEFAULTS: NegotiatedParameters = {
  maxRecvDataSegmentLength: 8192,
  maxXmitDataSegmentLength: 8192,
  maxBurstLength: 262144,
  firstBurstLength: 65536,
  initialR2T: true,
  immediateData: true,
  maxOutstandingR2T: 1,
  defaultTime2Wait: 2,
  defaultTime2Retain: 20,
  errorRecoveryLevel: 0,
  maxConnections: 1,
};

type Rule = 'min' | 'max' | 'or' | 'and' | 'declare' | 'digest';
type Field = keyof NegotiatedParameters;

interface KeySpec {
  rule: Rule;
  /** Parameter the result sets (none for keys we only answer). */
  field?: Field;
  /** Numeric range of valid values. */
  range?: readonly [number, number];
  /** Irrelevant in a discovery session (§ 13: "Irrelevant when SessionType=Discovery"). */
  normalOnly?: boolean;
}

const SEGMENT: readonly [number, number] = [512, 16777215];
const KEYS: Record<string, KeySpec> = {
  HeaderDigest: { rule: 'digest' },
  DataDigest: { rule: 'digest' },
  MaxConnections: { rule: 'min', field: 'maxConnections', range: [1, 65535] },
  InitialR2T: { rule: 'or', field: 'initialR2T', normalOnly: true },
  ImmediateData: { rule: 'and', field: 'immediateData', normalOnly: true },
  MaxRecvDataSegmentLength: { rule: 'declare', field: 'maxXmitDataSegmentLength', range: SEGMENT },
  MaxBurstLength: { rule: 'min', field: 'maxBurstLength', range: SEGMENT, normalOnly: true },
  FirstBurstLength: { rule: 'min', field: 'firstBurstLength', range: SEGMENT, normalOnly: true },
  DefaultTime2Wait: { rule: 'max', field: 'defaultTime2Wait', range: [0, 3600] },
  DefaultTime2Retain: { rule: 'min', field: 'defaultTime2Retain', range: [0, 3600] },
  MaxOutstandingR2T: { rule: 'min', field: 'maxOutstandingR2T', range: [1, 65535], normalOnly: true },
  DataPDUInOrder: { rule: 'or', normalOnly: true },
  DataSequenceInOrder: { rule: 'or', normalOnly: true },
  ErrorRecoveryLevel: { rule: 'min', field: 'errorRecoveryLevel', range: [0, 2] },
  // RFC 3720's markers, gone from RFC 7143 but still offered (No) by open-iscsi and libiscsi.
  IFMarker: { rule: 'and' },
  OFMarker: { rule: 'and' },
};

/** Keys answered Irrelevant: the marker intervals, meaningless with markers off. */
const IRRELEVANT = new Set(['IFMarkInt', 'OFMarkInt']);

/** One login's operational negotiation. */
export class OperationalNegotiation {
  private readonly ours: Record<string, string>;
  private readonly params: NegotiatedParameters;
  private readonly settled = new Set<string>();
  private readonly proposed = new Set<string>();
  private declared = false;

  constructor(
    private readonly settings: Readonly<Required<IscsiTargetNegotiation>>,
    private readonly discovery: boolean,
  ) {
    const yesNo = (b: boolean): string => (b ? 'Yes' : 'No');
    this.ours = {
      HeaderDigest: 'None',
      DataDigest: 'None',
      MaxConnections: '1',
      InitialR2T: yesNo(settings.initialR2T),
      ImmediateData: yesNo(settings.immediateData),
      MaxRecvDataSegmentLength: String(settings.maxRecvDataSegmentLength),
      MaxBurstLength: String(settings.maxBurstLength),
      FirstBurstLength: String(Math.min(settings.firstBurstLength, settings.maxBurstLength)),
      DefaultTime2Wait: String(settings.defaultTime2Wait),
      DefaultTime2Retain: String(settings.defaultTime2Retain),
      MaxOutstandingR2T: String(settings.maxOutstandingR2T),
      DataPDUInOrder: 'Yes',
      DataSequenceInOrder: 'Yes',
      ErrorRecoveryLevel: '0',
      IFMarker: 'No',
      OFMarker: 'No',
    };
    this.params = { ...RFC_DEFAULTS, maxRecvDataSegmentLength: settings.maxRecvDataSegmentLength };
  }

  /** Whether `key` is an operational key this negotiation answers. */
  static handles(key: string): boolean {
    return key in KEYS || IRRELEVANT.has(key);
  }

  /** Answers the initiator's operational keys; the reply goes in the next Login Response. */
  answer(pairs: KeyValues): Array<[string, string]> {
    const reply: Array<[string, string]> = [];
    for (const [key, value] of pairs) {
      if (IRRELEVANT.has(key)) {
        reply.push([key, 'Irrelevant']);
        continue;
      }
      const spec = KEYS[key];
      if (spec === undefined) continue;
      const wasProposed = this.proposed.delete(key);
      if (this.discovery && spec.normalOnly) {
        if (!wasProposed) reply.push([key, 'Irrelevant']);
        continue;
      }
      const result = this.combine(spec, key, value);
      this.settled.add(key);
      if (result === undefined) {
        // An unusable offer is refused; the key keeps its default (§ 6.2.1).
        if (!wasProposed) reply.push([key, 'Reject']);
        continue;
      }
      if (spec.field !== undefined) (this.params as unknown as Record<string, unknown>)[spec.field] = result;
      if (spec.rule === 'declare') {
        if (!this.declared) reply.push([key, this.ours[key]!]);
        this.declared = true;
      } else if (!wasProposed) {
        reply.push([key, typeof result === 'boolean' ? (result ? 'Yes' : 'No') : String(result)]);
      }
    }
    return reply;
  }

  /**
   * Our own offers, once, for keys the initiator left at a default we cannot honour (a smaller
   * burst, no immediate data) and our receive segment size; the initiator must answer them
   * before the login may complete.
   */
  proposals(): Array<[string, string]> {
    const out: Array<[string, string]> = [];
    if (!this.declared) {
      this.declared = true;
      if (this.settings.maxRecvDataSegmentLength !== RFC_DEFAULTS.maxRecvDataSegmentLength)
        out.push(['MaxRecvDataSegmentLength', this.ours.MaxRecvDataSegmentLength!]);
    }
    if (this.discovery) return out;
    const stricter: Array<[string, boolean]> = [
      ['MaxBurstLength', this.settings.maxBurstLength < RFC_DEFAULTS.maxBurstLength],
      ['FirstBurstLength', Number(this.ours.FirstBurstLength) < RFC_DEFAULTS.firstBurstLength],
      ['ImmediateData', !this.settings.immediateData],
    ];
    for (const [key, needed] of stricter) {
      if (!needed || this.settled.has(key) || this.proposed.has(key)) continue;
      this.proposed.add(key);
      out.push([key, this.ours[key]!]);
      if (key === 'ImmediateData') this.params.immediateData = false;
      else (this.params as unknown as Record<string, number>)[camel(key)] = Number(this.ours[key]);
    }
    return out;
  }

  /** Whether proposals of ours still wait for the initiator's answer. */
  get awaitingAnswers(): boolean {
    return this.proposed.size > 0;
  }

  /** The negotiated parameters. */
  result(): NegotiatedParameters {
    const p = { ...this.params };
    // Never declared (the initiator went straight to full feature phase): the default holds.
    if (!this.declared) p.maxRecvDataSegmentLength = RFC_DEFAULTS.maxRecvDataSegmentLength;
    p.firstBurstLength = Math.min(p.firstBurstLength, p.maxBurstLength);
    return p;
  }

  private combine(spec: KeySpec, key: string, value: string): number | boolean | string | undefined {
    const mine = this.ours[key]!;
    switch (spec.rule) {
      case 'digest':
        return value.split(',').includes('None') ? 'None' : undefined;
      case 'or':
      case 'and': {
        if (value !== 'Yes' && value !== 'No') return undefined;
        const theirs = value === 'Yes';
        const own = mine === 'Yes';
        return spec.rule === 'or' ? theirs || own : theirs && own;
      }
      default: {
        if (!/^\d{1,10}$/.test(value)) return undefined;
        const n = Number(value);
        const [low, high] = spec.range ?? [0, Number.MAX_SAFE_INTEGER];
        if (n < low || n > high) return undefined;
        if (spec.rule === 'declare') return n;
        return spec.rule === 'min' ? Math.min(n, Number(mine)) : Math.max(n, Number(mine));
      }
    }
  }
}

function camel(key: string): string {
  return key.charAt(0).toLowerCase() + key.slice(1);
}
