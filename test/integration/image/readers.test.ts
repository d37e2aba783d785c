import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  buildEspImage,
  buildFloppyImage,
  buildIsoImage,
  createBootIso,
  openIsoImage,
} from '../../../src/index.js';
import { describeWithPeers } from '../../helpers/peers.js';

const run = promisify(execFile);
const withTools = describeWithPeers('image tools', {
  commands: ['fsck.fat', 'mtype', 'mdir', 'mlabel', 'xorriso', 'osirrox', 'isoinfo', 'genisoimage'],
  files: ['/usr/lib/ISOLINUX/isolinux.bin', '/usr/lib/syslinux/modules/bios/ldlinux.c32'],
});

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'readers-'));
});
afterAll(() => {
  chmodTree(dir);
  rmSync(dir, { recursive: true, force: true });
});

/** osirrox extracts read-only files and directories; make them removable. */
function chmodTree(path: string): void {
  try {
    chmodSync(path, 0o755);
  } catch {}
  for (const name of safeList(path)) {
    const child = join(path, name);
    if (statSync(child, { throwIfNoEntry: false })?.isDirectory()) chmodTree(child);
  }
}

function safeList(path: string): string[] {
  try {
    return readdirSync(path);
  } catch {
    return [];
  }
}

/** Every regular file under `root`, relative path to contents. */
function treeOf(root: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const s = statSync(p);
      if (s.isDirectory()) walk(p);
      else out.set(relative(root, p), readFileSync(p));
    }
  };
  walk(root);
  return out;
}

async function extract(iso: string, name: string): Promise<string> {
  const target = join(dir, name);
  await run('osirrox', ['-indev', iso, '-extract', '/', target]);
  chmodTree(target);
  return target;
}

