/**
 * `npm run bench -- iscsi-target [sizeMiB] [rounds]` (after `npm run build`): IscsiDiskWriter
 * writes a random raw image (512 MiB by default) to IscsiTargetSimulator and to tgt, what a user
 * would run instead, the contenders interleaved round by round (medians compared):
 *
 * - tgt with its defaults (8 KiB receive segments, InitialR2T=Yes) against the simulator
 *   negotiating the same (`--tgt-defaults`), each target in its own process;
 * - tgt tuned for writes (256 KiB segments, InitialR2T=No) against the simulator's defaults
 *   (the same), in its own process, in the writer's process (as tests and the demo run it), and
 *   with a memory LUN;
 * - qemu-img over libiscsi writing the image to each target (a third-party initiator), when
 *   qemu-block-extra is installed.
 *
 * Memory: the target process's peak RSS growth while it takes the full image and a quarter of
 * it — flat memory means the two are about the same.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { IscsiDiskWriter, type IscsiTarget } from '../src/index.js';
import { IscsiTargetSimulator } from '../src/testing/index.js';
import { findCommand } from '../test/helpers/peers.js';
import { startTgt } from '../test/helpers/tgt.js';
import { makeImage, measure, median, stop } from './shared.js';

const exec = promisify(execFile);
const MIB = 1 << 20;
const IQN = 'iqn.2026-01.bench.ironic-ilo:target';
const CLI = resolve(import.meta.dirname, '../dist/cli/main.js');
const TGT_DEFAULTS = { MaxRecvDataSegmentLength: '8192', InitialR2T: 'Yes', FirstBurstLength: '65536' };
const TUNED = { MaxRecvDataSegmentLength: '262144', InitialR2T: 'No', FirstBurstLength: '262144' };

/** One line of the table. */
export const description =
  'IscsiDiskWriter into IscsiTargetSimulator (own process, in-process, memory LUN) vs into tgt; qemu-img over libiscsi into both';

