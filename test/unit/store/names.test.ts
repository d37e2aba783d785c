import { describe, expect, it } from 'vitest';
import {
  ImageNotFound,
  InvalidParameterValue,
  isIronicIloError,
  joinUrl,
  parseChecksum,
  secretImageName,
  validateHolderId,
  validateImageName,
  validatePublish,
} from '../../../src/index.js';

function errorOf(f: () => unknown): InvalidParameterValue {
  try {
    f();
  } catch (e) {
    return e as InvalidParameterValue;
  }
  throw new Error('did not throw');
}

describe('image names', () => {
  it.each(['boot-1be26c0b.iso', 'ilo/boot-1.iso', 'image-x_y~z+1:2@h', 'a/b/c'])('accepts %s', (name) => {
    expect(() => validateImageName(name)).not.toThrow();
  });

  it.each([
    '',
    '/abs',
    'a/',
    'a//b',
    '..',
    'a/../b',
    '.hidden',
    'a/.b',
    'a\\b',
    'a b',
    'a\0b',
    'x'.repeat(513),
    'é',
  ])('rejects %j', (name) => {
    const e = errorOf(() => validateImageName(name));
    expect(e).toBeInstanceOf(InvalidParameterValue);
    expect(e.fields[0]?.field).toBe('name');
  });

  it('gives secret names 128 random bits in base64url', () => {
    const names = new Set(Array.from({ length: 1000 }, () => secretImageName('image-n')));
    expect(names.size).toBe(1000);
    for (const n of names) expect(n).toMatch(/^image-n-[A-Za-z0-9_-]{22}$/);
    expect(() => secretImageName('../x')).toThrow(InvalidParameterValue);
  });

  it('checks holder ids', () => {
    expect(() => validateHolderId('1be26c0b-03f2-4d2e-ae87-c02d7f33c123')).not.toThrow();
    expect(errorOf(() => validateHolderId('a/b')).fields).toEqual([
      { field: 'holderId', problem: 'may contain only letters, digits and . _ : @ -' },
    ]);
    expect(() => validateHolderId('')).toThrow(/1 to 128/);
  });

  it('reports every problem of a publish request at once', () => {
    const e = errorOf(() =>
      validatePublish('a//b', {
        ttlSeconds: 1.5,
        contentLength: -1,
        metadata: { ok: 'yes', 'x y': 'v', k: 'é' },
      }),
    );
    expect(e.fields.map((f) => f.field)).toEqual([
      'name',
      'ttlSeconds',
      'contentLength',
      'metadata.x y',
      'metadata.k',
    ]);
  });
});

describe('joinUrl', () => {
  it.each([
    ['http://10.0.0.1:8080/', 'x.iso', 'http://10.0.0.1:8080/x.iso'],
    ['http://10.0.0.1:8080', 'x.iso', 'http://10.0.0.1:8080/x.iso'],
    // Python's urljoin drops "webserver" here: Ironic's pitfall.
    ['http://x.y.z.a/webserver', 'image-UUID', 'http://x.y.z.a/webserver/image-UUID'],
    ['http://x.y.z.a/webserver/', 'image-UUID', 'http://x.y.z.a/webserver/image-UUID'],
    ['https://h/a/b', 'ilo/boot:1@x.iso', 'https://h/a/b/ilo/boot%3A1%40x.iso'],
  ])('joins %s and %s', (base, name, url) => {
    expect(joinUrl(base, name)).toBe(url);
  });
});

describe('parseChecksum', () => {
  const md5 = 'd41d8cd98f00b204e9800998ecf8427e';
  it('reads prefixed and bare digests', () => {
    expect(parseChecksum(md5)).toEqual({ algorithm: 'md5', value: md5 });
    expect(parseChecksum(`MD5:${md5}`.replace('MD5', 'md5'))).toEqual({ algorithm: 'md5', value: md5 });
    expect(parseChecksum('a'.repeat(64))).toEqual({ algorithm: 'sha256', value: 'a'.repeat(64) });
    expect(parseChecksum(`sha512:${'B'.repeat(128)}`)).toEqual({
      algorithm: 'sha512',
      value: 'b'.repeat(128),
    });
    expect(parseChecksum(`SHA1:${'d'.repeat(40)}`)).toEqual({ algorithm: 'sha1', value: 'd'.repeat(40) });
    expect(parseChecksum(`sha384:${'e'.repeat(96)}`).algorithm).toBe('sha384');
    expect(parseChecksum({ algorithm: 'sha256', value: 'C'.repeat(64) })).toEqual({
      algorithm: 'sha256',
      value: 'c'.repeat(64),
    });
  });

  it.each([
    '',
    'xyz',
    `sha3:${'a'.repeat(40)}`,
    `sha1:${'a'.repeat(64)}`,
    `sha256:${'a'.repeat(63)}`,
    'a'.repeat(40),
  ])('rejects %j', (value) => {
    expect(errorOf(() => parseChecksum(value, 'image_checksum')).fields[0]?.field).toBe('image_checksum');
  });
});

describe('ImageNotFound', () => {
  it("has Ironic's message and a stable code", () => {
    const e = new ImageNotFound({ imageId: 'boot-1.iso' });
    expect(e.message).toBe('Image boot-1.iso could not be found.');
    expect(e.code).toBe('IMAGE_NOT_FOUND');
    expect(e.name).toBe('ImageNotFound');
    expect(isIronicIloError(e, 'IMAGE_NOT_FOUND')).toBe(true);
  });
});
