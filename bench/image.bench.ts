/**
 * `npm run bench -- image [--ramdisk-mb N] [--big-mb N] [--floppies N]`
 *
 * 1. A BIOS boot ISO from a 12 MB kernel and a 512 MB ramdisk: this library (one process per
 *    run) against `xorriso -as mkisofs` and `genisoimage` with Ironic's arguments, on a staging
 *    tree of hard links (so the tools do not pay for Ironic's copy into a temp dir). Throughput
 *    of input bytes and peak RSS of each.
 * 2. The same with a 2 GB ramdisk, for this library: peak RSS must stay flat.
 * 3. Virtual floppies: this library in process against `mkfs.vfat` + `mcopy` (the subprocess
 *    route Ironic took, minus `mount`).
 * Page cache is warm for every contender (inputs are read once before timing).
 */
import { execFile, spawn } from 'node:child_process';
import {
  closeSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'tsup';
import { buildFloppyImage, formatParameters, imageToBytes } from '../src/index.js';

export const description =
  'boot ISO (12 MB kernel + 512 MB / 2 GB ramdisk) vs xorriso and genisoimage; floppy vs mkfs.vfat + mcopy';

const exec = promisify(execFile);
const ISOLINUX = '/usr/lib/ISOLINUX/isolinux.bin';
const LDLINUX = '/usr/lib/syslinux/modules/bios/ldlinux.c32';
const REPEATS = 3;

interface Sample {
  ms: number;
  maxRssKiB: number;
}

function option(args: readonly string[], name: string, fallback: number): number {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? Number(args[i + 1]) : fallback;
}

function makeFile(path: string, bytes: number): void {
  const fd = openSync(path, 'w');
  const block = Buffer.alloc(1 << 20);
  for (let at = 0; at < bytes; at += block.length) {
    block.fill(at & 0xff);
    writeSync(fd, block, 0, Math.min(block.length, bytes - at));
  }
  closeSync(fd);
}

/** Runs a command, polling its VmHWM (peak RSS) until it exits. */
function measure(command: string, args: readonly string[]): Promise<Sample> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let peak = 0;
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const poll = setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) peak = Math.max(peak, Number(m[1]));
      } catch {}
    }, 10);
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(poll);
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (code !== 0) return reject(new Error(`${command} exited ${code}: ${stderr.slice(-500)}`));
      // Our worker reports its own exact figures; external tools get the polled peak.
      const own = stdout.trim().startsWith('{')
        ? (JSON.parse(stdout.trim().split('\n').at(-1)!) as Sample)
        : undefined;
      resolve(own ?? { ms, maxRssKiB: peak });
    });
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function best(label: string, repeats: number, once: () => Promise<Sample>): Promise<Sample> {
  const samples: Sample[] = [];
  for (let i = 0; i < repeats; i++) samples.push(await once());
  const result = {
    ms: median(samples.map((s) => s.ms)),
    maxRssKiB: Math.max(...samples.map((s) => s.maxRssKiB)),
  };
  process.stdout.write(`  ${label}: ${samples.map((s) => s.ms.toFixed(0)).join(', ')} ms\n`);
  return result;
}

