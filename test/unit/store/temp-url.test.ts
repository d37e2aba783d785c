import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidParameterValue, swiftTempUrl, type TempUrlDigest } from '../../../src/index.js';
import { describeWithPeers } from '../../helpers/peers.js';
import { PYTHON } from '../../helpers/swift-aio.js';

interface Vector {
  path: string;
  key: string;
  expires: number;
  method: string;
  digest: TempUrlDigest;
  prefix?: boolean;
  ipRange?: string;
}

/** python-swiftclient's own generate_temp_url, run by Debian's Python, for each vector. */
function swiftclient(vectors: readonly Vector[]): string[] {
  const script = `
import json, sys
from swiftclient.utils import generate_temp_url
out = []
for v in json.load(sys.stdin):
    out.append(generate_temp_url(v['path'], v['expires'], v['key'], v['method'], absolute=True,
        prefix=v.get('prefix', False), ip_range=v.get('ipRange'), digest=v['digest']))
print(json.dumps(out))
`;
  const env = { ...process.env };
  delete env.REQUESTS_CA_BUNDLE;
  delete env.CURL_CA_BUNDLE;
  return JSON.parse(
    execFileSync(PYTHON, ['-c', script], { input: JSON.stringify(vectors), env }).toString(),
  ) as string[];
}

const withSwiftclient = describeWithPeers('python3-swiftclient', {
  files: [PYTHON, '/usr/lib/python3/dist-packages/swiftclient/utils.py'],
});

withSwiftclient('swiftTempUrl equals python-swiftclient generate_temp_url byte for byte', () => {
  const fixed: Vector[] = (['sha1', 'sha256', 'sha512'] as const).flatMap((digest) => [
    {
      path: '/v1/AUTH_test/ironic_ilo_container/boot-1be26c0b',
      key: 'secret-key',
      expires: 1767225600,
      method: 'GET',
      digest,
    },
    {
      path: '/v1/AUTH_a422b2-91f3/c/dir/o with space.iso',
      key: 'k€y',
      expires: 2000000000,
      method: 'put',
      digest,
    },
    { path: '/v1/AUTH_x/c/prefix-', key: 'k', expires: 1, method: 'GET', digest, prefix: true },
    { path: '/v1/AUTH_x/c/o', key: 'k', expires: 1700000000, method: 'HEAD', digest, ipRange: '10.0.0.0/8' },
  ]);

  it('for fixed vectors with SHA-1, SHA-256 and SHA-512 (plus prefix, ip_range, unicode)', () => {
    const expected = swiftclient(fixed);
    expect(fixed.map((v) => swiftTempUrl(v))).toEqual(expected);
  });

  it('for 200 generated vectors', () => {
    const segment = fc.stringMatching(/^[A-Za-z0-9._~-]{1,12}$/);
    const vectors = fc.sample(
      fc.record({
        path: fc
          .tuple(segment, segment, fc.array(segment, { minLength: 1, maxLength: 3 }))
          .map(([a, c, o]) => `/v1/AUTH_${a}/${c}/${o.join('/')}`),
        key: fc.string({ minLength: 1, maxLength: 40 }),
        expires: fc.integer({ min: 0, max: 4_000_000_000 }),
        method: fc.constantFrom('GET', 'HEAD', 'PUT', 'POST', 'DELETE'),
        digest: fc.constantFrom<TempUrlDigest>('sha1', 'sha256', 'sha512'),
      }),
      { numRuns: 200, seed: 5 },
    );
    expect(vectors.map((v) => swiftTempUrl(v))).toEqual(swiftclient(vectors));
  });
});

describe('swiftTempUrl', () => {
  const base = { method: 'GET', path: '/v1/AUTH_a/c/o', key: 'k', expires: 10 };

  it('defaults to SHA-256 (64 hex digits)', () => {
    expect(swiftTempUrl(base)).toMatch(/^\/v1\/AUTH_a\/c\/o\?temp_url_sig=[0-9a-f]{64}&temp_url_expires=10$/);
  });

  it('appends filename and inline after the signed part, which they do not change', () => {
    const plain = swiftTempUrl(base);
    const withName = swiftTempUrl({ ...base, filename: 'boot iso.iso', inline: true });
    expect(withName).toBe(`${plain}&filename=boot%20iso.iso&inline`);
  });

  it('names every bad input at once', () => {
    let error: unknown;
    try {
      swiftTempUrl({ method: 'GE T', path: '/v1/AUTH_a/c', key: '', expires: 1.5, digest: 'md5' as never });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidParameterValue);
    expect((error as InvalidParameterValue).fields.map((f) => f.field)).toEqual([
      'path',
      'key',
      'expires',
      'digest',
      'method',
    ]);
    expect((error as Error).message).not.toContain('undefined');
  });
});
