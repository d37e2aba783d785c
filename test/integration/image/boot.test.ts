import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type BootIsoOptions, buildEspImage, buildFloppyImage, createBootIso } from '../../../src/index.js';
import { describeWithPeers } from '../../helpers/peers.js';

const run = promisify(execFile);
const MEDIA = resolve(__dirname, '../../../.peers/image');
const OVMF_CODE = '/usr/share/OVMF/OVMF_CODE_4M.fd';
const OVMF_VARS = '/usr/share/OVMF/OVMF_VARS_4M.fd';
const withQemu = describeWithPeers('qemu boot media', {
  commands: ['qemu-system-x86_64'],
  files: [
    OVMF_CODE,
    OVMF_VARS,
    '/usr/lib/ISOLINUX/isolinux.bin',
    '/usr/lib/syslinux/modules/bios/ldlinux.c32',
    join(MEDIA, 'vmlinuz'),
    join(MEDIA, 'initrd.img'),
    join(MEDIA, 'BOOTX64.EFI'),
    join(MEDIA, 'deploy.iso'),
  ],
});

/** Firmware, and how the virtual floppy is attached (iLO Gen9+ shows it as a USB disk). */
type Firmware = 'seabios' | 'ovmf';
type Floppy = 'fd0' | 'usb';
const ROOT_UUID = '1be26c0b-03f2-4d2e-ae87-c02d7f33c123';
/** TCG boots take 6–30 s here (80 s on a loaded machine); the bound only stops a hung guest. */
const BOOT_BOUND_MS = 300_000;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'boot-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function boot(
  name: string,
  iso: string,
  floppy: string,
  firmware: Firmware,
  attach: Floppy,
): Promise<string> {
  const serial = join(dir, `${name}.serial`);
  const args = [
    '-machine',
    `${firmware === 'ovmf' ? 'q35' : 'pc'},accel=tcg`,
    '-m',
    '512',
    '-nographic',
    '-no-reboot',
    '-nic',
    'none',
  ];
  args.push('-monitor', 'none', '-serial', `file:${serial}`, '-cdrom', iso, '-boot', 'order=d');
  if (firmware === 'ovmf') {
    const vars = join(dir, `${name}.vars.fd`);
    copyFileSync(OVMF_VARS, vars);
    args.push(
      '-drive',
      `if=pflash,format=raw,readonly=on,file=${OVMF_CODE}`,
      '-drive',
      `if=pflash,format=raw,file=${vars}`,
    );
  }
  if (attach === 'fd0') args.push('-drive', `if=floppy,format=raw,file=${floppy}`);
  else
    args.push(
      '-drive',
      `if=none,id=vfd,format=raw,file=${floppy}`,
      '-device',
      'qemu-xhci',
      '-device',
      'usb-storage,drive=vfd',
    );
  await run('qemu-system-x86_64', args, { timeout: BOOT_BOUND_MS, killSignal: 'SIGKILL' }).catch(
    (error: unknown) => {
      throw new Error(`QEMU (${name}) failed: ${String(error)}\n${safeRead(serial).slice(-3000)}`);
    },
  );
  return safeRead(serial).replace(/\r/g, '');
}

function safeRead(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function parametersOf(serial: string): string | undefined {
  return /IRONIC-ILO-TEST parameters\.txt begin\n([\s\S]*?)\nIRONIC-ILO-TEST parameters\.txt end/.exec(
    serial,
  )?.[1];
}

withQemu('boot ISOs boot for real under QEMU (TCG)', () => {
  const parameters = {
    'ipa-api-url': 'http://192.0.2.10:6385',
    'ipa-driver-name': 'agent_ilo',
    'coreos.configdrive': 0,
    BOOTIF: '52:54:00:12:34:56',
  };
  const expected =
    'ipa-api-url=http://192.0.2.10:6385\nipa-driver-name=agent_ilo\ncoreos.configdrive=0\nBOOTIF=52:54:00:12:34:56';
  const base: Omit<BootIsoOptions, 'bootMode'> = {
    kernel: join(MEDIA, 'vmlinuz'),
    ramdisk: join(MEDIA, 'initrd.img'),
    rootUuid: ROOT_UUID,
    kernelParams: 'nofb nomodeset vga=normal console=ttyS0 panic=-1',
  };

  async function media(name: string, options: BootIsoOptions): Promise<{ iso: string; floppy: string }> {
    const iso = join(dir, `${name}.iso`);
    const floppy = join(dir, `${name}.img`);
    await (await createBootIso(options)).writeToFile(iso);
    await (await buildFloppyImage({ parameters })).writeToFile(floppy);
    return { iso, floppy };
  }

  function expectBooted(serial: string, attach: Floppy): void {
    expect(serial).toContain('IRONIC-ILO-TEST-MARKER boot complete');
    const cmdline = /IRONIC-ILO-TEST cmdline: (.*)/.exec(serial)?.[1] ?? '';
    expect(cmdline).toContain(`root=UUID=${ROOT_UUID} nofb nomodeset vga=normal console=ttyS0 panic=-1 --`);
    expect(serial).toMatch(attach === 'fd0' ? /floppy device: \/dev\/fd0/ : /floppy device: \/dev\/sd[a-z]/);
    expect(parametersOf(serial)).toBe(expected);
  }

  it('BIOS ISO under SeaBIOS, floppy as /dev/fd0', { timeout: BOOT_BOUND_MS + 30_000 }, async () => {
    const { iso, floppy } = await media('bios', { ...base, bootMode: 'bios' });
    const serial = await boot('bios', iso, floppy, 'seabios', 'fd0');
    expectBooted(serial, 'fd0');
    expect(serial).toContain('initrd=/initrd text root=UUID=');
  });

  it("UEFI ISO from the deploy ISO's efiboot.img and grub.cfg under OVMF, floppy as a USB disk", {
    timeout: BOOT_BOUND_MS + 30_000,
  }, async () => {
    const { iso, floppy } = await media('uefi', {
      ...base,
      bootMode: 'uefi',
      deployIso: join(MEDIA, 'deploy.iso'),
    });
    const serial = await boot('uefi', iso, floppy, 'ovmf', 'usb');
    expectBooted(serial, 'usb');
    // grub, not isolinux, started this kernel: isolinux adds initrd= and text.
    expect(serial).not.toContain('initrd=/initrd text');
  });

  it('hybrid ISO (our ESP) under SeaBIOS with the floppy on USB, and under OVMF with it as /dev/fd0', {
    timeout: 2 * BOOT_BOUND_MS + 30_000,
  }, async () => {
    const esp = join(dir, 'esp.img');
    await (
      await buildEspImage({ bootloader: join(MEDIA, 'BOOTX64.EFI'), grubCfg: new Uint8Array(0) })
    ).writeToFile(esp);
    const { iso, floppy } = await media('hybrid', { ...base, bootMode: 'hybrid', espImage: esp });
    const bios = await boot('hybrid-bios', iso, floppy, 'seabios', 'usb');
    expectBooted(bios, 'usb');
    expect(bios).toContain('initrd=/initrd text');
    const uefi = await boot('hybrid-uefi', iso, floppy, 'ovmf', 'fd0');
    expectBooted(uefi, 'fd0');
    expect(uefi).not.toContain('initrd=/initrd text');
  });
});
