/**
 * The demo's images, made on the fly in a few milliseconds and a few MiB: nothing to download,
 * no mkfs, no root. Only what the flows read is real; the rest is filler.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildEspImage, buildIsoImage, imageToBytes, type OperationOptions } from '../../index.js';

/** One demo image, as a conductor would reference it. */
export interface DemoImage {
  /** Path relative to the images directory (and to the demo web server's `/images/`). */
  name: string;
  /** Bytes. */
  size: number;
  /** `sha256:<hex>`, the form `image_checksum` accepts. */
  checksum: string;
}

/** What the demo deploys and boots. */
export interface DemoImages {
  /** A partition image: an ext4 superblock with {@link DemoImages.rootUuid}, then zeros. */
  rootfs: DemoImage;
  /** The UUID of the root file system: what `root=UUID=` must name after an iscsi_ilo deploy. */
  rootUuid: string;
  /** The instance kernel and ramdisk (filler bytes: the simulated server never runs them). */
  kernel: DemoImage;
  ramdisk: DemoImage;
  /** The deploy ISO: ISO 9660 with a UEFI El Torito entry and the grub.cfg a boot ISO is built from. */
  deployIso: DemoImage;
}

/** Called as each image is written: its name and size. */
export type ImageBuilt = (image: DemoImage) => void;

const ROOTFS_BYTES = 4 * 2 ** 20;
const SUPERBLOCK = 1024;

/**
 * An ext4 superblock as `mkfs.ext4` leaves it, reduced to the fields a reader identifies a root
 * file system by (magic, revision, features, UUID, label): enough for the deploy to read the root
 * UUID back from the written disk as blkid would. Not mountable, and it need not be: the
 * simulated server never boots it.
 */
export function ext4Superblock(uuid: string, label: string, sizeBytes: number): Buffer {
  const image = Buffer.alloc(sizeBytes);
  const blockSize = 4096;
  const blocks = sizeBytes / blockSize;
  image.writeUInt32LE(blocks / 4, SUPERBLOCK + 0); // s_inodes_count
  image.writeUInt32LE(blocks, SUPERBLOCK + 4); // s_blocks_count_lo
  image.writeUInt32LE(0, SUPERBLOCK + 20); // s_first_data_block (4 KiB blocks)
  image.writeUInt32LE(2, SUPERBLOCK + 24); // s_log_block_size: 1024 << 2
  image.writeUInt16LE(0xef53, SUPERBLOCK + 56); // s_magic
  image.writeUInt16LE(1, SUPERBLOCK + 58); // s_state: clean
  image.writeUInt32LE(1, SUPERBLOCK + 76); // s_rev_level: dynamic
  image.writeUInt32LE(0x4, SUPERBLOCK + 92); // s_feature_compat: has_journal
  image.writeUInt32LE(0x2 | 0x40, SUPERBLOCK + 96); // s_feature_incompat: filetype, extents
  Buffer.from(uuid.replace(/-/g, ''), 'hex').copy(image, SUPERBLOCK + 104); // s_uuid
  image.write(label.slice(0, 16), SUPERBLOCK + 120, 'latin1'); // s_volume_name
  return image;
}

const sha256 = (bytes: Uint8Array) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

/** Builds the demo's images into `dir` (created). */
export async function makeDemoImages(
  dir: string,
  onBuilt: ImageBuilt = () => {},
  options: OperationOptions = {},
): Promise<DemoImages> {
  await mkdir(dir, { recursive: true });
  const save = async (name: string, bytes: Uint8Array): Promise<DemoImage> => {
    options.signal?.throwIfAborted();
    await writeFile(join(dir, name), bytes);
    const image = { name, size: bytes.length, checksum: sha256(bytes) };
    onBuilt(image);
    return image;
  };
  const rootUuid = randomUUID();
  const rootfs = await save('rootfs.ext4', ext4Superblock(rootUuid, 'demo-rootfs', ROOTFS_BYTES));
  const kernel = await save('vmlinuz', randomBytes(256 * 1024));
  const ramdisk = await save('initrd', randomBytes(512 * 1024));
  // The deploy ISO carries what a boot ISO is made from in UEFI mode: its efiboot.img (a real
  // FAT EFI system partition) and the path of its grub.cfg.
  const grubCfg = new TextEncoder().encode('menuentry "deploy" { linux /vmlinuz; initrd /initrd }\n');
  const esp = await imageToBytes(
    await buildEspImage({ bootloader: randomBytes(64 * 1024), grubCfg }, options),
  );
  const iso = await buildIsoImage(
    {
      files: [
        { path: 'EFI/BOOT/grub.cfg', input: grubCfg },
        { path: 'images/efiboot.img', input: esp },
      ],
      boot: { uefi: { image: 'images/efiboot.img' } },
      volumeLabel: 'DEMO_DEPLOY_ISO',
    },
    options,
  );
  const deployIso = await save('deploy.iso', await imageToBytes(iso));
  return { rootfs, rootUuid, kernel, ramdisk, deployIso };
}
