import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  acquireSharedBootIso,
  type BootIsoInputs,
  buildIsoImage,
  IloClient,
  type IloConfig,
  ImageCreationFailed,
  ImageRefValidationFailed,
  ImageService,
  InvalidParameterValue,
  imageToBytes,
  openIsoImage,
  parseConfig,
  releaseSharedBootIso,
} from '../../../src/index.js';
import { IloSimulator, MemoryStore } from '../../../src/testing/index.js';
import { captureLogger } from '../../helpers/capture-logger.js';
import { type FileServer, startFileServer } from '../../helpers/file-server.js';

const ROOT = '2f4a8b8e-4f7e-4e3f-9b8a-0c2c8f2f1a11';
const text = (b: Uint8Array) => new TextDecoder().decode(b);
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

async function deployIso(withEsp = true): Promise<Uint8Array> {
  const files = [
    { path: 'EFI/BOOT/grub.cfg', input: new TextEncoder().encode('deploy ramdisk grub.cfg') },
    ...(withEsp ? [{ path: 'images/efiboot.img', input: new Uint8Array(64 * 1024).fill(0xef) }] : []),
  ];
  return imageToBytes(
    await buildIsoImage({ files, ...(withEsp ? { boot: { uefi: { image: 'images/efiboot.img' } } } : {}) }),
  );
}

