/**
 * Builds an instance boot ISO as Ironic's iscsi_ilo netboot did (kernel, ramdisk,
 * `root=UUID=…`), then opens it again with the library's ISO reader to check it: no mount, no
 * root, no external tool.
 *
 *   npx tsx examples/build-boot-iso.ts --kernel vmlinuz --ramdisk initrd --boot-mode hybrid -o boot.iso
 *   npx tsx examples/build-boot-iso.ts --deploy-iso deploy.iso --boot-mode uefi …   # ESP from the deploy ISO
 *
 * Without --kernel and --ramdisk it makes small stand-ins, and without --deploy-iso an EFI
 * system partition from a stand-in loader: the ISO's layout is real, its payload is not.
 * `bios` and `hybrid` need isolinux (Debian: isolinux, syslinux-common).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type BootIsoMode, buildEspImage, createBootIso, openIsoImage } from 'ironic-ilo';

const { values } = parseArgs({
  options: {
    kernel: { type: 'string' },
    ramdisk: { type: 'string' },
    'deploy-iso': { type: 'string' },
    'boot-mode': { type: 'string', default: 'uefi' },
    'root-uuid': { type: 'string', default: 'a0d4a4f0-6b1e-4c6e-9a3c-2f1b9e1d7c55' },
    output: { type: 'string', short: 'o' },
  },
});
const bootMode = values['boot-mode'] as BootIsoMode;
const work = mkdtempSync(join(tmpdir(), 'boot-iso-example-'));

try {
  // Stand-ins where no real file was given: the builder streams whatever bytes it is handed.
  const standIn = (name: string, size: number) => {
    const path = join(work, name);
    writeFileSync(path, Buffer.alloc(size, name));
    return path;
  };
  const kernel = values.kernel ?? standIn('vmlinuz', 3 * 1024 * 1024);
  const ramdisk = values.ramdisk ?? standIn('initrd', 5 * 1024 * 1024);
  // UEFI needs an EFI system partition: the deploy ISO's (as Ironic did) or one built here.
  const esp = async () => {
    const image = await buildEspImage({
      bootloader: standIn('BOOTX64.EFI', 64 * 1024),
      grubCfg: new TextEncoder().encode('# replaced by the boot ISO grub.cfg\n'),
    });
    return { size: image.size, stream: (signal?: AbortSignal) => image.chunks({ signal }) };
  };
  const uefi =
    bootMode === 'bios'
      ? {}
      : values['deploy-iso'] !== undefined
        ? { deployIso: values['deploy-iso'] }
        : { espImage: await esp() };

  const iso = await createBootIso({ bootMode, kernel, ramdisk, rootUuid: values['root-uuid'], ...uefi });
  const output = values.output ?? join(work, 'boot.iso');
  // Written atomically: an interrupted write leaves no partial ISO behind.
  await iso.writeToFile(output, { signal: AbortSignal.timeout(120_000) });
  console.log(`wrote ${output}: ${iso.size} bytes, ${bootMode}`);

  // Check what was written with the ISO reader, as a conductor would before publishing it.
  const image = await openIsoImage(output);
  try {
    const files = new Map((await image.walk()).map((e) => [e.path, e]));
    const missing = ['/vmlinuz', '/initrd'].filter((p) => !files.has(p));
    // Every boot loader configuration (isolinux for BIOS, grub for UEFI) must boot the instance's root.
    const configs = [...files.keys()].filter((p) => /\/(grub|isolinux)\.cfg$/.test(p));
    const unrooted: string[] = [];
    for (const path of configs) {
      const text = new TextDecoder().decode(await image.readFile(path));
      console.log(
        `${path}: ${text.includes(`root=UUID=${values['root-uuid']}`) ? 'boots' : 'does NOT boot'} the root UUID`,
      );
      if (!text.includes(`root=UUID=${values['root-uuid']}`)) unrooted.push(path);
    }
    const entries = image.bootEntries.map((b) => `${b.platform}${b.path ? ` ${b.path}` : ''}`);
    console.log(`El Torito: ${entries.join(', ')}`);
    const expected = bootMode === 'hybrid' ? 2 : 1;
    if (
      missing.length > 0 ||
      unrooted.length > 0 ||
      configs.length < expected ||
      image.bootEntries.length !== expected
    ) {
      console.error(
        `the ISO is not as expected (missing: ${missing.join(', ') || 'none'}; unrooted: ${unrooted.join(', ') || 'none'})`,
      );
      process.exitCode = 1;
    }
  } finally {
    await image.close();
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
