/**
 * `npm run bench -- iscsi [sizeMiB] [rounds]`: writes a raw image (1 GiB by default) to a tgt
 * LUN with IscsiDiskWriter, beside what bounds or replaces it on this machine, in one run with
 * the contenders interleaved round by round (the medians are compared):
 *
 * - `dd conv=notrunc,fdatasync`: a plain local copy of the same bytes over an existing file
 *   (as tgt overwrites its backing file), the upper bound here;
 * - `iscsi-perf` (libiscsi) reading the same LUN, with its default 4 KiB requests and with
 *   1 MiB requests like ours;
 * - `qemu-img convert` writing the image to the LUN through libiscsi, what a user would
 *   otherwise run (when qemu-block-extra is installed).
 *
 * Memory: peak RSS growth while writing, for the full image and for a quarter of it — flat
 * memory means the two are about the same.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { IscsiDiskWriter } from '../src/index.js';
import { findCommand } from '../test/helpers/peers.js';
import { startTgt, type Tgt } from '../test/helpers/tgt.js';
import { makeImage, measure, median } from './shared.js';

const exec = promisify(execFile);
const MIB = 1 << 20;
const IQN = 'iqn.2026-01.bench.ironic-ilo:iscsi';

/** tgt's defaults, and the write-friendly settings the tuned row uses. */
const TGT_DEFAULTS = { MaxRecvDataSegmentLength: '8192', InitialR2T: 'Yes', FirstBurstLength: '65536' };
const TUNED = { MaxRecvDataSegmentLength: '262144', InitialR2T: 'No', FirstBurstLength: '262144' };

/** One line of the table. */
export const description =
  'write a raw image to a tgt LUN: IscsiDiskWriter vs local dd, iscsi-perf reads and qemu-img over libiscsi';

async function iscsiPerf(tgt: Tgt, blocks: number, requests: number, seconds: number): Promise<number> {
  const url = `iscsi://${tgt.host}:${tgt.port}/${IQN}/1`;
  const { stdout } = await exec('iscsi-perf', [
    '-t',
    String(seconds),
    '-b',
    String(blocks),
    '-m',
    String(requests),
    url,
  ]);
  const all = [...stdout.matchAll(/iops average \d+ \((\d+) MB\/s\)/g)];
  const last = all.at(-1)?.[1];
  if (last === undefined) throw new Error(`iscsi-perf printed no average: ${stdout.slice(-200)}`);
  return Number(last) * 1e6;
}

export async function run(args: readonly string[]): Promise<void> {
  const sizeMiB = Number(args[0] ?? 1024);
  const rounds = Number(args[1] ?? 3);
  const bytes = sizeMiB * MIB;
  for (const c of ['tgtd', 'tgtadm', 'iscsi-perf', 'dd']) {
    if (!findCommand(c)) throw new Error(`${c} is not installed (npm run peers)`);
  }
  const qemuIscsi = findCommand('qemu-img') && existsSync('/usr/lib/x86_64-linux-gnu/qemu/block-iscsi.so');
  const dir = mkdtempSync(join(tmpdir(), 'ironic-ilo-bench-'));
  const image = join(dir, 'image.raw');
  const quarter = join(dir, 'quarter.raw');
  makeImage(image, bytes);
  makeImage(quarter, bytes / 4);
  const tgt = await startTgt([{ iqn: IQN, luns: [{ lun: 1, sizeBytes: bytes + 256 * MIB }] }]);
  const target = { address: tgt.host, port: tgt.port, iqn: IQN, lun: 1 };
  const rates = new Map<string, number[]>();
  const peaks = new Map<string, number[]>();
  const record = (name: string, rate: number, peak?: number) => {
    rates.set(name, [...(rates.get(name) ?? []), rate]);
    if (peak !== undefined) peaks.set(name, [...(peaks.get(name) ?? []), peak]);
  };
  const perfSeconds = Math.max(3, Math.ceil(bytes / (300 * MIB)));
  const ddArgs = [`if=${image}`, `of=${join(dir, 'copy.raw')}`, 'bs=1M'];
  try {
    // Warm-up: allocate the sparse LUN, the copy's target file and the page cache, so that round 1
    // is like the others and the local copy overwrites in place as tgt does its backing file.
    await new IscsiDiskWriter().write(target, { image: { path: image } });
    await exec('dd', [...ddArgs, 'status=none']);
    for (let r = 0; r < rounds; r++) {
      const ours = await measure(() => new IscsiDiskWriter().write(target, { image: { path: image } }));
      record('IscsiDiskWriter (raw, 16 × 1 MiB in flight)', bytes / ours.seconds, ours.peakMiB);
      const small = await measure(() => new IscsiDiskWriter().write(target, { image: { path: quarter } }));
      record(`IscsiDiskWriter, ${sizeMiB / 4} MiB image`, bytes / 4 / small.seconds, small.peakMiB);
      const md5 = await measure(() =>
        new IscsiDiskWriter()
          .write(target, { image: { path: image }, imageChecksum: 'md5:'.concat('0'.repeat(32)) })
          .catch((e: unknown) => {
            if ((e as Error).name !== 'ImageChecksumError') throw e;
          }),
      );
      record('IscsiDiskWriter + md5 verification', bytes / md5.seconds, md5.peakMiB);
      const dd = await measure(() => exec('dd', [...ddArgs, 'conv=notrunc,fdatasync', 'status=none']));
      record('local copy (dd bs=1M conv=notrunc,fdatasync)', bytes / dd.seconds);
      record('iscsi-perf read, 4 KiB × 32 (its defaults)', await iscsiPerf(tgt, 8, 32, perfSeconds));
      record('iscsi-perf read, 1 MiB × 16 (as ours)', await iscsiPerf(tgt, 2048, 16, perfSeconds));
      // The same write with the target tuned for writes: it shows how much of the gap to reads
      // is tgt's default 8 KiB receive segments and InitialR2T=Yes rather than the initiator.
      await tgt.setParams(IQN, TUNED);
      const tuned = await measure(() => new IscsiDiskWriter().write(target, { image: { path: image } }));
      await tgt.setParams(IQN, TGT_DEFAULTS);
      record(
        'IscsiDiskWriter, target tuned for writes (256 KiB segments, InitialR2T=No)',
        bytes / tuned.seconds,
        tuned.peakMiB,
      );
      if (qemuIscsi) {
        const url = `iscsi://${tgt.host}:${tgt.port}/${IQN}/1`;
        const q = await measure(() =>
          exec('qemu-img', ['convert', '-n', '-f', 'raw', '-O', 'raw', image, url]),
        );
        record('qemu-img convert over libiscsi (write)', bytes / q.seconds);
      }
      process.stdout.write(`round ${r + 1}/${rounds} done\n`);
    }
  } finally {
    await tgt.stop();
    rmSync(dir, { recursive: true, force: true });
  }

  const ours = median(rates.get('IscsiDiskWriter (raw, 16 × 1 MiB in flight)')!);
  process.stdout.write(
    `\n${sizeMiB} MiB image, ${rounds} rounds, medians; ratio = IscsiDiskWriter ÷ row\n\n` +
      '| contender | MB/s | ratio | peak RSS growth (MiB) |\n|---|---:|---:|---:|\n',
  );
  for (const [name, xs] of rates) {
    const rate = median(xs);
    const peak = peaks.get(name);
    process.stdout.write(
      `| ${name} | ${(rate / 1e6).toFixed(0)} | ${(ours / rate).toFixed(2)} | ${peak ? median(peak).toFixed(0) : '—'} |\n`,
    );
  }
}
