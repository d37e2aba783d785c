/**
 * Child process of `bench/image.bench.ts`: builds one image with this library and prints its
 * time and peak RSS as JSON, so that each measurement has a process of its own.
 *
 *   tsx bench/image-worker.ts boot-iso <kernel> <ramdisk> <out>
 *   tsx bench/image-worker.ts floppy <count> <out-dir>
 *   tsx bench/image-worker.ts copy <kernel> <ramdisk> <out>   (plain fs streams, for reference)
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { buildFloppyImage, createBootIso } from '../src/index.js';

const [what, ...args] = process.argv.slice(2);
const start = process.hrtime.bigint();
if (what === 'boot-iso') {
  const [kernel, ramdisk, out] = args as [string, string, string];
  const iso = await createBootIso({
    bootMode: 'bios',
    kernel,
    ramdisk,
    rootUuid: '1be26c0b-03f2-4d2e-ae87-c02d7f33c123',
  });
  await iso.writeToFile(out);
} else if (what === 'floppy') {
  const [count, dir] = args as [string, string];
  for (let i = 0; i < Number(count); i++) {
    const floppy = await buildFloppyImage({
      parameters: {
        'ipa-api-url': 'http://192.0.2.10:6385',
        'ipa-driver-name': 'agent_ilo',
        BOOTIF: `52:54:00:00:00:${i % 100}`,
      },
    });
    await floppy.writeToFile(join(dir, `floppy-${i}.img`));
  }
} else if (what === 'copy') {
  const [kernel, ramdisk, out] = args as [string, string, string];
  const sink = createWriteStream(out);
  await pipeline(createReadStream(kernel, { highWaterMark: 1 << 20 }), sink, { end: false });
  await pipeline(createReadStream(ramdisk, { highWaterMark: 1 << 20 }), sink);
} else {
  throw new Error(`unknown worker task ${what}`);
}
const ms = Number(process.hrtime.bigint() - start) / 1e6;
process.stdout.write(`${JSON.stringify({ ms, maxRssKiB: process.resourceUsage().maxRSS })}\n`);