function row(cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |\n`;
}

export async function run(args: readonly string[]): Promise<void> {
  const ramdiskMb = option(args, '--ramdisk-mb', 512);
  const bigMb = option(args, '--big-mb', 2048);
  const floppies = option(args, '--floppies', 200);
  const dir = mkdtempSync(join(tmpdir(), 'bench-image-'));
  try {
    const kernel = join(dir, 'vmlinuz');
    const ramdisk = join(dir, 'initrd');
    makeFile(kernel, 12 * 2 ** 20);
    makeFile(ramdisk, ramdiskMb * 2 ** 20);
    const stage = join(dir, 'stage');
    mkdirSync(join(stage, 'isolinux'), { recursive: true });
    linkSync(kernel, join(stage, 'vmlinuz'));
    linkSync(ramdisk, join(stage, 'initrd'));
    writeFileSync(join(stage, 'isolinux/isolinux.bin'), readFileSync(ISOLINUX));
    writeFileSync(join(stage, 'isolinux/ldlinux.c32'), readFileSync(LDLINUX));
    writeFileSync(join(stage, 'isolinux/isolinux.cfg'), 'default boot\n');
    const out = join(dir, 'out.iso');
    const ironicArgs = [
      '-r',
      '-V',
      'VMEDIA_BOOT_ISO',
      '-cache-inodes',
      '-J',
      '-l',
      '-no-emul-boot',
      '-boot-load-size',
      '4',
    ];
    const bootArgs = ['-boot-info-table', '-b', 'isolinux/isolinux.bin', '-o', out, stage];
    // The worker runs as plain JavaScript, as a user's service would, not under the TS loader.
    await build({
      entry: { worker: join(import.meta.dirname, 'image-worker.ts') },
      outDir: join(dir, 'worker'),
      format: ['esm'],
      platform: 'node',
      target: 'node20',
      config: false,
      silent: true,
      dts: false,
      sourcemap: false,
      // Bundle the dependencies too: the worker runs from a temporary directory.
      noExternal: [/.*/],
    });
    const tsx: string[] = [];
    const worker = join(dir, 'worker', 'worker.js');
    const inputBytes = 12 * 2 ** 20 + ramdiskMb * 2 ** 20;

    process.stdout.write(`boot ISO, ${ramdiskMb} MB ramdisk (median of ${REPEATS}):\n`);
    const ours = await best('ironic-ilo', REPEATS, () =>
      measure(process.execPath, [...tsx, worker, 'boot-iso', kernel, ramdisk, out]),
    );
    const xorriso = await best('xorriso -as mkisofs', REPEATS, () =>
      measure('xorriso', ['-as', 'mkisofs', ...ironicArgs, ...bootArgs]),
    );
    const geniso = await best('genisoimage', REPEATS, () =>
      measure('genisoimage', ['-quiet', ...ironicArgs, ...bootArgs]),
    );
    const mbps = (s: Sample) => inputBytes / 2 ** 20 / (s.ms / 1000);

    // What any Node.js program pays to copy the same bytes with fs streams: the RSS floor.
    const copy = await best('node fs pipeline copy (reference)', REPEATS, () =>
      measure(process.execPath, [worker, 'copy', kernel, ramdisk, out]),
    );

    let big: Sample | undefined;
    let bigXorriso: Sample | undefined;
    if (bigMb > 0) {
      process.stdout.write(`boot ISO, ${bigMb} MB ramdisk:\n`);
      rmSync(join(stage, 'initrd'));
      makeFile(ramdisk, bigMb * 2 ** 20);
      linkSync(ramdisk, join(stage, 'initrd'));
      big = await best('ironic-ilo', 1, () =>
        measure(process.execPath, [...tsx, worker, 'boot-iso', kernel, ramdisk, out]),
      );
      bigXorriso = await best('xorriso -as mkisofs', 1, () =>
        measure('xorriso', ['-as', 'mkisofs', ...ironicArgs, ...bootArgs]),
      );
    }
    rmSync(out, { force: true });

    process.stdout.write(`floppy, ${floppies} images:\n`);
    const floppyDir = join(dir, 'floppies');
    mkdirSync(floppyDir);
    const parameters = {
      'ipa-api-url': 'http://192.0.2.10:6385',
      'ipa-driver-name': 'agent_ilo',
      BOOTIF: '52:54:00:00:00:01',
    };
    const inMemory = await best('ironic-ilo (in memory)', 1, async () => {
      const start = process.hrtime.bigint();
      for (let i = 0; i < floppies; i++) await imageToBytes(await buildFloppyImage({ parameters }));
      return { ms: Number(process.hrtime.bigint() - start) / 1e6, maxRssKiB: 0 };
    });
    const inProcess = await best('ironic-ilo (in process, to a file)', 1, async () => {
      const start = process.hrtime.bigint();
      for (let i = 0; i < floppies; i++)
        await (await buildFloppyImage({ parameters })).writeToFile(join(floppyDir, `ours-${i}.img`));
      return { ms: Number(process.hrtime.bigint() - start) / 1e6, maxRssKiB: process.resourceUsage().maxRSS };
    });
    const paramsFile = join(dir, 'parameters.txt');
    writeFileSync(paramsFile, formatParameters(parameters));
    const subprocessCount = Math.max(10, Math.floor(floppies / 4));
    const subprocess = await best('mkfs.vfat + mcopy', 1, async () => {
      const start = process.hrtime.bigint();
      for (let i = 0; i < subprocessCount; i++) {
        const img = join(floppyDir, `tool-${i}.img`);
        await exec('mkfs.vfat', ['-C', '-n', 'ir-vfd-dev', img, '100']);
        await exec('mcopy', ['-i', img, paramsFile, '::parameters.txt']);
      }
      return {
        ms: (Number(process.hrtime.bigint() - start) / 1e6) * (floppies / subprocessCount),
        maxRssKiB: 0,
      };
    });

    const ratio = (name: string, throughput: number): string => {
      if (name.startsWith('ironic-ilo')) return '';
      const ourThroughput = name.includes(`${bigMb} MB`) && big ? (12 + bigMb) / (big.ms / 1000) : mbps(ours);
      return `${(ourThroughput / throughput).toFixed(2)}×`;
    };
    const mib = (kib: number) => `${(kib / 1024).toFixed(0)} MiB`;
    process.stdout.write('\n');
    process.stdout.write(
      row(['boot ISO (BIOS)', 'input', 'time', 'throughput', 'peak RSS', 'ours ÷ theirs (throughput)']),
    );
    process.stdout.write(row(['---', '---', '---', '---', '---', '---']));
    for (const [name, s, bytes] of [
      ['ironic-ilo', ours, inputBytes],
      ['xorriso -as mkisofs', xorriso, inputBytes],
      ['genisoimage', geniso, inputBytes],
      ['node fs pipeline copy (reference)', copy, inputBytes],
      ...(big && bigXorriso
        ? ([
            [`ironic-ilo, ${bigMb} MB ramdisk`, big, 12 * 2 ** 20 + bigMb * 2 ** 20],
            [`xorriso, ${bigMb} MB ramdisk`, bigXorriso, 12 * 2 ** 20 + bigMb * 2 ** 20],
          ] as const)
        : []),
    ] as const) {
      const throughput = bytes / 2 ** 20 / (s.ms / 1000);
      process.stdout.write(
        row([
          name,
          `${(bytes / 2 ** 20).toFixed(0)} MiB`,
          `${(s.ms / 1000).toFixed(2)} s`,
          `${throughput.toFixed(0)} MiB/s`,
          mib(s.maxRssKiB),
          ratio(name, throughput),
        ]),
      );
    }
    process.stdout.write('\n');
    process.stdout.write(row(['floppy (100 KiB, parameters.txt)', 'per image', 'mkfs.vfat + mcopy ÷ ours']));
    process.stdout.write(row(['---', '---', '---']));
    for (const [name, s] of [
      ['ironic-ilo, bytes in memory (what is uploaded)', inMemory],
      ['ironic-ilo, written to a file', inProcess],
    ] as const)
      process.stdout.write(
        row([name, `${(s.ms / floppies).toFixed(3)} ms`, `${(subprocess.ms / s.ms).toFixed(1)}×`]),
      );
    process.stdout.write(
      row(['mkfs.vfat + mcopy (to a file)', `${(subprocess.ms / floppies).toFixed(3)} ms`, '1×']),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
