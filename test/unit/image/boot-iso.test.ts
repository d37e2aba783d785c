import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  buildIsoImage,
  createBootIso,
  ImageCreationFailed,
  InvalidParameterValue,
  imageToBytes,
  openIsoImage,
  renderGrubConfig,
  renderIsolinuxConfig,
} from '../../../src/index.js';

const enc = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array) => new TextDecoder().decode(b);
const kernel = enc('KERNEL');
const ramdisk = enc('RAMDISK');
const isolinuxBin = new Uint8Array(4096).fill(0x90);
const ldlinuxC32 = enc('LDLINUX');
const esp = new Uint8Array(8192).fill(0xef);
const uuid = '1be26c0b-03f2-4d2e-ae87-c02d7f33c123';

/** A deploy ISO that keeps its ESP and grub.cfg where Fedora does. */
async function deployIso(
  files = [
    { path: 'images/efiboot.img', input: esp },
    { path: 'EFI/BOOT/grub.cfg', input: enc('deploy grub.cfg') },
  ],
) {
  return imageToBytes(await buildIsoImage({ files, boot: { uefi: { image: files[0]!.path } } }));
}

async function listing(bytes: Uint8Array) {
  const iso = await openIsoImage(bytes);
  const tree: Record<string, string> = {};
  for (const e of await iso.walk()) if (e.type === 'file') tree[e.path] = text(await iso.readFile(e));
  return { iso, tree };
}

