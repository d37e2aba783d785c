/**
 * The config drive as Ironic stores it in `instance_info.configdrive`: a gzip-compressed,
 * base64-encoded ISO 9660 or VFAT image (label `config-2`) of at most 64 MiB.
 */
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { InstanceDeployFailure, NotSupported } from '../../../errors/index.js';
import { CONFIGDRIVE_PARTITION_MB } from '../disk/layout.js';

const inflate = promisify(gunzip);

/**
 * The largest config drive Ironic accepts.
 *
 * @example
 * ```ts
 * if (image.length > CONFIGDRIVE_MAX_BYTES) throw new Error('too large');
 * ```
 */
export const CONFIGDRIVE_MAX_BYTES = CONFIGDRIVE_PARTITION_MB * 2 ** 20;

/**
 * Decodes a config drive: gzip+base64 text (Ironic's form), or the image bytes themselves
 * (gzip-compressed or not).
 *
 * @example
 * ```ts
 * const image = await decodeConfigDrive(node.instanceInfo.configdrive as string);
 * ```
 */
export async function decodeConfigDrive(value: string | Uint8Array): Promise<Buffer> {
  if (typeof value === 'string' && /^[a-z][a-z0-9+.-]*:\/\//i.test(value.trim()))
    throw new NotSupported({
      feature: 'A config drive given as a URL',
      reason: 'download it first and pass its content',
    });
  const bytes =
    typeof value === 'string' ? Buffer.from(value.replace(/\s+/g, ''), 'base64') : Buffer.from(value);
  if (bytes.length === 0)
    throw new InstanceDeployFailure({ reason: 'the config drive is empty or not base64' });
  let image = bytes;
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    image = await inflate(bytes, { maxOutputLength: CONFIGDRIVE_MAX_BYTES + 1 }).catch((e: unknown) => {
      if (e instanceof RangeError) return Buffer.alloc(CONFIGDRIVE_MAX_BYTES + 1);
      throw new InstanceDeployFailure({
        reason: `the config drive does not decompress: ${String(e)}`,
        cause: e,
      });
    });
  } else if (typeof value === 'string') {
    throw new InstanceDeployFailure({ reason: 'the config drive is not gzip-compressed and base64-encoded' });
  }
  if (image.length > CONFIGDRIVE_MAX_BYTES)
    throw new InstanceDeployFailure({ reason: 'Config drive size exceeds maximum limit of 64MiB.' });
  return image;
}
