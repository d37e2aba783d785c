import type { Command } from 'commander';
import {
  type BootIsoMode,
  buildEspImage,
  buildFloppyImage,
  createBootIso,
  type ImageFile,
  type ImageStream,
  InvalidParameterValue,
  type IsoEntry,
  openIsoImage,
} from '../../index.js';
import { withExamples } from '../help.js';
import { interrupted } from '../interrupt.js';
import { withJsonOption } from '../node-task.js';
import { printResult } from '../output.js';

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** Splits repeated `KEY=VALUE` flags; every malformed one is reported together. */
function pairs(values: readonly string[], flag: string): Array<[string, string]> {
  const bad = values.filter((v) => v.indexOf('=') <= 0);
  if (bad.length > 0)
    throw new InvalidParameterValue(
      `${flag} takes KEY=VALUE; got ${bad.map((b) => `'${b.split('=')[0]}…'`).join(', ')}`,
      {
        fields: bad.map(() => ({ field: flag, problem: 'must be KEY=VALUE' })),
      },
    );
  return values.map((v) => [v.slice(0, v.indexOf('=')), v.slice(v.indexOf('=') + 1)]);
}

function integer(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n))
    throw new InvalidParameterValue(`${flag} must be an integer`, {
      fields: [{ field: flag, problem: 'must be an integer' }],
    });
  return n;
}

/** Adds `image <name>`: flags, an example, and a builder whose image is written to `--output`. */
function addBuild(
  image: Command,
  name: string,
  configure: (cmd: Command) => Command,
  example: string,
  build: (o: Record<string, unknown>) => Promise<ImageStream>,
): void {
  const cmd = configure(image.command(name)).requiredOption(
    '-o, --output <file>',
    'where to write the image',
  );
  withExamples(withJsonOption(cmd), example).action(async (o: Record<string, unknown>) => {
    const built = await build(o);
    const output = String(o.output);
    await built.writeToFile(output, { signal: interrupted });
    printResult({ output, bytes: built.size }, o.json === true);
  });
}

function entryLine(e: IsoEntry): string {
  const kind = e.type === 'directory' ? 'd' : e.type === 'symlink' ? 'l' : '-';
  const mode = e.mode === undefined ? '   ' : (e.mode & 0o7777).toString(8).padStart(4, '0');
  const target = e.symlinkTarget === undefined ? '' : ` -> ${e.symlinkTarget}`;
  return `${kind} ${mode} ${String(e.size).padStart(12)}  ${e.path}${target}`;
}

