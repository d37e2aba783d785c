import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { describeWithPeers } from './helpers/peers.js';

/**
 * The runnable examples of examples/, run as a reader would run them (`npx tsx examples/…`).
 * examples/testing-your-conductor/*.test.ts is a vitest suite of its own, in `npm test`.
 */
const ROOT = resolve(__dirname, '..');
const MEDIA = join(ROOT, '.peers/image');
const exec = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'examples-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs an example; resolves to its stdout lines (rejects with its output when it exits non-zero). */
async function example(file: string, ...args: string[]): Promise<string[]> {
  const { stdout } = await exec(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'examples', file), ...args],
    {
      cwd: ROOT,
      timeout: 120_000,
    },
  );
  return stdout.trimEnd().split('\n');
}

describe('examples/', () => {
  it('fleet-power-sweep.ts sweeps 40 simulated iLOs, 8 of them off', async () => {
    const lines = await example('fleet-power-sweep.ts');
    expect(lines).toHaveLength(41);
    expect(lines.at(-1)).toBe('40 iLOs: 32 on, 8 off, 0 failed');
    expect(lines[0]).toMatch(/^127\.0\.0\.1:\d+ +OFF$/);
  });

  it('build-boot-iso.ts builds a UEFI boot ISO and checks it with the ISO reader', async () => {
    const output = join(dir, 'uefi.iso');
    const lines = await example('build-boot-iso.ts', '--boot-mode', 'uefi', '-o', output);
    expect(lines).toEqual([
      expect.stringMatching(new RegExp(`^wrote ${output}: \\d+ bytes, uefi$`)),
      '/EFI/BOOT/grub.cfg: boots the root UUID',
      'El Torito: uefi /boot/grub/efiboot.img',
    ]);
    expect(existsSync(output)).toBe(true);
  });
});

const withIsolinux = describeWithPeers('image test media', {
  files: [
    '/usr/lib/ISOLINUX/isolinux.bin',
    '/usr/lib/syslinux/modules/bios/ldlinux.c32',
    join(MEDIA, 'vmlinuz'),
    join(MEDIA, 'initrd.img'),
    join(MEDIA, 'deploy.iso'),
  ],
});

withIsolinux('examples/ with isolinux and a real deploy ISO', () => {
  it('build-boot-iso.ts builds a hybrid boot ISO from a real kernel, ramdisk and deploy ISO', async () => {
    const lines = await example(
      'build-boot-iso.ts',
      '--boot-mode',
      'hybrid',
      '--kernel',
      join(MEDIA, 'vmlinuz'),
      '--ramdisk',
      join(MEDIA, 'initrd.img'),
      '--deploy-iso',
      join(MEDIA, 'deploy.iso'),
      '-o',
      join(dir, 'hybrid.iso'),
    );
    expect(lines.slice(1)).toEqual([
      '/isolinux/isolinux.cfg: boots the root UUID',
      '/EFI/BOOT/grub.cfg: boots the root UUID',
      'El Torito: bios /isolinux/isolinux.bin, uefi /images/efiboot.img',
    ]);
  });
});
