/**
 * The fake ramdisk's disk: a sparse file written by the library's own disk-image writer, the way
 * the agent's `standby` extension writes a real one (stream a raw image, or cache then write),
 * and erased the way its clean steps do.
 */

import { createWriteStream } from 'node:fs';
import { open, rm, truncate } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { type Dispatcher, request } from 'undici';
import {
  type AgentImageInfo,
  type DiskImageSource,
  type DiskWriteResult,
  FileBlockDevice,
  ImageChecksumError,
  isIronicIloError,
  type PartitionRequest,
  writeDiskImage,
} from '../../index.js';
import {
  checksumFailed,
  downloadFailed,
  executionFailed,
  IpaError,
  invalidParams,
  writeFailed,
} from './ipa-errors.js';

/** The device name the fake agent reports. */
export const DEVICE = '/dev/sda';

/** What `standby.get_partition_uuids` reports after a write. */
export interface PartitionUuids {
  'root uuid'?: string;
  'efi system partition uuid'?: string;
  partitions?: { [role: string]: string };
}

/** The checksum to verify the image with, as the agent picks it (`os_hash_*` first, else md5). */
function expectedChecksum(info: AgentImageInfo): string {
  const algo = info.os_hash_algo?.toLowerCase();
  if (algo !== undefined && ['md5', 'sha256', 'sha512'].includes(algo) && info.os_hash_value)
    return `${algo}:${info.os_hash_value.toLowerCase()}`;
  if (typeof info.checksum === 'string' && info.checksum !== '') return info.checksum.toLowerCase();
  throw new IpaError(
    'RESTError',
    500,
    'An unknown error occurred',
    `Unable to verify image ${info.id} with available checksums. Please make sure the specified 'os_hash_algo' (currently ${info.os_hash_algo}) is supported by this ramdisk, or provide a md5 checksum via the 'checksum' field`,
  );
}

function partitionRequest(info: AgentImageInfo, configdrive: string | undefined): PartitionRequest {
  if (typeof info.root_mb !== 'number') throw invalidParams("Image is missing 'root_mb' field.");
  const out: PartitionRequest = {
    rootMb: info.root_mb,
    swapMb: info.swap_mb ?? 0,
    ephemeralMb: info.ephemeral_mb ?? 0,
    bootMode: info.deploy_boot_mode ?? 'bios',
    bootOption: info.boot_option ?? 'netboot',
    preserveEphemeral: info.preserve_ephemeral === true,
  };
  if (info.disk_label !== undefined) out.diskLabel = info.disk_label;
  const drive = configdrive ?? info.configdrive ?? undefined;
  if (drive !== undefined && drive !== null) out.configdrive = drive;
  return out;
}

