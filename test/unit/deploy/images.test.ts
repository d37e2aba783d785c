import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { alignExtents } from '../../../src/deploy/iscsi/images/align.js';
import { ChecksumVerifier } from '../../../src/deploy/iscsi/images/checksum.js';
import { rechunk } from '../../../src/deploy/iscsi/images/raw.js';
import {
  decodeConfigDrive,
  type Extent,
  ImageChecksumError,
  InstanceDeployFailure,
  InvalidParameterValue,
  NotSupported,
  parseChecksum,
  RawImageReader,
} from '../../../src/index.js';

async function* from<T>(items: readonly T[]): AsyncGenerator<T> {
  yield* items;
}
async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}
/** The guest bytes an extent list describes. */
function flatten(extents: readonly Extent[]): Buffer {
  return Buffer.concat(extents.map((e) => ('data' in e ? e.data : Buffer.alloc(e.zeroLength))));
}

const dir = mkdtempSync(join(tmpdir(), 'ironic-ilo-images-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('rechunk and alignExtents', () => {
  it('rechunk cuts any stream into exact chunks without changing the bytes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.uint8Array({ maxLength: 700 }), { maxLength: 12 }),
        fc.integer({ min: 1, max: 300 }),
        async (pieces, size) => {
          const chunks = await collect(rechunk(from(pieces), size));
          expect(Buffer.concat(chunks)).toEqual(Buffer.concat(pieces.map((p) => Buffer.from(p))));
          expect(chunks.slice(0, -1).every((c) => c.length === size)).toBe(true);
        },
      ),
    );
  });

  it('alignExtents keeps the content, cuts on block boundaries and returns every buffer once', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(fc.uint8Array({ minLength: 1, maxLength: 3000 }), fc.integer({ min: 1, max: 5000 })),
          { maxLength: 10 },
        ),
        fc.constantFrom(512, 4096),
        async (parts, blockSize) => {
          let offset = 0;
          let released = 0;
          const extents: Extent[] = parts.map((p) => {
            const e: Extent =
              typeof p === 'number'
                ? { offset, zeroLength: p }
                : { offset, data: Buffer.from(p), release: () => void released++ };
            offset += typeof p === 'number' ? p : p.length;
            return e;
          });
          const aligned = await collect(alignExtents(from(extents), blockSize));
          for (const e of aligned) {
            expect(e.offset % blockSize).toBe(0);
            expect(('data' in e ? e.data.length : e.zeroLength) % blockSize).toBe(0);
          }
          const original = flatten(extents);
          const out = flatten(aligned);
          expect(out.subarray(0, original.length)).toEqual(original);
          expect(out.subarray(original.length).every((b) => b === 0)).toBe(true);
          expect(out.length - original.length).toBeLessThan(blockSize);
          for (const e of aligned) if ('data' in e) e.release?.();
          expect(released).toBe(extents.filter((e) => 'data' in e).length);
        },
      ),
    );
  });
});

describe('RawImageReader', () => {
  it('reads a file in chunks, all-zero chunks as zero runs, and recycles its buffers', async () => {
    const path = join(dir, 'raw');
    const data = Buffer.alloc(5 * 4096 + 100);
    data.fill(1, 0, 4096);
    data.fill(2, 3 * 4096, 4 * 4096);
    data[5 * 4096 + 50] = 3;
    writeFileSync(path, data);
    const reader = await RawImageReader.fromFile(path);
    expect(reader.virtualSize).toBe(data.length);
    const seen = new Set<ArrayBufferLike>();
    const extents: Extent[] = [];
    for await (const e of reader.extents({ chunkSize: 4096 })) {
      if ('data' in e) {
        seen.add(e.data.buffer);
        extents.push({ offset: e.offset, data: Buffer.from(e.data) });
        e.release?.();
      } else extents.push(e);
    }
    expect(extents.map((e) => ('data' in e ? `d${e.offset}` : `z${e.offset}`))).toEqual([
      'd0',
      'z4096',
      'z8192',
      'd12288',
      'z16384',
      'd20480',
    ]);
    expect(flatten(extents)).toEqual(data);
    expect(seen.size).toBe(1); // one buffer, recycled
  });
});

describe('image_checksum', () => {
  it('accepts Ironic’s md5 and named or sized sha digests', () => {
    expect(parseChecksum('D41D8CD98F00B204E9800998ECF8427E')).toEqual({
      algorithm: 'md5',
      value: 'd41d8cd98f00b204e9800998ecf8427e',
    });
    expect(parseChecksum(`sha256:${'a'.repeat(64)}`).algorithm).toBe('sha256');
    expect(parseChecksum('b'.repeat(128)).algorithm).toBe('sha512');
  });

  it('refuses what is not a digest, and URLs', () => {
    expect(() => parseChecksum('nope')).toThrow(InvalidParameterValue);
    expect(() => parseChecksum(`sha256:${'a'.repeat(63)}`)).toThrow(InvalidParameterValue);
    expect(() => parseChecksum('https://example.com/SHA256SUMS')).toThrow(NotSupported);
  });

  it('verifies bytes on a worker thread, shared or copied, and reports both digests on a mismatch', async () => {
    const v = new ChecksumVerifier(parseChecksum('5d41402abc4b2a76b9719d911017c592'), 'img');
    const shared = Buffer.from(new SharedArrayBuffer(3));
    shared.write('hel');
    const receipt = await v.update(shared);
    await receipt.done;
    await v.update(Buffer.from('lo'));
    await expect(v.verify()).resolves.toBeUndefined();
    const bad = new ChecksumVerifier(parseChecksum('0'.repeat(32)), 'img');
    await bad.update(Buffer.from('hello'));
    const e = await bad.verify().catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ImageChecksumError);
    expect(e).toMatchObject({ expected: '0'.repeat(32), actual: '5d41402abc4b2a76b9719d911017c592' });
  });

  it('hashes many chunks in order, with a bounded queue', async () => {
    const { createHash } = await import('node:crypto');
    const chunks = Array.from({ length: 40 }, (_, i) => Buffer.alloc(50_000 + i, i));
    const expected = createHash('sha256');
    for (const c of chunks) expected.update(c);
    const v = new ChecksumVerifier(parseChecksum(`sha256:${expected.digest('hex')}`), 'img');
    for (const c of chunks) await v.update(c);
    await expect(v.verify()).resolves.toBeUndefined();
  });
});

describe('decodeConfigDrive', () => {
  const iso = Buffer.alloc(40960, 7);

  it('decodes Ironic’s gzip+base64 form, and gzip or plain bytes', async () => {
    const encoded = gzipSync(iso).toString('base64');
    expect(await decodeConfigDrive(encoded)).toEqual(iso);
    expect(await decodeConfigDrive(`${encoded.slice(0, 20)}\n${encoded.slice(20)}`)).toEqual(iso);
    expect(await decodeConfigDrive(gzipSync(iso))).toEqual(iso);
    expect(await decodeConfigDrive(iso)).toEqual(iso);
  });

  it('refuses more than 64 MiB, text that is not gzip+base64, and URLs', async () => {
    const big = gzipSync(Buffer.alloc(64 * 2 ** 20 + 1)).toString('base64');
    await expect(decodeConfigDrive(big)).rejects.toThrow('Config drive size exceeds maximum limit of 64MiB.');
    await expect(decodeConfigDrive(Buffer.from('plain').toString('base64'))).rejects.toThrow(
      InstanceDeployFailure,
    );
    await expect(decodeConfigDrive('http://example.com/cd')).rejects.toThrow(NotSupported);
  });
});