describe('createBootIso', () => {
  it("lays out a BIOS ISO as Ironic did, with Ironic's isolinux.cfg", async () => {
    const image = await createBootIso({
      bootMode: 'bios',
      kernel,
      ramdisk,
      rootUuid: uuid,
      isolinuxBin,
      ldlinuxC32,
    });
    const { iso, tree } = await listing(await imageToBytes(image));
    expect(Object.keys(tree).sort()).toEqual([
      '/initrd',
      '/isolinux/isolinux.bin',
      '/isolinux/isolinux.cfg',
      '/isolinux/ldlinux.c32',
      '/vmlinuz',
    ]);
    expect(tree['/vmlinuz']).toBe('KERNEL');
    expect(tree['/isolinux/isolinux.cfg']).toBe(
      `default boot\n\nlabel boot\nkernel /vmlinuz\nappend initrd=/initrd text root=UUID=${uuid} nofb nomodeset vga=normal --\n`,
    );
    expect(iso.volumeLabel).toBe('VMEDIA_BOOT_ISO');
    expect(iso.bootEntries.map((e) => [e.platform, e.sectorCount, e.path])).toEqual([
      ['bios', 4, '/isolinux/isolinux.bin'],
    ]);
  });

  it('takes efiboot.img and the grub.cfg path from the deploy ISO for UEFI, and renders grub.cfg', async () => {
    const image = await createBootIso({
      bootMode: 'uefi',
      kernel,
      ramdisk,
      rootUuid: uuid,
      kernelParams: 'console=ttyS0',
      deployIso: await deployIso(),
    });
    const { iso, tree } = await listing(await imageToBytes(image));
    expect(Object.keys(tree).sort()).toEqual([
      '/EFI/BOOT/grub.cfg',
      '/images/efiboot.img',
      '/initrd',
      '/vmlinuz',
    ]);
    expect(tree['/EFI/BOOT/grub.cfg']).toBe(
      renderGrubConfig({
        kernel: '/vmlinuz',
        ramdisk: '/initrd',
        kernelParams: `root=UUID=${uuid} console=ttyS0`,
        timeoutSeconds: 5,
      }),
    );
    expect(tree['/EFI/BOOT/grub.cfg']).toContain(
      `linux /vmlinuz root=UUID=${uuid} console=ttyS0 --\ninitrd /initrd\n`,
    );
    expect(tree['/EFI/BOOT/grub.cfg']).toContain('set timeout=5');
    expect(iso.bootEntries.map((e) => [e.platform, e.path, e.size])).toEqual([
      ['uefi', '/images/efiboot.img', esp.length],
    ]);
  });

  it('makes a hybrid with both entries from an ESP image, and can be written twice', async () => {
    const image = await createBootIso({
      bootMode: 'hybrid',
      kernel,
      ramdisk,
      espImage: esp,
      isolinuxBin,
      ldlinuxC32,
    });
    const first = await imageToBytes(image);
    expect(await imageToBytes(image)).toEqual(first);
    const { iso, tree } = await listing(first);
    expect(iso.bootEntries.map((e) => [e.platform, e.path])).toEqual([
      ['bios', '/isolinux/isolinux.bin'],
      ['uefi', '/boot/grub/efiboot.img'],
    ]);
    expect(tree['/EFI/BOOT/grub.cfg']).toContain('linux /vmlinuz nofb nomodeset vga=normal --');
  });

  it("keeps the deploy ISO's paths, the last match winning as in Ironic's walk", async () => {
    const deploy = await deployIso([
      { path: 'boot/efiboot.img', input: esp },
      { path: 'boot/grub/grub.cfg', input: enc('a') },
      { path: 'EFI/BOOT/grub.cfg', input: enc('b') },
    ]);
    const { tree } = await listing(
      await imageToBytes(await createBootIso({ bootMode: 'uefi', kernel, ramdisk, deployIso: deploy })),
    );
    // os.walk order: /boot/grub/grub.cfg is met first, /EFI/BOOT/grub.cfg last.
    expect(Object.keys(tree).sort()).toEqual([
      '/EFI/BOOT/grub.cfg',
      '/boot/efiboot.img',
      '/initrd',
      '/vmlinuz',
    ]);
    expect(tree['/EFI/BOOT/grub.cfg']).toContain('menuentry "boot_partition"');
  });

  it("fails with Ironic's message when the deploy ISO lacks efiboot.img or grub.cfg", async () => {
    const noGrub = await deployIso([{ path: 'images/efiboot.img', input: esp }]);
    await expect(createBootIso({ bootMode: 'uefi', kernel, ramdisk, deployIso: noGrub })).rejects.toThrow(
      "Creating iso image failed: Deploy iso didn't contain efiboot.img or grub.cfg",
    );
    await expect(
      createBootIso({ bootMode: 'uefi', kernel, ramdisk, deployIso: enc('not an iso') }),
    ).rejects.toThrow(/cannot read the deploy ISO/);
  });

  it('names a missing kernel or ramdisk, and every bad option at once', async () => {
    await expect(
      createBootIso({ bootMode: 'bios', kernel: '/nonexistent/vmlinuz', ramdisk, isolinuxBin, ldlinuxC32 }),
    ).rejects.toThrow(/Creating iso image failed: file vmlinuz \/nonexistent\/vmlinuz: ENOENT/);
    const error = await createBootIso({
      bootMode: 'efi' as never,
      kernel: undefined as never,
      ramdisk,
      rootUuid: 'has space',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidParameterValue);
    expect((error as InvalidParameterValue).fields.map((f) => f.field)).toEqual([
      'bootMode',
      'kernel',
      'rootUuid',
    ]);
    const uefi = await createBootIso({ bootMode: 'uefi', kernel, ramdisk }).catch((e: unknown) => e);
    expect((uefi as InvalidParameterValue).fields.map((f) => f.field)).toEqual(['deployIso']);
  });

  it('leaves no partial file when the ramdisk fails mid-way', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bootiso-'));
    const broken = Readable.from(
      (async function* () {
        yield new Uint8Array(1 << 16);
        throw new Error('connection reset by the image service');
      })(),
    );
    const image = await createBootIso({
      bootMode: 'bios',
      kernel,
      ramdisk: { size: 1 << 20, stream: broken },
      isolinuxBin,
      ldlinuxC32,
    });
    const error = await image.writeToFile(join(dir, 'boot.iso')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImageCreationFailed);
    expect((error as Error).message).toContain('connection reset by the image service');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('reads the bootloaders from the given paths', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'loaders-'));
    writeFileSync(join(dir, 'isolinux.bin'), isolinuxBin);
    writeFileSync(join(dir, 'ldlinux.c32'), ldlinuxC32);
    const image = await createBootIso({
      bootMode: 'bios',
      kernel,
      ramdisk,
      isolinuxBin: join(dir, 'isolinux.bin'),
      ldlinuxC32: join(dir, 'ldlinux.c32'),
    });
    expect((await listing(await imageToBytes(image))).tree['/isolinux/ldlinux.c32']).toBe('LDLINUX');
  });
});

describe('templates', () => {
  it('render the isolinux and grub configurations', () => {
    const values = { kernel: '/vmlinuz', ramdisk: '/initrd', kernelParams: 'nofb' };
    expect(renderIsolinuxConfig(values)).toBe(
      'default boot\n\nlabel boot\nkernel /vmlinuz\nappend initrd=/initrd text nofb --\n',
    );
    expect(renderGrubConfig({ ...values, timeoutSeconds: 3 })).toBe(
      'set default=0\nset timeout=3\nset hidden_timeout_quiet=false\n\nmenuentry "boot_partition" {\nlinux /vmlinuz nofb --\ninitrd /initrd\n}\n',
    );
  });
});

describe('createBootIso input errors', () => {
  it('names every missing input in one error', async () => {
    const error = await createBootIso({
      bootMode: 'bios',
      kernel: '/nonexistent/vmlinuz',
      ramdisk: '/nonexistent/initrd',
      isolinuxBin: '/nonexistent/isolinux.bin',
      ldlinuxC32: enc('L'),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImageCreationFailed);
    const message = (error as Error).message;
    for (const name of [
      'file vmlinuz /nonexistent/vmlinuz',
      'file initrd /nonexistent/initrd',
      'file isolinux/isolinux.bin',
    ])
      expect(message).toContain(name);
  });
});