describe('acquireSharedBootIso', () => {
  let files: FileServer;
  let work: string;
  let temp: string;
  let config: IloConfig;
  const store = new MemoryStore();
  const images = new ImageService();
  let inputs: BootIsoInputs;

  beforeAll(async () => {
    files = await startFileServer({
      '/vmlinuz': randomBytes(300_000),
      '/initrd': randomBytes(500_000),
      '/deploy.iso': await deployIso(),
      '/no-esp.iso': await deployIso(false),
    });
    work = await mkdtemp(join(tmpdir(), 'shared-iso-'));
    temp = join(work, 'tmp');
    await writeFile(join(work, 'isolinux.bin'), Buffer.alloc(4096, 0x90));
    await writeFile(join(work, 'ldlinux.c32'), Buffer.from('LDLINUX'));
    await (await import('node:fs/promises')).mkdir(temp);
    config = parseConfig({
      default: {
        tempdir: temp,
        isolinuxBin: join(work, 'isolinux.bin'),
        ldlinuxC32: join(work, 'ldlinux.c32'),
      },
    });
    await store.listen();
    inputs = {
      imageSource: `${files.url}/image.qcow2`,
      kernel: `${files.url}/vmlinuz`,
      ramdisk: `${files.url}/initrd`,
      bootMode: 'uefi',
      deployIso: `${files.url}/deploy.iso`,
      rootUuid: ROOT,
    };
  });
  afterAll(async () => {
    await store.close();
    await images.close();
    await files.close();
    await rm(work, { recursive: true, force: true });
  });
  afterEach(async () => {
    expect(await readdir(temp)).toEqual([]); // no download or build is ever left behind
  });

  const gets = (path: string) => files.hits.get(`GET ${path}`) ?? 0;

  it('builds the ISO once for twenty nodes acquiring it at the same time, and deletes it after the last release', async () => {
    const before = { kernel: gets('/vmlinuz'), ramdisk: gets('/initrd'), deploy: gets('/deploy.iso') };
    const holders = Array.from({ length: 20 }, (_, i) => `node-${String(i).padStart(2, '0')}`);
    const isos = await Promise.all(
      holders.map((h) => acquireSharedBootIso(h, inputs, { store, images, config })),
    );
    expect(new Set(isos.map((i) => i.name)).size).toBe(1);
    expect(isos.filter((i) => i.created)).toHaveLength(1);
    expect([gets('/vmlinuz'), gets('/initrd'), gets('/deploy.iso')]).toEqual([
      before.kernel + 1,
      before.ramdisk + 1,
      before.deploy + 1,
    ]);
    const name = isos[0]?.name as string;
    expect(name).toMatch(/^boot-[0-9a-f]{64}$/);
    expect(await store.holders(name)).toEqual(holders);
    for (const [i, h] of holders.entries()) {
      expect(await releaseSharedBootIso(store, name, h)).toBe(holders.length - i - 1);
    }
    expect(store.objects()).toEqual([]);
  });

  it('is a hybrid El Torito ISO with the root UUID on the kernel command line, as the simulated iLO fetches it', async () => {
    const iso = await acquireSharedBootIso('node-a', inputs, { store, images, config });
    await using sim = await IloSimulator.start({ model: 'ProLiant DL380 Gen9' });
    await using ilo = new IloClient(sim.node(0).clientOptions());
    await ilo.insertVirtualMedia(iso.url, 'CDROM');
    const fetched = await sim.node(0).server.cdrom.fetched();
    const read = await openIsoImage(fetched?.data as Buffer);
    expect(read.volumeLabel).toBe('VMEDIA_BOOT_ISO');
    expect(read.bootEntries.map((e) => [e.platform, e.path])).toEqual([
      ['bios', '/isolinux/isolinux.bin'],
      ['uefi', '/images/efiboot.img'],
    ]);
    const append = `root=UUID=${ROOT} nofb nomodeset vga=normal --`;
    expect(text(await read.readFile('/isolinux/isolinux.cfg'))).toContain(
      `append initrd=/initrd text ${append}`,
    );
    expect(text(await read.readFile('/EFI/BOOT/grub.cfg'))).toContain(`linux /vmlinuz ${append}`);
    expect(text(await read.readFile('/vmlinuz'))).toBe(text(files.files.get('/vmlinuz') as Uint8Array));
    await read.close();
    await releaseSharedBootIso(store, iso.name, 'node-a');
  });

  it('gives a different ISO to different root UUIDs, kernel parameters, boot modes and kernel contents', async () => {
    const base = await acquireSharedBootIso('n', inputs, { store, images, config });
    const variants = [
      { ...inputs, rootUuid: '0c2c8f2f-1a11-4e3f-9b8a-2f4a8b8e4f7e' },
      { ...inputs, kernelParams: 'console=ttyS0' },
      { ...inputs, bootMode: 'bios' as const },
      { ...inputs, checksums: { kernel: `sha256:${sha256(files.files.get('/vmlinuz') as Uint8Array)}` } },
    ];
    const names = [base.name];
    for (const v of variants) {
      const iso = await acquireSharedBootIso('n', v, { store, images, config });
      names.push(iso.name);
      await releaseSharedBootIso(store, iso.name, 'n');
    }
    const wrong = { ...inputs, rootUuid: 'other', checksums: { kernel: `sha256:${'a'.repeat(64)}` } };
    await expect(acquireSharedBootIso('n', wrong, { store, images, config })).rejects.toBeInstanceOf(
      ImageRefValidationFailed,
    );
    files.files.set('/vmlinuz', randomBytes(300_001));
    const changed = await acquireSharedBootIso('n', inputs, { store, images, config });
    names.push(changed.name);
    expect(new Set(names).size).toBe(names.length);
    await releaseSharedBootIso(store, changed.name, 'n');
    await releaseSharedBootIso(store, base.name, 'n');
    expect(store.objects()).toEqual([]);
  });

  it('fails before building anything when a reference is missing, and names every bad input', async () => {
    const missing = await acquireSharedBootIso(
      'n',
      { ...inputs, ramdisk: `${files.url}/nope` },
      { store, images, config },
    ).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ImageRefValidationFailed);
    const bad = await acquireSharedBootIso(
      '../n',
      { ...inputs, kernel: '', deployIso: undefined, rootUuid: 'a b', checksums: { ramdisk: 'xyz' } },
      { store, images, config },
    ).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(InvalidParameterValue);
    expect((bad as InvalidParameterValue).fields.map((f) => f.field)).toEqual([
      'holderId',
      'kernel',
      'deployIso',
      'rootUuid',
      'checksums.ramdisk',
    ]);
    expect(store.objects()).toEqual([]);
  });

  it('reports one build failure to every node that waited for it, downloading once', async () => {
    const broken = { ...inputs, deployIso: `${files.url}/no-esp.iso` };
    const before = gets('/no-esp.iso');
    const results = await Promise.allSettled(
      ['x', 'y', 'z'].map((h) => acquireSharedBootIso(h, broken, { store, images, config })),
    );
    for (const r of results) {
      expect(r.status).toBe('rejected');
      expect((r as PromiseRejectedResult).reason).toBeInstanceOf(ImageCreationFailed);
    }
    expect(gets('/no-esp.iso')).toBe(before + 1);
    expect(store.objects()).toEqual([]);
  });

  it('lets the others build when the node building it gives up', async () => {
    const controller = new AbortController();
    const first = acquireSharedBootIso(
      'quitter',
      { ...inputs, rootUuid: 'aborted-root' },
      {
        store,
        images,
        config,
        signal: controller.signal,
      },
    );
    const second = acquireSharedBootIso(
      'stayer',
      { ...inputs, rootUuid: 'aborted-root' },
      { store, images, config },
    );
    controller.abort(new Error('node deleted'));
    await expect(first).rejects.toThrow('node deleted');
    const iso = await second;
    expect(await store.holders(iso.name)).toEqual(['stayer']);
    await releaseSharedBootIso(store, iso.name, 'stayer');
    expect(store.objects()).toEqual([]);
  });

  it('never throws when releasing', async () => {
    const logger = captureLogger();
    store.failNext('release', new Error('store is down'));
    expect(await releaseSharedBootIso(store, 'boot-x', 'n', { logger })).toBeUndefined();
    expect(logger.lines.join('\n')).toContain('Could not release boot ISO boot-x for node n');
  });
});
