import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { IscsiDiskWriter, type IscsiTarget } from '../../../src/index.js';
import { rawDiskImage, readRange, sha256, tool } from '../../helpers/disk-tools.js';
import { describeWithPeers } from '../../helpers/peers.js';
import { startTgt, type Tgt } from '../../helpers/tgt.js';

const withTgt = describeWithPeers('tgt and qemu-img', { commands: ['tgtd', 'tgtadm', 'qemu-img'] });
const IQN = 'iqn.2026-01.test.ironic-ilo:whole-disk';
const MIB = 1 << 20;

withTgt('whole-disk images written to a real tgt LUN', () => {
  let tgt: Tgt;
  let dir: string;
  let raw: { path: string; signature: string };
  let qcow2: string;
  let qcow2AsRaw: string;
  const writer = new IscsiDiskWriter();
  const target = (lun: number): IscsiTarget => ({ address: tgt.host, port: tgt.port, iqn: IQN, lun });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ironic-ilo-wd-'));
    raw = await rawDiskImage(dir, 24 * MIB + 4096);
    qcow2 = join(dir, 'disk.qcow2');
    // Compressed clusters, data clusters and zero clusters all in one image.
    await tool('qemu-img', ['convert', '-c', '-O', 'qcow2', raw.path, qcow2]);
    qcow2AsRaw = join(dir, 'disk.qcow2.raw');
    await tool('qemu-img', ['convert', '-O', 'raw', qcow2, qcow2AsRaw]);
    tgt = await startTgt([
      {
        iqn: IQN,
        luns: [
          ...[1, 2, 3, 4, 5].map((lun) => ({ lun, sizeBytes: 64 * MIB })),
          { lun: 6, sizeBytes: 64 * MIB, thin: true },
        ],
      },
    ]);
  });
  afterAll(async () => {
    await tgt?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes a raw image byte for byte (SHA-256 of the LUN backing file) and returns the disk identifier', async () => {
    const progress: number[] = [];
    const result = await writer.write(
      target(1),
      { image: { path: raw.path } },
      { onProgress: (p) => progress.push(p.doneBytes) },
    );
    const size = 24 * MIB + 4096;
    expect(await sha256(tgt.backing(IQN, 1), 0, size)).toBe(await sha256(raw.path));
    expect(result).toMatchObject({ diskIdentifier: raw.signature, imageFormat: 'raw', imageSize: size });
    expect(result.bytesWritten).toBeLessThan(size); // zero runs were not sent as data
    expect(result.bytesWritten + result.bytesZeroed).toBe(size);
    expect(progress.at(-1)).toBe(size);
    expect(await tgt.sessions()).toBe(0);
  });

  it('writes a qcow2 image (compressed and zero clusters) equal to qemu-img’s raw conversion, over old data', async () => {
    // The disk is not blank: zero clusters must be zeroed on it, not skipped.
    writeFileSync(tgt.backing(IQN, 2), Buffer.alloc(64 * MIB, 0xa5));
    const result = await writer.write(target(2), { image: { path: qcow2 }, imageFormat: 'qcow2' });
    const size = Number((await tool('stat', ['-c', '%s', qcow2AsRaw])).trim());
    expect(await sha256(tgt.backing(IQN, 2), 0, size)).toBe(await sha256(qcow2AsRaw));
    expect(result.imageFormat).toBe('qcow2');
    expect(result.bytesZeroed).toBeGreaterThan(0);
  });

  it('deallocates zero runs on a thin LUN (WRITE SAME with UNMAP) instead of writing them', async () => {
    const backing = tgt.backing(IQN, 6);
    writeFileSync(backing, Buffer.alloc(64 * MIB, 0xa5));
    const result = await writer.write(target(6), { image: { path: qcow2 } });
    const size = Number((await tool('stat', ['-c', '%s', qcow2AsRaw])).trim());
    expect(await sha256(backing, 0, size)).toBe(await sha256(qcow2AsRaw));
    const allocated = Number((await tool('stat', ['-c', '%b', backing])).trim()) * 512;
    // Only the image's data (and the 64 MiB beyond it, untouched) stays allocated.
    expect(allocated).toBeLessThan(64 * MIB - result.bytesZeroed / 2);
  });

  it('skips zero runs on a disk known to be blank (assumeZeroed)', async () => {
    const result = await writer.write(target(3), { image: { path: qcow2 }, assumeZeroed: true });
    const size = Number((await tool('stat', ['-c', '%s', qcow2AsRaw])).trim());
    expect(await sha256(tgt.backing(IQN, 3), 0, size)).toBe(await sha256(qcow2AsRaw));
    expect(result.bytesZeroed).toBe(0);
  });

  it('writes a raw image from a stream and verifies its checksum as it goes', async () => {
    const md5 = (await tool('md5sum', [raw.path])).split(' ')[0]!;
    const result = await writer.write(target(4), {
      image: { stream: createReadStream(raw.path, { highWaterMark: 100_000 }), name: 'http-body' },
      imageChecksum: md5,
    });
    expect(result.diskIdentifier).toBe(raw.signature);
    expect(await sha256(tgt.backing(IQN, 4), 0, 24 * MIB + 4096)).toBe(await sha256(raw.path));
  });

  it('verifies a qcow2 checksum before writing anything', async () => {
    const e = await writer
      .write(target(5), { image: { path: qcow2 }, imageChecksum: `sha256:${'0'.repeat(64)}` })
      .catch((x: unknown) => x);
    expect((e as Error).name).toBe('ImageChecksumError');
    expect((await readRange(tgt.backing(IQN, 5), 0, MIB)).every((b) => b === 0)).toBe(true);
    const sha = await sha256(qcow2);
    await writer.write(target(5), { image: { path: qcow2 }, imageChecksum: `sha256:${sha}` });
  });
});