/** Opens the first URL that answers 200, as the agent's `ImageDownload`. */
async function openImage(
  info: AgentImageInfo,
  dispatcher: Dispatcher,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<{ body: Dispatcher.ResponseData['body']; size?: number }> {
  const failures: string[] = [];
  for (const url of info.urls) {
    try {
      const res = await request(url, {
        dispatcher,
        signal,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      if (res.statusCode === 200) {
        const size = Number(res.headers['content-length']);
        return { body: res.body, ...(Number.isSafeInteger(size) ? { size } : {}) };
      }
      await res.body.dump();
      failures.push(`URL: ${url}; Error: Received status code ${res.statusCode}, expected 200.`);
    } catch (e) {
      if (signal.aborted) throw signal.reason;
      failures.push(`URL: ${url}; Error: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  throw downloadFailed(info.id, failures.join('\n '));
}

/** The body's bytes; a failure while receiving them is a download error, not a write error. */
async function* received(body: AsyncIterable<unknown>, imageId: string): AsyncGenerator<Uint8Array> {
  try {
    for await (const chunk of body) yield chunk as Uint8Array;
  } catch (e) {
    throw downloadFailed(imageId, e instanceof Error ? e.message : String(e));
  }
}

/** The agent error a failed write becomes. */
function asAgentError(e: unknown, info: AgentImageInfo): unknown {
  for (let c: unknown = e; c !== undefined && c !== null; c = (c as { cause?: unknown }).cause) {
    if (c instanceof IpaError) return c;
    if (c instanceof ImageChecksumError) {
      return checksumFailed(
        `Image failed to verify against checksum. location: ${DEVICE}; image ID: ${info.id}; image checksum: ${c.expected}; verification checksum: ${c.actual}`,
      );
    }
  }
  if (isIronicIloError(e)) return writeFailed(DEVICE, e.message);
  return e;
}

/** A disk file. */
export class FakeDisk {
  constructor(
    public path: string,
    readonly sizeBytes: number,
  ) {}

  /**
   * `standby.prepare_image`: downloads the image (streamed onto the disk when it is raw and
   * `stream_raw_images` is set, otherwise cached first), verifies its checksum and writes it.
   */
  async writeImage(
    info: AgentImageInfo,
    configdrive: string | undefined,
    http: { dispatcher: Dispatcher; timeoutMs: number },
    signal: AbortSignal,
  ): Promise<{ uuids: PartitionUuids; result: DiskWriteResult }> {
    const partition = info.image_type === 'partition';
    if (!partition && configdrive !== undefined && configdrive !== null) {
      throw executionFailed('the fake agent does not write config drives onto whole-disk images');
    }
    const imageChecksum = expectedChecksum(info);
    const partitions = partition ? partitionRequest(info, configdrive) : undefined;
    const opened = await openImage(info, http.dispatcher, http.timeoutMs, signal);
    const streaming = info.stream_raw_images === true && info.disk_format === 'raw';
    const cache = join(dirname(this.path), `.cache-${process.pid}-${Date.now()}`);
    try {
      let image: DiskImageSource;
      if (streaming) {
        image = {
          stream: received(opened.body, info.id),
          name: info.id,
          ...(opened.size === undefined ? {} : { sizeBytes: opened.size }),
        };
      } else {
        await pipeline(received(opened.body, info.id), createWriteStream(cache), { signal });
        image = { path: cache };
      }
      const device = await FileBlockDevice.open(this.path, { sizeBytes: this.sizeBytes });
      let result: DiskWriteResult;
      try {
        result = await writeDiskImage(
          device,
          {
            image,
            imageChecksum,
            ...(streaming ? { imageFormat: 'raw' as const } : {}),
            ...(partitions === undefined ? {} : { partitions }),
          },
          { signal },
        );
      } finally {
        await device.close();
      }
      return { uuids: uuidsOf(result), result };
    } catch (e) {
      if (signal.aborted) throw signal.reason;
      throw asAgentError(e, info);
    } finally {
      opened.body.destroy();
      await rm(cache, { force: true });
    }
  }

  /** `erase_devices`: every byte reads zero (the sparse file is emptied and extended again). */
  async erase(): Promise<void> {
    await truncate(this.path, 0);
    await truncate(this.path, this.sizeBytes);
  }

  /** `erase_devices_metadata`: the first and last MiB (partition tables, signatures) zeroed. */
  async eraseMetadata(): Promise<void> {
    const mib = 1 << 20;
    const handle = await open(this.path, 'r+');
    try {
      const zeros = Buffer.alloc(Math.min(mib, this.sizeBytes));
      await handle.write(zeros, 0, zeros.length, 0);
      await handle.write(zeros, 0, zeros.length, Math.max(0, this.sizeBytes - zeros.length));
    } finally {
      await handle.close();
    }
  }

  /** `standby.sync`. */
  async sync(): Promise<void> {
    const handle = await open(this.path, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  }

  /** Creates the (sparse) disk file when it does not exist yet. */
  async ensure(): Promise<void> {
    const handle = await open(this.path, 'a');
    try {
      if ((await handle.stat()).size < this.sizeBytes) await handle.truncate(this.sizeBytes);
    } finally {
      await handle.close();
    }
  }
}

function uuidsOf(result: DiskWriteResult): PartitionUuids {
  const out: PartitionUuids = {};
  const root = result.rootUuid ?? result.diskIdentifier;
  if (root !== undefined) out['root uuid'] = root;
  if (result.efiSystemPartitionUuid !== undefined)
    out['efi system partition uuid'] = result.efiSystemPartitionUuid;
  if (result.partitions !== undefined) {
    out.partitions = Object.fromEntries(result.partitions.map((p) => [p.role, `${DEVICE}${p.number}`]));
  }
  return out;
}
