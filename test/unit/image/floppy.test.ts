import { describe, expect, it } from 'vitest';
import {
  buildEspImage,
  buildFloppyImage,
  formatParameters,
  ImageCreationFailed,
  ImageReadFailed,
  InvalidParameterValue,
  imageToBytes,
  isIronicIloError,
  openFatImage,
} from '../../../src/index.js';

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const enc = (s: string) => new TextEncoder().encode(s);

describe('buildFloppyImage', () => {
  it("writes Ironic's parameters.txt on a 100 KiB FAT12 volume labelled ir-vfd-dev", async () => {
    const floppy = await buildFloppyImage({
      parameters: { 'ipa-api-url': 'http://10.0.0.1:6385', 'coreos.configdrive': 0, skipped: undefined },
    });
    expect(floppy.size).toBe(100 * 1024);
    expect(floppy.imageType).toBe('vfat');
    const bytes = await imageToBytes(floppy);
    expect(bytes.length).toBe(floppy.size);
    const fat = await openFatImage(bytes);
    expect(fat.label).toBe('ir-vfd-dev');
    expect(fat.fatType).toBe(12);
    expect(text(await fat.readFile('/parameters.txt'))).toBe(
      'ipa-api-url=http://10.0.0.1:6385\ncoreos.configdrive=0',
    );
    expect((await fat.stat('/parameters.txt'))?.shortName).toBe('PARAME~1.TXT');
    await fat.close();
  });

  it('places extra files in sub-folders with long names, and reads them back', async () => {
    const long = 'a rather long file name, with spaces.conf';
    const floppy = await buildFloppyImage({
      parameters: { a: 'b' },
      files: [
        { path: `etc/ironic/${long}`, input: enc('x=1\n') },
        { path: 'README', input: new Uint8Array(3000).fill(0x41) },
        { path: 'etc/empty', input: new Uint8Array(0) },
      ],
      label: 'CONFIG',
      sizeKiB: 1440,
    });
    const fat = await openFatImage(await imageToBytes(floppy));
    expect(fat.label).toBe('CONFIG');
    const paths = (await fat.walk()).map((e) => `${e.type[0]} ${e.path} ${e.size}`);
    expect(paths).toEqual(
      expect.arrayContaining([
        'd /etc 0',
        'd /etc/ironic 0',
        `f /etc/ironic/${long} 4`,
        'f /README 3000',
        'f /etc/empty 0',
        'f /parameters.txt 3',
      ]),
    );
    expect(text(await fat.readFile(`etc/ironic/${long}`))).toBe('x=1\n');
    expect(await fat.readFile('/readme')).toEqual(new Uint8Array(3000).fill(0x41));
  });

  it('gives the same bytes for the same inputs', async () => {
    const options = { parameters: { deployment_id: '1be26c0b', disk: 'sda' } };
    const [a, b] = await Promise.all([buildFloppyImage(options), buildFloppyImage(options)]);
    expect(await imageToBytes(a)).toEqual(await imageToBytes(b));
  });

  it('refuses parameters too large for the floppy, without their values in the message', async () => {
    const canary = `CANARY-floppy-${'s'.repeat(200_000)}`;
    const error = await buildFloppyImage({ parameters: { deployment_key: canary } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImageCreationFailed);
    expect((error as Error).message).toMatch(/Creating vfat image failed: the contents need \d+ KiB/);
    expect((error as Error).message).not.toContain('CANARY-floppy');
  });

  it('names every bad option at once, never a value', async () => {
    const error = await buildFloppyImage({
      parameters: { 'bad=key': 'CANARY-value-1', 'two\nlines': 'v', token: 'CANARY-value-2\nnext' },
      label: 'far too long a label',
      sizeKiB: 1.5,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidParameterValue);
    const fields = (error as InvalidParameterValue).fields.map((f) => f.field);
    expect(fields).toEqual([
      'label',
      'sizeKiB',
      'parameters.bad=key',
      'parameters.two\nlines',
      'parameters.token',
    ]);
    expect((error as Error).message).not.toContain('CANARY-value');
  });

  it('refuses two names that FAT cannot tell apart, and names FAT cannot hold', async () => {
    const error = await buildFloppyImage({
      parameters: {},
      files: [
        { path: 'Readme', input: enc('1') },
        { path: 'README', input: enc('2') },
        { path: 'what?.txt', input: enc('3') },
      ],
    }).catch((e: unknown) => e);
    expect(isIronicIloError(error, 'IMAGE_CREATION_FAILED')).toBe(true);
    expect((error as Error).message).toContain("'README' is given twice");
    expect((error as Error).message).toContain("name 'what?.txt'");
  });

  it('stops before doing anything when the signal is already aborted', async () => {
    const reason = new Error('stop');
    await expect(buildFloppyImage({ parameters: {} }, { signal: AbortSignal.abort(reason) })).rejects.toBe(
      reason,
    );
  });
});

describe('formatParameters', () => {
  it('joins key=value lines with \\n and no trailing newline', () => {
    expect(formatParameters({ a: 'b', c: 1, d: undefined })).toBe('a=b\nc=1');
  });
});

describe('buildEspImage', () => {
  it('holds EFI/BOOT/BOOTX64.EFI and grub.cfg, on FAT12 when small and FAT16 when not', async () => {
    const small = await openFatImage(
      await imageToBytes(
        await buildEspImage({ bootloader: new Uint8Array(100_000).fill(1), grubCfg: enc('set timeout=1\n') }),
      ),
    );
    expect(small.fatType).toBe(12);
    expect(small.label).toBe('ESP');
    expect((await small.readFile('/EFI/BOOT/BOOTX64.EFI')).length).toBe(100_000);
    expect(text(await small.readFile('/EFI/BOOT/grub.cfg'))).toBe('set timeout=1\n');

    const bootloader = new Uint8Array(5_000_000).map((_, i) => i % 251);
    const large = await buildEspImage({ bootloader, grubCfg: enc('x'), freeKiB: 512 });
    const fat = await openFatImage(await imageToBytes(large));
    expect(fat.fatType).toBe(16);
    expect(Buffer.compare(await fat.readFile('/EFI/BOOT/BOOTX64.EFI'), bootloader)).toBe(0);
    expect(large.size).toBeLessThan(5_000_000 + 512 * 1024 + 256 * 1024);
  });

  it('reports a missing bootloader file as ImageCreationFailed naming it', async () => {
    await expect(buildEspImage({ bootloader: '/nonexistent/BOOTX64.EFI', grubCfg: enc('') })).rejects.toThrow(
      /Creating vfat image failed: file EFI\/BOOT\/BOOTX64.EFI \/nonexistent\/BOOTX64.EFI: ENOENT/,
    );
  });
});

describe('openFatImage', () => {
  it('refuses what is not a FAT image', async () => {
    await expect(openFatImage(new Uint8Array(4096))).rejects.toBeInstanceOf(ImageReadFailed);
  });
});
