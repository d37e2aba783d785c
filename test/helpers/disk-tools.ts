/**
 * Builds test images with real tools (mkfs.ext4 -d, mkfs.xfs, qemu-img, genisoimage) and checks
 * written disks with independent ones (sfdisk, blkid, e2fsck, xfs_repair, fsck.fat).
 */
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, mkdirSync, writeFileSync } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';

const exec = promisify(execFile);

/** Runs a tool; resolves with stdout, rejects with stderr in the message. */
export async function tool(cmd: string, args: readonly string[]): Promise<string> {
  try {
    const { stdout } = await exec(cmd, [...args], { maxBuffer: 16 << 20 });
    return stdout;
  } catch (e) {
    const err = e as { stderr?: string; stdout?: string; message: string };
    throw new Error(`${cmd} ${args.join(' ')}: ${err.stderr || err.stdout || err.message}`);
  }
}

/** Runs a tool and returns its exit code and output, without throwing. */
export async function toolStatus(
  cmd: string,
  args: readonly string[],
): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await exec(cmd, [...args]);
    return { code: 0, output: stdout + stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return {
      code: typeof err.code === 'number' ? err.code : -1,
      output: `${err.stdout ?? ''}${err.stderr ?? ''}`,
    };
  }
}

/** SHA-256 of `length` bytes of a file from `start` (the whole file by default). */
export async function sha256(path: string, start = 0, length?: number): Promise<string> {
  const h = createHash('sha256');
  const end = length === undefined ? undefined : start + length - 1;
  for await (const chunk of createReadStream(path, { start, end, highWaterMark: 1 << 20 }))
    h.update(chunk as Buffer);
  return h.digest('hex');
}

/** Bytes of a file. */
export async function readRange(path: string, start: number, length: number): Promise<Buffer> {
  const f = await open(path, 'r');
  try {
    const out = Buffer.alloc(length);
    await f.read(out, 0, length, start);
    return out;
  } finally {
    await f.close();
  }
}

/** Copies a range of a file into a new file (to run fsck tools on one partition). */
export async function extract(path: string, start: number, length: number, to: string): Promise<string> {
  await tool('dd', [
    `if=${path}`,
    `of=${to}`,
    'bs=1M',
    `skip=${start}`,
    `count=${length}`,
    'iflag=skip_bytes,count_bytes',
    'status=none',
  ]);
  return to;
}

/** A partition as `sfdisk --json` reports it. */
export interface SfdiskPartition {
  node: string;
  start: number;
  size: number;
  type: string;
  uuid?: string;
  name?: string;
  bootable?: boolean;
}

/** `sfdisk --json` of a disk image. */
export async function sfdisk(
  path: string,
): Promise<{ label: string; id: string; partitions: SfdiskPartition[] }> {
  const out = JSON.parse(await tool('sfdisk', ['--json', path])) as {
    partitiontable: { label: string; id: string; partitions: SfdiskPartition[] };
  };
  return out.partitiontable;
}

/** `blkid -p` of a range of a file, as a record (TYPE, UUID, LABEL…). */
export async function blkid(path: string, offset: number, size: number): Promise<Record<string, string>> {
  const { output } = await toolStatus('blkid', [
    '-p',
    '-o',
    'export',
    '-O',
    String(offset),
    '-S',
    String(size),
    path,
  ]);
  return Object.fromEntries(
    output
      .split('\n')
      .filter((l) => l.includes('='))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
}

/** An ext4 image of `sizeMb` built from a directory with a marker file; returns its UUID. */
export async function ext4Image(
  dir: string,
  sizeMb: number,
): Promise<{ path: string; uuid: string; marker: string }> {
  const root = join(dir, 'ext4-root');
  mkdirSync(join(root, 'etc'), { recursive: true });
  const marker = randomBytes(16).toString('hex');
  writeFileSync(join(root, 'etc', 'marker'), marker);
  const path = join(dir, 'root.ext4');
  await tool('mkfs.ext4', ['-q', '-F', '-L', 'cloudimg-rootfs', '-d', root, path, `${sizeMb}M`]);
  const uuid = (await tool('blkid', ['-o', 'value', '-s', 'UUID', path])).trim();
  return { path, uuid, marker };
}

/** An XFS image (300 MiB is XFS's minimum) converted to qcow2; returns the qcow2 path and the UUID. */
export async function xfsQcow2(dir: string): Promise<{ path: string; uuid: string; sizeBytes: number }> {
  const raw = join(dir, 'root.xfs');
  const sizeBytes = 320 << 20;
  await tool('truncate', ['-s', String(sizeBytes), raw]);
  await tool('mkfs.xfs', ['-q', '-f', '-L', 'xfsroot', raw]);
  const uuid = (await tool('blkid', ['-o', 'value', '-s', 'UUID', raw])).trim();
  const path = join(dir, 'root.xfs.qcow2');
  await tool('qemu-img', ['convert', '-c', '-O', 'qcow2', raw, path]);
  return { path, uuid, sizeBytes };
}

/** A config drive ISO (label config-2) and Ironic's gzip+base64 form of it. */
export async function configDrive(dir: string): Promise<{ iso: Buffer; encoded: string }> {
  const tree = join(dir, 'configdrive', 'openstack', 'latest');
  mkdirSync(tree, { recursive: true });
  writeFileSync(join(tree, 'meta_data.json'), JSON.stringify({ uuid: randomBytes(8).toString('hex') }));
  const iso = join(dir, 'configdrive.iso');
  await tool('genisoimage', ['-quiet', '-o', iso, '-V', 'config-2', '-r', '-J', join(dir, 'configdrive')]);
  const bytes = await readFile(iso);
  return { iso: bytes, encoded: gzipSync(bytes).toString('base64') };
}

/**
 * A raw whole-disk image of `sizeBytes`: an MBR with a known disk signature, random data with
 * zero holes in between (so zero detection and data both run).
 */
export async function rawDiskImage(
  dir: string,
  sizeBytes: number,
  name = 'disk.raw',
): Promise<{ path: string; signature: string }> {
  const path = join(dir, name);
  const data = Buffer.alloc(sizeBytes);
  const mib = 1 << 20;
  for (let at = 0; at < sizeBytes; at += 3 * mib) randomBytes(Math.min(mib, sizeBytes - at)).copy(data, at);
  data.writeUInt32LE(0xc0ffee42, 440);
  data[510] = 0x55;
  data[511] = 0xaa;
  writeFileSync(path, data);
  return { path, signature: '0xc0ffee42' };
}
