/** The bridge from a node's validated `instance_info` to a {@link DiskWriteRequest}. */
import type { ParsedInstanceInfo } from '../../../config/index.js';
import type { DiskImageSource } from '../images/open-image.js';
import type { DiskWriteRequest, PartitionFormatter } from './types.js';

/**
 * Options of {@link diskWriteRequestFromInstanceInfo}.
 *
 * @example
 * ```ts
 * const options: DiskWriteRequestOptions = { bootMode: 'uefi', assumeZeroed: true };
 * ```
 */
export interface DiskWriteRequestOptions {
  /** The boot mode the deploy settled on (default: the `boot_mode` capability, else `deploy_boot_mode`, else bios). */
  bootMode?: 'bios' | 'uefi' | undefined;
  /** See {@link DiskWriteRequest.assumeZeroed}. */
  assumeZeroed?: boolean | undefined;
  /** Formats the ephemeral partition. */
  ephemeralFormatter?: PartitionFormatter | undefined;
}

/**
 * Builds the write request for a node from its parsed `instance_info` (`root_gb`, `swap_mb`,
 * `ephemeral_gb`, `configdrive`, `image_checksum`, `boot_option` and `disk_label`
 * capabilities) and the image already fetched by the deploy.
 *
 * @example
 * ```ts
 * const info = parseInstanceInfo(task.node);
 * const request = diskWriteRequestFromInstanceInfo(info, { path: cachedImagePath }, { bootMode });
 * const result = await writer.write(target, request, { signal: task.signal });
 * ```
 */
export function diskWriteRequestFromInstanceInfo(
  info: ParsedInstanceInfo,
  image: DiskImageSource,
  options: DiskWriteRequestOptions = {},
): DiskWriteRequest {
  const request: DiskWriteRequest = {
    image,
    imageChecksum: info.imageChecksum,
    assumeZeroed: options.assumeZeroed,
  };
  if (info.isWholeDiskImage) return request;
  const capability = info.capabilities.boot_mode?.toLowerCase();
  const bootMode =
    options.bootMode ??
    (capability === 'uefi' || capability === 'bios' ? capability : info.deployBootMode) ??
    'bios';
  const label = info.capabilities.disk_label?.toLowerCase();
  request.partitions = {
    rootMb: (info.rootGb ?? 0) * 1024,
    swapMb: info.swapMb,
    ephemeralMb: info.ephemeralGb * 1024,
    bootMode,
    bootOption: info.bootOption,
    diskLabel: label === 'gpt' || label === 'msdos' ? label : undefined,
    configdrive: info.configdrive,
    ephemeralFormatter: options.ephemeralFormatter,
  };
  return request;
}
