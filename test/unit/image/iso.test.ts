import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildIsoImage,
  ImageCreationFailed,
  ImageReadFailed,
  InvalidParameterValue,
  type IsoImage,
  imageToBytes,
  openIsoImage,
} from '../../../src/index.js';

const enc = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array) => new TextDecoder().decode(b);
/** A fake isolinux.bin: 2 KiB of a known pattern, long enough for the boot-info table. */
const fakeIsolinux = new Uint8Array(2048).map((_, i) => (i * 7) & 0xff);

async function files(iso: IsoImage): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const e of await iso.walk()) if (e.type === 'file') out[e.path] = text(await iso.readFile(e));
  return out;
}

describe('buildIsoImage and openIsoImage', () => {
  it('round-trips names, modes and contents through Rock Ridge, Joliet and ISO 9660 trees', async () => {
    const long = `${'n'.repeat(180)}.long-extension-name`;
    const image = await buildIsoImage({
      files: [
        { path: 'vmlinuz', input: enc('kernel') },
        { path: `deep/er/${long}`, input: enc('long'), mode: 0o755 },
        { path: 'Mixed Case/ünïcode ✓.txt', input: enc('u') },
      ],
      directories: ['empty/dir'],
    });
    const bytes = await imageToBytes(image);
    expect(bytes.length).toBe(image.size);
    const rr = await openIsoImage(bytes);
    expect(rr.namespace).toBe('rock-ridge');
    expect(rr.volumeLabel).toBe('VMEDIA_BOOT_ISO');
    expect(await files(rr)).toEqual({
      '/vmlinuz': 'kernel',
      [`/deep/er/${long}`]: 'long',
      '/Mixed Case/ünïcode ✓.txt': 'u',
    });
    expect((await rr.stat(`/deep/er/${long}`))?.mode).toBe(0o100755);
    expect((await rr.stat('/vmlinuz'))?.mode).toBe(0o100444);
    expect((await rr.stat('/empty/dir'))?.type).toBe('directory');
    expect(rr.bootEntries).toEqual([]);

    const joliet = await openIsoImage(bytes, { namespace: 'joliet' });
    const jolietNames = (await joliet.walk()).map((e) => e.path);
    expect(jolietNames).toContain('/Mixed Case/ünïcode ✓.txt');
    expect(jolietNames.find((p) => p.startsWith('/deep/er/'))?.split('/')[3]).toHaveLength(64);

    const plain = await openIsoImage(bytes, { namespace: 'iso9660' });
    expect(text(await plain.readFile('/VMLINUZ'))).toBe('kernel');
    expect((await plain.walk()).map((e) => e.name)).toContain('MIXED_CASE');
  });

  it('writes BIOS, UEFI and hybrid El Torito catalogs and patches the boot-info table', async () => {
    const esp = new Uint8Array(40 * 1024).fill(0xee);
    const common = [
      { path: 'isolinux/isolinux.bin', input: fakeIsolinux },
      { path: 'EFI/BOOT/efiboot.img', input: esp },
    ];
    const read = async (boot: Parameters<typeof buildIsoImage>[0]['boot']) =>
      openIsoImage(await imageToBytes(await buildIsoImage({ files: common, boot })));

    const bios = await read({ bios: { image: 'isolinux/isolinux.bin' } });
    expect(bios.bootEntries.map((e) => [e.platform, e.emulation, e.sectorCount, e.path])).toEqual([
      ['bios', 'none', 4, '/isolinux/isolinux.bin'],
    ]);
    const patched = await bios.readFile('/isolinux/isolinux.bin');
    const view = new DataView(patched.buffer, patched.byteOffset);
    expect(view.getUint32(8, true)).toBe(16);
    expect(view.getUint32(12, true)).toBe(bios.bootEntries[0]?.block);
    expect(view.getUint32(16, true)).toBe(fakeIsolinux.length);
    let sum = 0;
    for (let i = 64; i < fakeIsolinux.length; i += 4) sum = (sum + view.getUint32(i, true)) >>> 0;
    expect(view.getUint32(20, true)).toBe(sum);
    expect(patched.subarray(64)).toEqual(fakeIsolinux.subarray(64));

    const uefi = await read({ uefi: { image: 'EFI/BOOT/efiboot.img' } });
    expect(uefi.bootEntries.map((e) => [e.platform, e.platformId, e.sectorCount, e.path, e.size])).toEqual([
      ['uefi', 0xef, 80, '/EFI/BOOT/efiboot.img', esp.length],
    ]);
    const chunks: Uint8Array[] = [];
    for await (const c of uefi.bootImage(uefi.bootEntries[0]!)) chunks.push(c);
    expect(Buffer.concat(chunks).equals(Buffer.from(esp))).toBe(true);

    const hybrid = await read({
      bios: { image: 'isolinux/isolinux.bin' },
      uefi: { image: 'EFI/BOOT/efiboot.img' },
    });
    expect(hybrid.bootEntries.map((e) => e.platform)).toEqual(['bios', 'uefi']);
  });

  it('splits files over the extent limit into level-3 extents and reads them back whole', async () => {
    const data = new Uint8Array(10_000).map((_, i) => i % 253);
    const image = await buildIsoImage({ files: [{ path: 'big.bin', input: data }], maxExtentSize: 4096 });
    const iso = await openIsoImage(await imageToBytes(image));
    const entry = await iso.stat('/big.bin');
    expect(entry?.extents.map((e) => e.size)).toEqual([4096, 4096, 1808]);
    expect(entry?.size).toBe(10_000);
    expect(await iso.readFile('/big.bin')).toEqual(data);
  });

  it('gives the same bytes for the same inputs', async () => {
    const options = { files: [{ path: 'a/b.txt', input: enc('x') }], boot: undefined };
    expect(await imageToBytes(await buildIsoImage(options))).toEqual(
      await imageToBytes(await buildIsoImage(options)),
    );
  });

  it('streams inputs of known size, and fails when a stream is not the size it declared', async () => {
    const ok = await buildIsoImage({
      files: [{ path: 'ramdisk', input: { size: 6, stream: Readable.from([enc('abc'), enc('def')]) } }],
    });
    expect(text(await (await openIsoImage(await imageToBytes(ok))).readFile('/ramdisk'))).toBe('abcdef');
    const short = await buildIsoImage({
      files: [{ path: 'ramdisk', input: { size: 10, stream: Readable.from([enc('abc')]) } }],
    });
    await expect(imageToBytes(short)).rejects.toThrow(/file ramdisk is shorter than its declared 10 bytes/);
    const long = await buildIsoImage({
      files: [{ path: 'ramdisk', input: { size: 2, stream: Readable.from([enc('abc')]) } }],
    });
    await expect(imageToBytes(long)).rejects.toBeInstanceOf(ImageCreationFailed);
  });

  it('refuses a file that takes the image past the ISO 9660 limit before reading anything', async () => {
    const huge = { size: 9 * 2 ** 40, stream: Readable.from([]) };
    await expect(buildIsoImage({ files: [{ path: 'huge', input: huge }] })).rejects.toThrow(
      /file huge \(9895604649984 bytes\) takes the image past ISO 9660's limit/,
    );
  });

  it('refuses a boot entry that is not a file of the image, and bad options all at once', async () => {
    await expect(
      buildIsoImage({ files: [], boot: { bios: { image: 'isolinux/isolinux.bin' } } }),
    ).rejects.toThrow(/BIOS boot image isolinux\/isolinux.bin is not a non-empty file of the image/);
    const error = await buildIsoImage({
      files: [],
      volumeLabel: 'x'.repeat(40),
      boot: { bios: { image: 'a', loadSectors: 0 } },
      timestamp: new Date(Number.NaN),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidParameterValue);
    expect((error as InvalidParameterValue).fields.map((f) => f.field)).toEqual([
      'volumeLabel',
      'timestamp',
      'boot.bios.loadSectors',
    ]);
  });

  it('writes a file atomically and leaves nothing behind on failure or abort', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'iso-'));
    const out = join(dir, 'out.iso');
    writeFileSync(out, 'previous');
    const failing = await buildIsoImage({
      files: [{ path: 'r', input: { size: 1 << 20, stream: Readable.from([new Uint8Array(1000)]) } }],
    });
    await expect(failing.writeToFile(out)).rejects.toBeInstanceOf(ImageCreationFailed);
    expect(readdirSync(dir)).toEqual(['out.iso']);
    expect(readFileSync(out, 'utf8')).toBe('previous');

    const controller = new AbortController();
    const endless = (async function* () {
      for (;;) {
        yield new Uint8Array(65536);
        controller.abort(new Error('operator cancelled'));
        await new Promise((r) => setTimeout(r, 1));
      }
    })();
    const slow = await buildIsoImage({ files: [{ path: 'r', input: { size: 1 << 30, stream: endless } }] });
    await expect(slow.writeToFile(join(dir, 'new.iso'), { signal: controller.signal })).rejects.toThrow(
      'operator cancelled',
    );
    expect(readdirSync(dir)).toEqual(['out.iso']);

    const good = await buildIsoImage({ files: [{ path: 'x', input: enc('y') }] });
    await good.writeToFile(out);
    expect(readFileSync(out).length).toBe(good.size);
  });

  it('refuses what is not an ISO image', async () => {
    await expect(openIsoImage(new Uint8Array(40 * 2048))).rejects.toBeInstanceOf(ImageReadFailed);
    await expect(openIsoImage('/nonexistent.iso')).rejects.toThrow(/cannot open \/nonexistent.iso/);
  });

  it('reads back random trees exactly as written (property)', async () => {
    const name = fc
      .stringMatching(/^[A-Za-z0-9 ._-]{1,40}$/)
      .filter((n) => n !== '.' && n !== '..' && !n.endsWith('.'));
    const tree = fc.uniqueArray(
      fc.record({
        dirs: fc.array(name, { maxLength: 3 }),
        file: name,
        size: fc.integer({ min: 0, max: 5000 }),
      }),
      { minLength: 1, maxLength: 12, selector: (f) => [...f.dirs, f.file].join('/').toLowerCase() },
    );
    await fc.assert(
      fc.asyncProperty(tree, async (entries) => {
        const paths = new Set(entries.map((e) => [...e.dirs, e.file].join('/')));
        // A path that is both a file and a directory cannot exist; fast-check may propose one.
        const unique = entries.filter(
          (e) => ![...paths].some((p) => p.startsWith(`${[...e.dirs, e.file].join('/')}/`)),
        );
        const input = unique.map((e) => ({
          path: [...e.dirs, e.file].join('/'),
          input: new Uint8Array(e.size).fill(e.size & 0xff),
        }));
        const iso = await openIsoImage(
          await imageToBytes(await buildIsoImage({ files: input, maxExtentSize: 2048 })),
        );
        const got = new Map<string, number>();
        for (const e of await iso.walk())
          if (e.type === 'file') got.set(e.path.slice(1), (await iso.readFile(e)).length);
        expect(got).toEqual(new Map(input.map((f) => [f.path, f.input.length])));
      }),
      { numRuns: 40 },
    );
  });
});