/** `ironic-ilo image …`: build virtual-floppy, ESP and boot ISO images; list an ISO. */
export function registerImage(program: Command): void {
  const image = program
    .command('image')
    .description('build virtual media images (floppy, ESP, boot ISO) and inspect ISOs');
  withExamples(
    image,
    'ironic-ilo image floppy --param ipa-api-url=http://10.0.0.1:6385 --param BOOTIF=52:54:00:12:34:56 -o floppy.img',
    'ironic-ilo image boot-iso --kernel vmlinuz --ramdisk initrd --boot-mode uefi --deploy-iso deploy.iso -o boot.iso',
    'ironic-ilo image ls boot.iso',
  );

  addBuild(
    image,
    'floppy',
    (cmd) =>
      cmd
        .description(
          "build the virtual floppy: FAT12 with parameters.txt (Ironic's format), label ir-vfd-dev",
        )
        .option('--param <KEY=VALUE>', 'a parameters.txt line (repeatable)', collect, [])
        .option('--file <DEST=SOURCE>', 'also copy SOURCE to DEST in the image (repeatable)', collect, [])
        .option('--label <label>', 'volume label', 'ir-vfd-dev')
        .option('--size-kib <n>', 'image size in KiB', '100'),
    'ironic-ilo image floppy --param ipa-api-url=http://10.0.0.1:6385 --param BOOTIF=52:54:00:12:34:56 -o floppy.img',
    (o) =>
      buildFloppyImage({
        parameters: Object.fromEntries(pairs(o.param as string[], '--param')),
        files: pairs(o.file as string[], '--file').map(([path, input]): ImageFile => ({ path, input })),
        label: o.label as string,
        sizeKiB: integer(o.sizeKib as string, '--size-kib'),
      }),
  );

  addBuild(
    image,
    'esp',
    (cmd) =>
      cmd
        .description('build an EFI system partition image with EFI/BOOT/BOOTX64.EFI and EFI/BOOT/grub.cfg')
        .requiredOption('--bootloader <file>', 'the UEFI loader (BOOTX64.EFI)')
        .requiredOption('--grub-cfg <file>', 'the grub configuration')
        .option('--label <label>', 'volume label', 'ESP'),
    'ironic-ilo image esp --bootloader /usr/lib/grub/x86_64-efi/monolithic/grubx64.efi --grub-cfg grub.cfg -o efiboot.img',
    (o) =>
      buildEspImage({
        bootloader: o.bootloader as string,
        grubCfg: o.grubCfg as string,
        label: o.label as string,
      }),
  );

  addBuild(
    image,
    'boot-iso',
    (cmd) =>
      cmd
        .description('build an instance boot ISO as Ironic did (/vmlinuz, /initrd, isolinux, ESP + grub.cfg)')
        .requiredOption('--kernel <file>', 'the kernel')
        .requiredOption('--ramdisk <file>', 'the ramdisk')
        .requiredOption('--boot-mode <mode>', 'bios, uefi or hybrid')
        .option('--root-uuid <uuid>', 'adds root=UUID=<uuid> to the kernel command line')
        .option(
          '--kernel-params <params>',
          'the rest of the kernel command line',
          'nofb nomodeset vga=normal',
        )
        .option(
          '--deploy-iso <file>',
          'for uefi/hybrid: take efiboot.img and the grub.cfg path from this ISO',
        )
        .option('--esp-image <file>', 'for uefi/hybrid: this ESP image instead of a deploy ISO')
        .option('--isolinux-bin <file>', 'isolinux.bin', '/usr/lib/ISOLINUX/isolinux.bin')
        .option('--ldlinux-c32 <file>', 'ldlinux.c32', '/usr/lib/syslinux/modules/bios/ldlinux.c32')
        .option('--label <label>', 'volume label', 'VMEDIA_BOOT_ISO'),
    'ironic-ilo image boot-iso --kernel vmlinuz --ramdisk initrd --boot-mode hybrid --deploy-iso deploy.iso --root-uuid 2f3ad2f4-… -o boot.iso',
    (o) =>
      createBootIso({
        bootMode: o.bootMode as BootIsoMode,
        kernel: o.kernel as string,
        ramdisk: o.ramdisk as string,
        rootUuid: o.rootUuid as string | undefined,
        kernelParams: o.kernelParams as string,
        deployIso: o.deployIso as string | undefined,
        espImage: o.espImage as string | undefined,
        isolinuxBin: o.isolinuxBin as string,
        ldlinuxC32: o.ldlinuxC32 as string,
        volumeLabel: o.label as string,
      }),
  );

  withExamples(
    withJsonOption(
      image
        .command('ls')
        .description('list an ISO: its tree (Rock Ridge, Joliet or ISO 9660 names) and El Torito entries')
        .argument('<iso>', 'the ISO image'),
    ),
    'ironic-ilo image ls deploy.iso --json',
  ).action(async (path: string, o: { json: boolean }) => {
    const iso = await openIsoImage(path, { signal: interrupted });
    try {
      const entries = await iso.walk('/', { signal: interrupted });
      if (o.json) {
        printResult(
          { volumeLabel: iso.volumeLabel, namespace: iso.namespace, entries, bootEntries: iso.bootEntries },
          true,
        );
        return;
      }
      const out = [`volume ${iso.volumeLabel} (${iso.namespace} names)`, ...entries.map(entryLine)];
      out.push(iso.bootEntries.length === 0 ? 'El Torito: none' : 'El Torito:');
      for (const [i, b] of iso.bootEntries.entries())
        out.push(
          `  ${i + 1} ${b.platform.padEnd(5)} ${b.bootable ? 'bootable' : 'not-bootable'} emul=${b.emulation} load=${b.sectorCount} block=${b.block} ${b.path ?? '(no file)'}`,
        );
      process.stdout.write(`${out.join('\n')}\n`);
    } finally {
      await iso.close();
    }
  });
}
