import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { chmod, mkdir, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ImageRefValidationFailed } from '../../errors/index.js';
import { ByteMeter } from '../source.js';
import type { ImageChecksum } from './checksum.js';

/** What to verify and how to write. */
export interface DownloadTarget {
  /** The reference, redacted, for errors. */
  href: string;
  expected: ImageChecksum | undefined;
  fileMode: number;
  signal: AbortSignal | undefined;
}

/**
 * Streams an opened image to `destination` through a temporary file in the same directory,
 * hashing on the way; renames it into place only when the size and checksum are right.
 */
export async function downloadTo(
  opened: { stream: Readable; size?: number },
  destination: string,
  target: DownloadTarget,
): Promise<{ path: string; size: number; checksum: ImageChecksum; verified: boolean }> {
  const algorithm = target.expected?.algorithm ?? 'sha256';
  const meter = new ByteMeter([algorithm], opened.size);
  const tmp = join(dirname(destination), `.${basename(destination)}.${randomBytes(6).toString('hex')}.part`);
  try {
    await mkdir(dirname(destination), { recursive: true });
    await pipeline(
      opened.stream,
      meter,
      createWriteStream(tmp, { flags: 'wx', mode: target.fileMode }),
      ...(target.signal === undefined ? [] : [{ signal: target.signal }]),
    );
    if (opened.size !== undefined && meter.bytes !== opened.size) {
      throw new ImageRefValidationFailed({
        imageHref: target.href,
        reason: `the download ended after ${meter.bytes} of ${opened.size} bytes`,
      });
    }
    const actual = meter.digest(algorithm);
    if (target.expected !== undefined && actual !== target.expected.value) {
      throw new ImageRefValidationFailed({
        imageHref: target.href,
        reason: `Error verifying image checksum. Image ${target.href} failed to verify against checksum ${target.expected.value}. Actual checksum is: ${actual}`,
      });
    }
    await chmod(tmp, target.fileMode);
    await rename(tmp, destination);
    return {
      path: destination,
      size: meter.bytes,
      checksum: { algorithm, value: actual },
      verified: target.expected !== undefined,
    };
  } catch (e) {
    opened.stream.destroy();
    await unlink(tmp).catch(() => undefined);
    if (target.signal?.aborted) throw target.signal.reason;
    if (e instanceof ImageRefValidationFailed) throw e;
    throw new ImageRefValidationFailed({
      imageHref: target.href,
      reason: `download failed: ${(e as Error).message}`,
      cause: e,
    });
  }
}
