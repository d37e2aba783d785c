import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../../src/cli/program.js';
import { openFatImage, openIsoImage } from '../../../src/index.js';

const argv = (...args: string[]) => ['node', 'ironic-ilo', 'image', ...args];

function capture() {
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  return {
    out: () => out.mock.calls.map((c) => String(c[0])).join(''),
    err: () => err.mock.calls.map((c) => String(c[0])).join(''),
  };
}

describe('ironic-ilo image', () => {
  afterEach(() => vi.restoreAllMocks());
  const dir = mkdtempSync(join(tmpdir(), 'cli-image-'));
  const file = (name: string, content: string | Uint8Array) => {
    writeFileSync(join(dir, name), content);
    return join(dir, name);
  };

  it('floppy writes parameters.txt from --param flags and extra --file entries', async () => {
    const io = capture();
    const output = join(dir, 'floppy.img');
    const code = await runCli(
      argv(
        'floppy',
        '--param',
        'ipa-api-url=http://h:6385',
        '--param',
        'a=b=c',
        '--file',
        `extra/x.txt=${file('x', 'X')}`,
        '-o',
        output,
        '--json',
      ),
    );
    expect(code).toBe(0);
    expect(JSON.parse(io.out())).toEqual({ output, bytes: 102400 });
    const fat = await openFatImage(output);
    expect(new TextDecoder().decode(await fat.readFile('parameters.txt'))).toBe(
      'ipa-api-url=http://h:6385\na=b=c',
    );
    expect(new TextDecoder().decode(await fat.readFile('extra/x.txt'))).toBe('X');
    await fat.close();
  });

  it('esp, boot-iso and ls work together', async () => {
    const io = capture();
    const esp = join(dir, 'esp.img');
    expect(
      await runCli(
        argv(
          'esp',
          '--bootloader',
          file('BOOTX64.EFI', 'EFI'),
          '--grub-cfg',
          file('g.cfg', 'cfg'),
          '-o',
          esp,
        ),
      ),
    ).toBe(0);
    const iso = join(dir, 'boot.iso');
    const code = await runCli(
      argv(
        'boot-iso',
        '--kernel',
        file('vmlinuz', 'K'),
        '--ramdisk',
        file('initrd', 'R'),
        '--boot-mode',
        'hybrid',
        '--root-uuid',
        'u-1',
        '--esp-image',
        esp,
        '--isolinux-bin',
        file('isolinux.bin', new Uint8Array(2048).fill(1)),
        '--ldlinux-c32',
        file('ldlinux.c32', 'L'),
        '-o',
        iso,
      ),
    );
    expect(code, io.err()).toBe(0);
    const opened = await openIsoImage(iso);
    expect(new TextDecoder().decode(await opened.readFile('/isolinux/isolinux.cfg'))).toContain(
      'root=UUID=u-1 nofb',
    );
    await opened.close();
    expect(await runCli(argv('ls', iso))).toBe(0);
    const listing = io.out();
    expect(listing).toContain('volume VMEDIA_BOOT_ISO (rock-ridge names)');
    expect(listing).toMatch(/- 0444 +1 {2}\/vmlinuz/);
    expect(listing).toMatch(/1 bios +bootable emul=none load=4 block=\d+ \/isolinux\/isolinux\.bin/);
    expect(listing).toMatch(/2 uefi +bootable emul=none load=\d+ block=\d+ \/boot\/grub\/efiboot\.img/);
  });

  it('reports bad input on one line with exit 2 or 1, and leaves no output file', async () => {
    const io = capture();
    const out = mkdtempSync(join(tmpdir(), 'cli-fail-'));
    expect(await runCli(argv('floppy', '--param', 'novalue', '-o', join(out, 'f.img')))).toBe(2);
    expect(await runCli(argv('floppy', '--size-kib', 'ten', '-o', join(out, 'f.img')))).toBe(2);
    const code = await runCli(
      argv(
        'boot-iso',
        '--kernel',
        '/nonexistent/vmlinuz',
        '--ramdisk',
        file('r2', 'R'),
        '--boot-mode',
        'bios',
        '-o',
        join(out, 'b.iso'),
      ),
    );
    expect(code).toBe(1);
    const lines = io.err().trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toMatch(
      /^ImageCreationFailed \[IMAGE_CREATION_FAILED\]: Creating iso image failed: file vmlinuz \/nonexistent\/vmlinuz/,
    );
    expect(readdirSync(out)).toEqual([]);
    expect(await runCli(argv('ls', file('not.iso', 'x')))).toBe(1);
    expect(readFileSync(join(dir, 'not.iso'), 'utf8')).toBe('x');
  });
});
