import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ImageUnacceptable, NotSupported, Qcow2ImageReader } from '../../../src/index.js';
import { sha256, tool } from '../../helpers/disk-tools.js';
import { describeWithPeers } from '../../helpers/peers.js';

const withQemuImg = describeWithPeers('qemu-img', { commands: ['qemu-img', 'qemu-io'] });

/** SHA-256 of the guest disk as the reader sees it, with every release honoured. */
async function guestSha(
  path: string,
  chunkSize = 1 << 20,
): Promise<{ sha: string; zero: number; size: number }> {
  const reader = await Qcow2ImageReader.open(path);
  const h = createHash('sha256');
  let zero = 0;
  let at = 0;
  try {
    for await (const e of reader.extents({ chunkSize })) {
      expect(e.offset).toBe(at);
      if ('data' in e) {
        h.update(e.data);
        at += e.data.length;
        e.release?.();
      } else {
        h.update(Buffer.alloc(e.zeroLength));
        zero += e.zeroLength;
        at += e.zeroLength;
      }
    }
    expect(at).toBe(reader.virtualSize);
    return { sha: h.digest('hex'), zero, size: at };
  } finally {
    await reader.close();
  }
}

withQemuImg('native qcow2 reader, checked against qemu-img convert', () => {
  let dir: string;
  let raw: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ironic-ilo-qcow2-'));
    raw = join(dir, 'guest.raw');
    // Text (compressible), random data (not), holes, and a size that is not a cluster multiple.
    const text = Buffer.from(Array.from({ length: 60000 }, (_, i) => `line ${i} ${i * i}\n`).join(''));
    const img = Buffer.alloc(9 * 2 ** 20 + 3 * 512);
    text.copy(img, 0);
    createHash('sha512')
      .update('seed')
      .digest()
      .copy(img, 5 * 2 ** 20);
    for (let i = 0; i < 4096; i++) img.writeUInt32LE((i * 2654435761) >>> 0, 7 * 2 ** 20 + i * 4);
    writeFileSync(raw, img);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const variants: Array<[string, string[]]> = [
    ['v3, 64 KiB clusters', ['-O', 'qcow2']],
    ['v3, compressed', ['-c', '-O', 'qcow2']],
    ['v2 (compat=0.10), 512-byte clusters', ['-O', 'qcow2', '-o', 'compat=0.10,cluster_size=512']],
    ['v2, compressed, 4 KiB clusters', ['-c', '-O', 'qcow2', '-o', 'compat=0.10,cluster_size=4096']],
    ['v3, 2 MiB clusters', ['-O', 'qcow2', '-o', 'cluster_size=2M']],
  ];
  for (const [name, args] of variants) {
    it(`reads ${name} exactly as qemu-img converts it`, async () => {
      const q = join(dir, `${name.replace(/\W+/g, '_')}.qcow2`);
      await tool('qemu-img', ['convert', ...args, raw, q]);
      const back = join(dir, 'back.raw');
      await tool('qemu-img', ['convert', '-O', 'raw', q, back]);
      const got = await guestSha(q, 256 * 1024);
      expect(got.sha).toBe(await sha256(back));
      expect(got.zero).toBeGreaterThan(0);
    });
  }

  it('reads zero clusters of v3 (written by qemu-img as zero flags) without reading data', async () => {
    const q = join(dir, 'zeroes.qcow2');
    await tool('qemu-img', ['create', '-f', 'qcow2', q, '8M']);
    await tool('qemu-io', ['-c', 'write -P 0x5a 0 3M', '-c', 'write -z 1M 2M', q]);
    const got = await guestSha(q);
    const back = join(dir, 'zeroes.raw');
    await tool('qemu-img', ['convert', '-O', 'raw', q, back]);
    expect(got.sha).toBe(await sha256(back));
    expect(got.size).toBe(8 * 2 ** 20);
    expect(got.zero).toBe(7 * 2 ** 20); // 1–3 MiB zeroed after being written, 3–8 MiB never written
  });

  it('refuses backing files, encryption and extended L2 with NotSupported', async () => {
    const base = join(dir, 'base.qcow2');
    await tool('qemu-img', ['create', '-f', 'qcow2', base, '4M']);
    const overlay = join(dir, 'overlay.qcow2');
    await tool('qemu-img', ['create', '-f', 'qcow2', '-F', 'qcow2', '-b', base, overlay]);
    await expect(Qcow2ImageReader.open(overlay)).rejects.toThrow(/backing file/);
    const l2 = join(dir, 'l2.qcow2');
    await tool('qemu-img', ['create', '-f', 'qcow2', '-o', 'extended_l2=on', l2, '4M']);
    await expect(Qcow2ImageReader.open(l2)).rejects.toBeInstanceOf(NotSupported);
    // An encrypted image differs only by its crypt_method field (creating a real LUKS image needs
    // qemu to time its key derivation, which a busy machine makes fail).
    const enc = join(dir, 'enc.qcow2');
    const header = readFileSync(base);
    header.writeUInt32BE(2, 32); // crypt_method = LUKS
    writeFileSync(enc, header);
    await expect(Qcow2ImageReader.open(enc)).rejects.toThrow(/Encrypted qcow2/);
  });

  it('refuses damaged files with ImageUnacceptable', async () => {
    const q = join(dir, 'damaged.qcow2');
    await tool('qemu-img', ['convert', '-O', 'qcow2', raw, q]);
    const bytes = readFileSync(q);
    writeFileSync(q, bytes.subarray(0, 200_000)); // data clusters cut off
    await expect(guestSha(q)).rejects.toBeInstanceOf(ImageUnacceptable);
    const bad = Buffer.from(bytes);
    bad.writeUInt32BE(30, 20); // cluster_bits out of range
    writeFileSync(q, bad);
    await expect(Qcow2ImageReader.open(q)).rejects.toThrow(/cluster_bits 30/);
    writeFileSync(q, Buffer.from('not a qcow2 at all'));
    await expect(Qcow2ImageReader.open(q)).rejects.toBeInstanceOf(ImageUnacceptable);
  });
});