/** `ironic-ilo iscsi-target` from dist/, in its own process. */
async function simulatorProcess(
  sizeBytes: number,
  flags: string[],
): Promise<{ child: ChildProcess; target: IscsiTarget }> {
  const child = spawn(
    process.execPath,
    [CLI, 'iscsi-target', '--iqn', IQN, '--size', String(sizeBytes), ...flags],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  for await (const line of createInterface({ input: child.stdout! })) {
    const served = JSON.parse(line) as { address: string; port: number };
    return { child, target: { address: served.address, port: served.port, iqn: IQN, lun: 1 } };
  }
  throw new Error('ironic-ilo iscsi-target printed nothing');
}

const url = (t: IscsiTarget): string => `iscsi://${t.address}:${t.port}/${t.iqn}/1`;

export async function run(args: readonly string[]): Promise<void> {
  const sizeMiB = Number(args[0] ?? 512);
  const rounds = Number(args[1] ?? 3);
  const bytes = sizeMiB * MIB;
  if (!existsSync(CLI)) throw new Error('dist/cli/main.js is missing: run `npm run build` first');
  for (const c of ['tgtd', 'tgtadm'])
    if (!findCommand(c)) throw new Error(`${c} is not installed (npm run peers)`);
  const qemu = findCommand('qemu-img') && existsSync('/usr/lib/x86_64-linux-gnu/qemu/block-iscsi.so');
  const dir = mkdtempSync(join(tmpdir(), 'ironic-ilo-bench-target-'));
  const image = join(dir, 'image.raw');
  const quarter = join(dir, 'quarter.raw');
  makeImage(image, bytes);
  makeImage(quarter, bytes / 4);
  const lunBytes = bytes + 64 * MIB;
  const tgt = await startTgt([{ iqn: IQN, luns: [{ lun: 1, sizeBytes: lunBytes }] }]);
  const onTgt: IscsiTarget = { address: tgt.host, port: tgt.port, iqn: IQN, lun: 1 };
  const simFile = await simulatorProcess(lunBytes, []);
  const simSlow = await simulatorProcess(lunBytes, ['--tgt-defaults']);
  const simMemory = await simulatorProcess(lunBytes, ['--memory']);
  const inProcess = await IscsiTargetSimulator.start({
    tempDirectory: dir,
    targets: [{ iqn: IQN, luns: [{ sizeBytes: lunBytes }] }],
  });
  const rows = new Map<string, { rates: number[]; peaks: number[]; quarterPeaks: number[] }>();
  const record = (name: string, rate: number, peak?: number, quarterPeak?: number): void => {
    const row = rows.get(name) ?? { rates: [], peaks: [], quarterPeaks: [] };
    row.rates.push(rate);
    if (peak !== undefined) row.peaks.push(peak);
    if (quarterPeak !== undefined) row.quarterPeaks.push(quarterPeak);
    rows.set(name, row);
  };
  /** Writes the image and its quarter to `target`, measuring `pid`'s memory (this process when undefined). */
  const contend = async (name: string, target: IscsiTarget, pid: number | undefined): Promise<void> => {
    const full = await measure(() => new IscsiDiskWriter().write(target, { image: { path: image } }), pid);
    const part = await measure(() => new IscsiDiskWriter().write(target, { image: { path: quarter } }), pid);
    record(name, bytes / full.seconds, full.peakMiB, part.peakMiB);
  };
  try {
    // Warm-up: allocate every sparse LUN and the page cache, so that round 1 is like the others.
    for (const t of [onTgt, simFile.target, simSlow.target, simMemory.target, inProcess.iscsiTarget(IQN)])
      await new IscsiDiskWriter().write(t, { image: { path: image } });
    for (let r = 0; r < rounds; r++) {
      await tgt.setParams(IQN, TGT_DEFAULTS);
      await contend('tgt, its defaults (8 KiB segments, InitialR2T=Yes)', onTgt, tgt.pid);
      await contend('simulator, own process, tgt’s defaults', simSlow.target, simSlow.child.pid);
      await tgt.setParams(IQN, TUNED);
      await contend('tgt, tuned (256 KiB segments, InitialR2T=No)', onTgt, tgt.pid);
      await contend(
        'simulator, own process, its defaults (same as tuned)',
        simFile.target,
        simFile.child.pid,
      );
      await contend('simulator, in the writer’s process', inProcess.iscsiTarget(IQN), undefined);
      await contend('simulator, own process, memory LUN', simMemory.target, simMemory.child.pid);
      if (qemu) {
        for (const [name, target] of [
          ['qemu-img over libiscsi → tgt (tuned)', onTgt],
          ['qemu-img over libiscsi → simulator', simFile.target],
        ] as const) {
          const q = await measure(() =>
            exec('qemu-img', ['convert', '-n', '-f', 'raw', '-O', 'raw', image, url(target)]),
          );
          record(name, bytes / q.seconds);
        }
      }
      process.stdout.write(`round ${r + 1}/${rounds} done\n`);
    }
  } finally {
    await inProcess.close();
    await Promise.all([stop(simFile.child), stop(simSlow.child), stop(simMemory.child), tgt.stop()]);
    rmSync(dir, { recursive: true, force: true });
  }

  const rate = (name: string): number => median(rows.get(name)!.rates);
  const baseline = (name: string): number =>
    name.includes('tgt’s defaults') || name.includes('its defaults (8 KiB')
      ? rate('tgt, its defaults (8 KiB segments, InitialR2T=Yes)')
      : name.startsWith('qemu-img')
        ? rate('qemu-img over libiscsi → tgt (tuned)')
        : rate('tgt, tuned (256 KiB segments, InitialR2T=No)');
  process.stdout.write(
    `\n${sizeMiB} MiB random raw image, ${rounds} rounds, medians; ratio = row ÷ tgt with the same negotiation\n\n` +
      `| contender | MB/s | ratio to tgt | target peak RSS growth, ${sizeMiB} MiB / ${sizeMiB / 4} MiB (MiB) |\n` +
      '|---|---:|---:|---:|\n',
  );
  for (const [name, row] of rows) {
    const memory =
      row.peaks.length > 0 ? `${median(row.peaks).toFixed(0)} / ${median(row.quarterPeaks).toFixed(0)}` : '—';
    process.stdout.write(
      `| ${name} | ${(rate(name) / 1e6).toFixed(0)} | ${(rate(name) / baseline(name)).toFixed(2)} | ${memory} |\n`,
    );
  }
}
