/** What the driver end-to-end suites deploy, and the configuration they deploy with. */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  buildIsoImage,
  type IloConfig,
  imageToBytes,
  type Node,
  type Port,
  parseConfig,
} from '../../../src/index.js';
import type { IloSimulator, SimulatedIlo } from '../../../src/testing/index.js';
import { ext4Image, rawDiskImage } from '../../helpers/disk-tools.js';
import { type FileServer, startFileServer } from '../../helpers/file-server.js';
import { driverInfoOf } from '../../helpers/oob.js';
import type { PeerRequirements } from '../../helpers/peers.js';

/** The tools the fixtures are built with. */
export const DRIVER_PEERS: PeerRequirements = { commands: ['mkfs.ext4', 'blkid'] };

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** The images, served over HTTP as a Glance-less deployment serves them. */
export interface DeployImages {
  files: FileServer;
  /** A partition image: an ext4 root file system. */
  rootfs: { url: string; uuid: string; checksum: string };
  /** A whole-disk image with an MBR. */
  disk: { url: string; signature: string; checksum: string };
  kernel: string;
  ramdisk: string;
  deployIso: string;
}

/** Builds the images in `dir` (a root file system of `rootfsMb`) and serves them. */
export async function serveImages(dir: string, rootfsMb = 16): Promise<DeployImages> {
  const root = await ext4Image(dir, rootfsMb);
  const disk = await rawDiskImage(dir, 8 * 2 ** 20);
  const rootBytes = await readFile(root.path);
  const diskBytes = await readFile(disk.path);
  const deployIso = await imageToBytes(
    await buildIsoImage({
      files: [
        { path: 'EFI/BOOT/grub.cfg', input: new TextEncoder().encode('the deploy ramdisk grub.cfg') },
        { path: 'images/efiboot.img', input: new Uint8Array(64 * 1024).fill(0xef) },
      ],
      boot: { uefi: { image: 'images/efiboot.img' } },
    }),
  );
  const files = await startFileServer({
    '/root.ext4': rootBytes,
    '/disk.raw': diskBytes,
    '/vmlinuz': randomBytes(200_000),
    '/initrd': randomBytes(300_000),
    '/deploy.iso': deployIso,
  });
  return {
    files,
    rootfs: { url: `${files.url}/root.ext4`, uuid: root.uuid, checksum: `sha256:${sha256(rootBytes)}` },
    disk: {
      url: `${files.url}/disk.raw`,
      signature: disk.signature,
      checksum: `sha256:${sha256(diskBytes)}`,
    },
    kernel: `${files.url}/vmlinuz`,
    ramdisk: `${files.url}/initrd`,
    deployIso: `${files.url}/deploy.iso`,
  };
}

/**
 * The configuration of the suites: the ramdisk calls back to 127.0.0.1, short waits (the
 * simulated power changes at once; the fake agent powers off within milliseconds), boot ISOs
 * built in `dir` with a stand-in isolinux.bin.
 */
export function e2eConfig(dir: string, extra: Parameters<typeof parseConfig>[0] = {}): IloConfig {
  const tempdir = join(dir, 'tmp');
  mkdirSync(tempdir, { recursive: true });
  writeFileSync(join(dir, 'isolinux.bin'), Buffer.alloc(4096, 0x90));
  writeFileSync(join(dir, 'ldlinux.c32'), Buffer.from('LDLINUX'));
  return parseConfig({
    ...extra,
    conductor: { apiUrl: 'http://127.0.0.1:6385/', ...extra.conductor },
    ilo: { powerRetry: 20, powerWait: 0.01, ...extra.ilo },
    agent: {
      commandWaitInterval: 0.02,
      postDeployGetPowerStateRetries: 100,
      postDeployGetPowerStateRetryInterval: 0.02,
      ...extra.agent,
    },
    default: { tempdir, isolinuxBin: join(dir, 'isolinux.bin'), ldlinuxC32: join(dir, 'ldlinux.c32') },
  });
}

/** What a node to deploy looks like. */
export type Flavour = 'partition-local' | 'partition-netboot' | 'whole-disk';

/** A node of simulated iLO `ilo` deploying `images` as `flavour` in `mode`, and its port. */
export function nodeFor(
  sim: IloSimulator,
  ilo: SimulatedIlo,
  images: DeployImages,
  flavour: Flavour,
  mode: 'bios' | 'uefi',
): { node: Partial<Node>; ports: Port[] } {
  const whole = flavour === 'whole-disk';
  const mac = ilo.server.inventory.nics[0]?.mac as string;
  return {
    node: {
      uuid: randomUUID(),
      driverInfo: { ...driverInfoOf(ilo, sim.caFile), ilo_deploy_iso: images.deployIso },
      instanceInfo: whole
        ? { image_source: images.disk.url, image_checksum: images.disk.checksum }
        : {
            image_source: images.rootfs.url,
            image_checksum: images.rootfs.checksum,
            kernel: images.kernel,
            ramdisk: images.ramdisk,
            root_gb: 1,
            capabilities: { boot_option: flavour === 'partition-local' ? 'local' : 'netboot' },
          },
      properties: { capabilities: `boot_mode:${mode}` },
    },
    ports: [{ uuid: randomUUID(), address: mac.toLowerCase(), extra: { vif_port_id: `vif-${mac}` } }],
  };
}
