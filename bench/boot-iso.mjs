// Child process of bench/agent.bench.ts: boot ISOs for `nodes` nodes deployed at once from one
// image, published in a web-server directory, with the built package (dist/):
//   shared   — acquireSharedBootIso (one ISO, reference-counted);
//   per-node — what Ironic did: each node downloads kernel and ramdisk, builds boot-<node> and
//              publishes it.
// Prints {"seconds", "objects", "storedBytes", "peakRssMiB"}.
//
//   node bench/boot-iso.mjs <shared|per-node> <http_root> <images base URL> <nodes>
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  acquireSharedBootIso,
  createBootIso,
  ImageService,
  parseConfig,
  WebServerStore,
} from '../dist/index.js';

const [mode, httpRoot, base, count] = process.argv.slice(2);
const config = parseConfig();
const store = new WebServerStore({ httpRoot, httpUrl: 'http://127.0.0.1:8080/' });
const images = new ImageService();
const nodes = Array.from({ length: Number(count) }, (_, i) => `node-${String(i).padStart(3, '0')}`);
const inputs = {
  imageSource: `${base}/image.qcow2`,
  kernel: `${base}/vmlinuz`,
  ramdisk: `${base}/initrd`,
  bootMode: 'bios',
  rootUuid: '2f4a8b8e-4f7e-4e3f-9b8a-0c2c8f2f1a11',
};

async function perNode(node) {
  const dir = await mkdtemp(join(tmpdir(), 'bench-iso-'));
  try {
    const [kernel, ramdisk] = await Promise.all([
      images.download(inputs.kernel, join(dir, 'kernel')),
      images.download(inputs.ramdisk, join(dir, 'ramdisk')),
    ]);
    const iso = await createBootIso({
      bootMode: 'bios',
      kernel: kernel.path,
      ramdisk: ramdisk.path,
      rootUuid: inputs.rootUuid,
      kernelParams: config.pxe.pxeAppendParams,
    });
    await store.publish(`boot-${node}`, iso.chunks());
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const started = performance.now();
if (mode === 'shared')
  await Promise.all(nodes.map((n) => acquireSharedBootIso(n, inputs, { store, images, config })));
else await Promise.all(nodes.map(perNode));
const seconds = (performance.now() - started) / 1000;
const files = (await readdir(httpRoot, { withFileTypes: true })).filter((e) => e.isFile());
let storedBytes = 0;
for (const f of files) storedBytes += (await stat(join(httpRoot, f.name))).size;
await images.close();
const peakRssMiB = process.resourceUsage().maxRSS / 1024;
process.stdout.write(`${JSON.stringify({ seconds, objects: files.length, storedBytes, peakRssMiB })}\n`);
