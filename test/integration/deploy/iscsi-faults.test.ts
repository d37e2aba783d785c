import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import {
  DiskTooSmall,
  ImageChecksumError,
  InstanceDeployFailure,
  IscsiConnectionError,
  IscsiDiskWriter,
  IscsiError,
  type IscsiTarget,
  IscsiTimeout,
} from '../../../src/index.js';
import { ext4Image, rawDiskImage, readRange, sha256 } from '../../helpers/disk-tools.js';
import { describeWithPeers } from '../../helpers/peers.js';
import { startTgt, type Tgt } from '../../helpers/tgt.js';

const withTgt = describeWithPeers('tgt', { commands: ['tgtd', 'tgtadm', 'mkfs.ext4', 'blkid'] });
const IQN = 'iqn.2026-01.test.ironic-ilo:faults';
const MIB = 1 << 20;

withTgt('faults while writing to a real tgt: typed errors, nothing left behind', () => {
  let dir: string;
  let image: { path: string; signature: string };
  let tgt: Tgt | undefined;
  const start = async (luns: Array<{ lun: number; sizeBytes: number }>) => {
    tgt = await startTgt([{ iqn: IQN, luns }]);
    return tgt;
  };
  const target = (t: Tgt, lun = 1): IscsiTarget => ({ address: t.host, port: t.port, iqn: IQN, lun });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ironic-ilo-faults-'));
    image = await rawDiskImage(dir, 48 * MIB);
  });
  afterEach(async () => {
    await tgt?.stop();
    tgt = undefined;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('target disappears mid-write: IscsiConnectionError', async () => {
    const t = await start([{ lun: 1, sizeBytes: 64 * MIB }]);
    const writer = new IscsiDiskWriter({ queueDepth: 4 });
    let killed = false;
    const e = await writer
      .write(
        target(t),
        { image: { path: image.path } },
        {
          onProgress: (p) => {
            if (!killed && p.doneBytes >= 8 * MIB) {
              killed = true;
              t.kill();
            }
          },
        },
      )
      .catch((x: unknown) => x);
    expect(killed).toBe(true);
    expect(e).toBeInstanceOf(IscsiConnectionError);
    expect(e).toBeInstanceOf(IscsiError);
  });

  it('target stops answering: IscsiTimeout after the command timeout', async () => {
    const t = await start([{ lun: 1, sizeBytes: 64 * MIB }]);
    const writer = new IscsiDiskWriter({ commandTimeoutMs: 1500 });
    let paused: number | undefined;
    const e = await writer
      .write(
        target(t),
        { image: { path: image.path } },
        {
          onProgress: (p) => {
            if (paused === undefined && p.doneBytes >= 4 * MIB) {
              paused = t.pid;
              process.kill(paused, 'SIGSTOP');
            }
          },
        },
      )
      .catch((x: unknown) => x)
      .finally(() => {
        if (paused !== undefined) process.kill(paused, 'SIGCONT');
      });
    expect(e).toBeInstanceOf(IscsiTimeout);
    expect((e as IscsiTimeout).kind).toBe('command');
  });

  it('cancelled mid-write: rejects with the signal’s reason, logs out, wipes the partial image', async () => {
    const t = await start([{ lun: 1, sizeBytes: 64 * MIB }]);
    const controller = new AbortController();
    const e = await new IscsiDiskWriter()
      .write(
        target(t),
        { image: { path: image.path } },
        {
          signal: controller.signal,
          onProgress: (p) => {
            if (p.doneBytes >= 8 * MIB) controller.abort(new Error('operator cancelled'));
          },
        },
      )
      .catch((x: unknown) => x);
    expect((e as Error).message).toBe('operator cancelled');
    expect(await t.sessions()).toBe(0);
    // The partial image's MBR is gone: the node cannot boot half an image.
    expect((await readRange(t.backing(IQN, 1), 0, MIB)).every((b) => b === 0)).toBe(true);
  });

  it('LUN smaller than a whole-disk image: DiskTooSmall before anything is written', async () => {
    const t = await start([{ lun: 1, sizeBytes: 32 * MIB }]);
    const e = await new IscsiDiskWriter()
      .write(target(t), { image: { path: image.path } })
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(DiskTooSmall);
    expect(e).toBeInstanceOf(InstanceDeployFailure);
    expect(e).toMatchObject({ requiredBytes: 48 * MIB, availableBytes: 32 * MIB });
    expect(await sha256(t.backing(IQN, 1))).toBe(await sha256Zeros(32 * MIB));
    expect(await t.sessions()).toBe(0);
  });

  it('LUN smaller than a streamed image of unknown size: DiskTooSmall, and the partial image wiped', async () => {
    const t = await start([{ lun: 1, sizeBytes: 32 * MIB }]);
    const { createReadStream } = await import('node:fs');
    const e = await new IscsiDiskWriter()
      .write(target(t), { image: { stream: createReadStream(image.path) } })
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(DiskTooSmall);
    expect((await readRange(t.backing(IQN, 1), 0, MIB)).every((b) => b === 0)).toBe(true);
  });

  it('root partition smaller than the partition image: DiskTooSmall before anything is written', async () => {
    const t = await start([{ lun: 1, sizeBytes: 256 * MIB }]);
    const ext4 = await ext4Image(dir, 24);
    const e = await new IscsiDiskWriter()
      .write(target(t), { image: { path: ext4.path }, partitions: { rootMb: 16 } })
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(DiskTooSmall);
    expect((e as Error).message).toContain('root partition');
    expect(await sha256(t.backing(IQN, 1))).toBe(await sha256Zeros(256 * MIB));
  });

  it('raw checksum mismatch: ImageChecksumError after streaming, and the disk metadata wiped', async () => {
    const t = await start([{ lun: 1, sizeBytes: 64 * MIB }]);
    const e = await new IscsiDiskWriter()
      .write(target(t), { image: { path: image.path }, imageChecksum: 'f'.repeat(32) })
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ImageChecksumError);
    expect(e).toMatchObject({ algorithm: 'md5', expected: 'f'.repeat(32) });
    expect((await readRange(t.backing(IQN, 1), 0, MIB)).every((b) => b === 0)).toBe(true);
    expect(await t.sessions()).toBe(0);
  });
});

async function sha256Zeros(size: number): Promise<string> {
  const { createHash } = await import('node:crypto');
  const h = createHash('sha256');
  const z = Buffer.alloc(MIB);
  for (let at = 0; at < size; at += MIB) h.update(z);
  return h.digest('hex');
}