withTools('images read by independent tools (dosfstools, mtools, xorriso, isoinfo)', () => {
  it('fsck.fat finds nothing wrong with our floppy; mtools reads parameters.txt byte for byte and the label', async () => {
    const floppy = join(dir, 'floppy.img');
    const parameters = {
      'ipa-api-url': 'http://192.0.2.10:6385',
      deployment_key: 'k'.repeat(32),
      BOOTIF: '52:54:00:12:34:56',
    };
    const extra = randomBytes(20_000);
    await (
      await buildFloppyImage({
        parameters,
        files: [{ path: 'configs/A Long Name For A File.json', input: extra }],
      })
    ).writeToFile(floppy);
    const fsck = await run('fsck.fat', ['-n', '-v', floppy]);
    expect(fsck.stdout).toMatch(/floppy\.img: 4 files, \d+\/\d+ clusters/);
    expect(fsck.stdout + fsck.stderr).not.toMatch(/error|warning|mismatch|bad|free cluster summary/i);
    const mtype = await run('mtype', ['-i', floppy, '::parameters.txt'], { encoding: 'buffer' });
    expect(mtype.stdout.toString()).toBe(
      'ipa-api-url=http://192.0.2.10:6385\ndeployment_key=kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk\nBOOTIF=52:54:00:12:34:56',
    );
    const copied = await run('mtype', ['-i', floppy, '::configs/A Long Name For A File.json'], {
      encoding: 'buffer',
      maxBuffer: 1 << 20,
    });
    expect(Buffer.compare(copied.stdout, extra)).toBe(0);
    expect((await run('mlabel', ['-i', floppy, '-s', '::'])).stdout.trim()).toBe(
      'Volume label is ir-vfd-dev',
    );
    expect((await run('mdir', ['-i', floppy, '::'])).stdout).toMatch(/PARAME~1 TXT\s+\d+ .* parameters\.txt/);
  });

  it('fsck.fat accepts our ESP images, FAT12 and FAT16; mtools reads BOOTX64.EFI back', async () => {
    for (const size of [200_000, 6_000_000]) {
      const esp = join(dir, `esp-${size}.img`);
      const loader = randomBytes(size);
      await (
        await buildEspImage({ bootloader: loader, grubCfg: new TextEncoder().encode('set timeout=1\n') })
      ).writeToFile(esp);
      const fsck = await run('fsck.fat', ['-n', '-v', esp]);
      expect(fsck.stdout).toContain(size > 1_000_000 ? '16 bit entries' : '12 bit entries');
      expect(fsck.stdout + fsck.stderr).not.toMatch(/error|warning|mismatch|bad/i);
      const back = await run('mtype', ['-i', esp, '::EFI/BOOT/BOOTX64.EFI'], {
        encoding: 'buffer',
        maxBuffer: 16 << 20,
      });
      expect(Buffer.compare(back.stdout, loader)).toBe(0);
    }
  });

  it('xorriso and isoinfo see the El Torito entries, Joliet and Rock Ridge of our hybrid boot ISO; osirrox extracts the inputs', async () => {
    const esp = join(dir, 'hybrid-esp.img');
    await (await buildEspImage({ bootloader: randomBytes(70_000), grubCfg: new Uint8Array(0) })).writeToFile(
      esp,
    );
    const kernel = randomBytes(300_000);
    const ramdisk = randomBytes(1_000_000);
    const iso = join(dir, 'hybrid.iso');
    await (
      await createBootIso({ bootMode: 'hybrid', kernel, ramdisk, espImage: esp, rootUuid: 'abc' })
    ).writeToFile(iso);
    const ours = await openIsoImage(iso);
    const [bios, uefi] = ours.bootEntries;
    await ours.close();

    const report = (await run('xorriso', ['-indev', iso, '-report_el_torito', 'plain'])).stdout;
    expect(report).toMatch(
      new RegExp(`El Torito boot img :\\s+1\\s+BIOS\\s+y\\s+none\\s+0x0000\\s+0x00\\s+4\\s+${bios?.block}`),
    );
    expect(report).toMatch(
      new RegExp(
        `El Torito boot img :\\s+2\\s+UEFI\\s+y\\s+none\\s+0x0000\\s+0x00\\s+\\d+\\s+${uefi?.block}`,
      ),
    );
    expect(report).toMatch(/El Torito img path :\s+1\s+\/isolinux\/isolinux\.bin/);
    expect(report).toMatch(/El Torito img opts :\s+1\s+boot-info-table/);
    expect(report).toMatch(/El Torito img path :\s+2\s+\/boot\/grub\/efiboot\.img/);

    const info = (await run('isoinfo', ['-d', '-i', iso])).stdout;
    expect(info).toContain('Volume id: VMEDIA_BOOT_ISO');
    expect(info).toContain('Joliet with UCS level 3 found');
    expect(info).toContain('Rock Ridge signatures version 1 found');
    expect(info).toMatch(/Bootid 88 \(bootable\)/);
    const rr = (await run('isoinfo', ['-l', '-R', '-i', iso])).stdout;
    expect(rr).toMatch(/-r--r--r--\s+1\s+0\s+0\s+300000 .*\bvmlinuz\b/);
    expect(rr).toContain('isolinux.cfg');
    const joliet = (await run('isoinfo', ['-l', '-J', '-i', iso])).stdout;
    expect(joliet).toContain('efiboot.img');

    const out = await extract(iso, 'hybrid-x');
    const tree = treeOf(out);
    expect(Buffer.compare(tree.get('vmlinuz')!, kernel)).toBe(0);
    expect(Buffer.compare(tree.get('initrd')!, ramdisk)).toBe(0);
    expect(Buffer.compare(tree.get('boot/grub/efiboot.img')!, readFileSync(esp))).toBe(0);
    expect(
      Buffer.compare(
        tree.get('isolinux/ldlinux.c32')!,
        readFileSync('/usr/lib/syslinux/modules/bios/ldlinux.c32'),
      ),
    ).toBe(0);
    expect(tree.get('isolinux/isolinux.cfg')?.toString()).toContain(
      'root=UUID=abc nofb nomodeset vga=normal --',
    );
  });

  it('xorriso reads multi-extent (level 3) files we split', async () => {
    const data = randomBytes(50_000);
    const iso = join(dir, 'multi.iso');
    await (
      await buildIsoImage({ files: [{ path: 'split.bin', input: data }], maxExtentSize: 16_384 })
    ).writeToFile(iso);
    const listing = (await run('isoinfo', ['-l', '-i', iso])).stdout;
    expect(listing.match(/SPLIT\.BIN;1/g)).toHaveLength(4);
    const tree = treeOf(await extract(iso, 'multi-x'));
    expect(Buffer.compare(tree.get('split.bin')!, data)).toBe(0);
  });

  it('our reader reads ISOs made by xorriso and genisoimage: names, deep trees, symlinks, boot entries', async () => {
    const src = join(dir, 'src');
    const deep = join(src, ...'abcdefghij'.split(''));
    mkdirSync(deep, { recursive: true });
    mkdirSync(join(src, 'isolinux'));
    writeFileSync(join(src, 'isolinux/isolinux.bin'), readFileSync('/usr/lib/ISOLINUX/isolinux.bin'));
    writeFileSync(join(deep, 'deep file.txt'), 'deep');
    writeFileSync(join(src, `${'long name '.repeat(12)}.txt`), 'long');
    writeFileSync(join(src, 'empty'), '');
    writeFileSync(join(src, 'exec.sh'), '#!/bin/sh\n');
    chmodSync(join(src, 'exec.sh'), 0o755);
    symlinkSync('isolinux/isolinux.bin', join(src, 'link'));
    const boot = ['-b', 'isolinux/isolinux.bin', '-no-emul-boot', '-boot-load-size', '4', '-boot-info-table'];
    const made = {
      xorriso: [
        'xorriso',
        ['-as', 'mkisofs', '-quiet', '-R', '-J', '-V', 'XORRISO', ...boot, '-o', join(dir, 'x.iso'), src],
      ],
      genisoimage: [
        'genisoimage',
        ['-quiet', '-R', '-J', '-V', 'GENISO', ...boot, '-o', join(dir, 'g.iso'), src],
      ],
    } as const;
    for (const [tool, [cmd, args]] of Object.entries(made)) {
      await run(cmd, [...args]);
      const iso = await openIsoImage(args.at(-2)!);
      try {
        expect(iso.namespace).toBe('rock-ridge');
        const entries = await iso.walk();
        const byPath = new Map(entries.map((e) => [e.path, e]));
        expect(new TextDecoder().decode(await iso.readFile('/a/b/c/d/e/f/g/h/i/j/deep file.txt')), tool).toBe(
          'deep',
        );
        // genisoimage relocates deep directories to /rr_moved; like a Linux mount, we show it empty.
        if (byPath.has('/rr_moved')) expect(await iso.readdir('/rr_moved'), tool).toEqual([]);
        expect(tool === 'genisoimage' ? byPath.has('/rr_moved') : true).toBe(true);
        expect(new TextDecoder().decode(await iso.readFile(`/${'long name '.repeat(12)}.txt`))).toBe('long');
        expect(byPath.get('/empty')?.size).toBe(0);
        expect(byPath.get('/exec.sh')?.mode && byPath.get('/exec.sh')!.mode! & 0o111).toBeTruthy();
        expect(byPath.get('/link')?.type).toBe('symlink');
        expect(byPath.get('/link')?.symlinkTarget).toBe('isolinux/isolinux.bin');
        expect(iso.bootEntries.map((e) => [e.platform, e.sectorCount, e.path])).toEqual([
          ['bios', 4, '/isolinux/isolinux.bin'],
        ]);
        const joliet = await openIsoImage(args.at(-2)!, { namespace: 'joliet' });
        expect((await joliet.stat('/exec.sh'))?.size).toBe(10);
        await joliet.close();
      } finally {
        await iso.close();
      }
    }
  });

  it('random trees written by us come back identical through osirrox (property)', async () => {
    const name = fc.stringMatching(/^[A-Za-z0-9 ._+,-]{1,60}$/).filter((n) => n !== '.' && n !== '..');
    const entry = fc.record({
      dirs: fc.array(name, { maxLength: 9 }),
      file: name,
      size: fc.integer({ min: 0, max: 70_000 }),
    });
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(entry, {
          minLength: 1,
          maxLength: 10,
          selector: (e) => [...e.dirs, e.file].join('/'),
        }),
        async (entries) => {
          const paths = entries.map((e) => [...e.dirs, e.file].join('/'));
          const files = entries
            .filter((_, i) => !paths.some((p) => p.startsWith(`${paths[i]}/`)))
            .map((e) => ({ path: [...e.dirs, e.file].join('/'), input: randomBytes(e.size) }));
          const iso = join(dir, `prop-${n}.iso`);
          await (await buildIsoImage({ files, maxExtentSize: 32_768 })).writeToFile(iso);
          const tree = treeOf(await extract(iso, `prop-${n++}`));
          expect(new Map([...tree].map(([p, b]) => [p, b.toString('hex')]))).toEqual(
            new Map(files.map((f) => [f.path, Buffer.from(f.input).toString('hex')])),
          );
        },
      ),
      { numRuns: 8 },
    );
  });
});
