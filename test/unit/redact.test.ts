import { describe, expect, it } from 'vitest';
import type { LogFields, Logger } from '../../src/index.js';
import { REDACTED, redact, redactingLogger, redactUrl } from '../../src/index.js';

describe('redact', () => {
  it('removes given secrets, temp-URL signatures, tokens and userinfo passwords', () => {
    expect(redact('login admin/CANARY failed', ['CANARY'])).toBe(`login admin/${REDACTED} failed`);
    expect(redactUrl('https://s/v1/A/c/o?temp_url_sig=0123abcd&temp_url_expires=99')).toBe(
      `https://s/v1/A/c/o?temp_url_sig=${REDACTED}&temp_url_expires=99`,
    );
    expect(redactUrl('http://user:pw@host/x?token=t&b=1')).toBe(
      `http://user:${REDACTED}@host/x?token=${REDACTED}&b=1`,
    );
    expect(redact('nothing secret', [undefined, '', null])).toBe('nothing secret');
  });

  it("masks the random suffix of a secret image's name in URLs, and only that", () => {
    const floppy =
      'http://10.0.0.1:8080/httpboot/image-1be26c0b-03f2-4d2e-ae87-c02d7f33c123-3q2cF0yC3vH2b7pDqzH1nA';
    expect(redactUrl(floppy)).toBe(
      `http://10.0.0.1:8080/httpboot/image-1be26c0b-03f2-4d2e-ae87-c02d7f33c123-${REDACTED}`,
    );
    expect(redact(`inserting ${floppy}?x=1 now`)).toBe(
      `inserting http://10.0.0.1:8080/httpboot/image-1be26c0b-03f2-4d2e-ae87-c02d7f33c123-${REDACTED}?x=1 now`,
    );
    const plain = 'http://h/images/boot-1be26c0b-03f2-4d2e-ae87-c02d7f33c123 and /deploy-kernel.img';
    expect(redact(plain)).toBe(plain);
  });
});

describe('redactingLogger', () => {
  it('never lets a secret reach the wrapped logger, in messages or nested fields', () => {
    const seen: Array<[string, LogFields | undefined]> = [];
    const sink: Logger = {
      debug: (m, f) => seen.push([m, f]),
      info: (m, f) => seen.push([m, f]),
      warn: (m, f) => seen.push([m, f]),
      error: (m, f) => seen.push([m, f]),
    };
    const log = redactingLogger(sink, () => ['CANARY-9']);
    log.info('password CANARY-9 used', {
      nested: { list: ['x CANARY-9'] },
      n: 1,
      err: new Error('CANARY-9 bad'),
    });
    log.error('url https://h/o?temp_url_sig=abc');
    expect(JSON.stringify(seen)).not.toContain('CANARY-9');
    expect(JSON.stringify(seen)).not.toContain('sig=abc');
    expect(seen[0]?.[1]?.n).toBe(1);
  });
});
