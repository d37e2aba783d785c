import { describe, expect, it } from 'vitest';
import {
  NegotiationFailure,
  OperationalNegotiation,
} from '../../../src/deploy/iscsi/protocol/negotiation.js';

const answers = (pairs: Record<string, string>) => new Map(Object.entries(pairs));

describe('operational negotiation (RFC 7143 § 13)', () => {
  it('proposes digests off, immediate data, no initial R2T and large bursts', () => {
    const keys = Object.fromEntries(new OperationalNegotiation().proposals());
    expect(keys).toMatchObject({
      HeaderDigest: 'None',
      DataDigest: 'None',
      InitialR2T: 'No',
      ImmediateData: 'Yes',
      MaxRecvDataSegmentLength: '262144',
      ErrorRecoveryLevel: '0',
    });
  });

  it('combines answers: minimum, maximum, AND, OR and the target’s declaration', () => {
    const n = new OperationalNegotiation({ maxBurstLength: 1048576, firstBurstLength: 262144 });
    const reply = n.absorb(
      answers({
        InitialR2T: 'Yes', // OR: Yes wins
        ImmediateData: 'No', // AND: No wins
        MaxBurstLength: '262144', // min
        FirstBurstLength: '65536',
        DefaultTime2Wait: '5', // max
        MaxRecvDataSegmentLength: '8192', // the target's receive limit: our send limit
        TargetPortalGroupTag: '1',
      }),
    );
    expect(reply).toEqual([]);
    expect(n.result()).toMatchObject({
      initialR2T: true,
      immediateData: false,
      maxBurstLength: 262144,
      firstBurstLength: 65536,
      defaultTime2Wait: 5,
      maxXmitDataSegmentLength: 8192,
      maxRecvDataSegmentLength: 262144,
    });
  });

  it('answers keys the target raises itself, and unknown keys with NotUnderstood', () => {
    const n = new OperationalNegotiation();
    n.absorb(answers({ MaxOutstandingR2T: '1' }));
    const reply = n.absorb(answers({ MaxOutstandingR2T: '4', 'X-com.example.Foo': '1', Frobnicate: 'Yes' }));
    expect(reply).toEqual([
      ['MaxOutstandingR2T', '1'],
      ['Frobnicate', 'NotUnderstood'],
    ]);
  });

  it('keeps RFC defaults where the target says nothing, and never lets FirstBurstLength exceed MaxBurstLength', () => {
    const n = new OperationalNegotiation({ firstBurstLength: 1 << 20, maxBurstLength: 1 << 20 });
    n.absorb(answers({ MaxBurstLength: '65536', FirstBurstLength: 'Irrelevant' }));
    expect(n.result()).toMatchObject({
      maxBurstLength: 65536,
      firstBurstLength: 65536,
      maxXmitDataSegmentLength: 8192,
    });
  });

  it('fails on digests it cannot do, malformed numbers and out-of-range declarations', () => {
    expect(() => new OperationalNegotiation().absorb(answers({ HeaderDigest: 'CRC32C' }))).toThrow(
      NegotiationFailure,
    );
    expect(() => new OperationalNegotiation().absorb(answers({ MaxBurstLength: 'lots' }))).toThrow(
      NegotiationFailure,
    );
    expect(() => new OperationalNegotiation().absorb(answers({ MaxRecvDataSegmentLength: '100' }))).toThrow(
      NegotiationFailure,
    );
    expect(() => new OperationalNegotiation().absorb(answers({ ImmediateData: 'Maybe' }))).toThrow(
      NegotiationFailure,
    );
  });
});
