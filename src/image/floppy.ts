import type { OperationOptions } from '../contracts/index.js';
import { DEFAULT_IMAGE_TIMESTAMP, stableVolumeId } from './defaults.js';
import { checkFatVolume } from './fat/label.js';
import { buildFatVolume } from './fat/writer.js';
import type { ImageStream } from './image-stream.js';
import { OptionIssues } from './issues.js';
import { type ImageFile, resolveFiles, resolveInput } from './source.js';

/** Options of {@link buildFloppyImage}. */
export interface FloppyImageOptions {
  /**
   * The parameters for the deploy ramdisk, written to `parameters.txt` as `key=value` lines
   * joined by `\n` without a trailing newline (Ironic's format), in the object's key order.
   * Keys whose value is `undefined` are left out. Values may be secrets (`deployment_key`,
   * `ipa-agent-token`): they never appear in errors.
   */
  parameters: Readonly<Record<string, string | number | undefined>>;
  /** Extra files, in sub-folders if their paths say so (Ironic's `files_info`). */
  files?: readonly ImageFile[];
  /** Volume label; the ramdisk finds the floppy as `/dev/disk/by-label/<label>`. Default `ir-vfd-dev`. */
  label?: string;
  /** Image size in KiB (Ironic's `fs_size_kib`). Default 100. */
  sizeKiB?: number;
  /** Name of the parameters file. Default `parameters.txt`. */
  parametersFile?: string;
  /** Timestamp of every entry. Default {@link DEFAULT_IMAGE_TIMESTAMP}, for reproducible images. */
  timestamp?: Date;
  /** Volume serial number. Default: derived from the label and the file names and sizes. */
  volumeId?: number;
}

/** Largest floppy image: the largest FAT16 volume with 32 KiB clusters. */
const MAX_SIZE_KIB = 2 * 1024 * 1024 - 64;

/**
 * Builds the virtual floppy Ironic gave the deploy ramdisk: a FAT12 image (FAT16 when large)
 * labelled `ir-vfd-dev` with `parameters.txt` and any extra files. It is laid out in memory
 * (directories and FATs only) and streamed; nothing needs root, `mkfs` or `mount`.
 *
 * Throws `InvalidParameterValue` naming every bad option, and `ImageCreationFailed` when the
 * contents do not fit or an extra file cannot be read.
 *
 * @example
 * ```ts
 * const floppy = await buildFloppyImage({
 *   parameters: { 'ipa-api-url': 'http://10.0.0.1:6385', 'ipa-driver-name': 'agent_ilo', 'coreos.configdrive': 0 },
 * });
 * await floppy.writeToFile(`/httpboot/image-${node.uuid}`);
 * ```
 */
export async function buildFloppyImage(
  options: FloppyImageOptions,
  operation: OperationOptions = {},
): Promise<ImageStream> {
  operation.signal?.throwIfAborted();
  const label = options.label ?? 'ir-vfd-dev';
  const sizeKiB = options.sizeKiB ?? 100;
  const parametersFile = options.parametersFile ?? 'parameters.txt';
  const timestamp = options.timestamp ?? DEFAULT_IMAGE_TIMESTAMP;
  const issues = new OptionIssues('floppy image');
  checkFatVolume(issues, label, timestamp, options.volumeId);
  issues.check(
    !Number.isInteger(sizeKiB) || sizeKiB < 16 || sizeKiB > MAX_SIZE_KIB,
    'sizeKiB',
    `must be an integer from 16 to ${MAX_SIZE_KIB}`,
  );
  const parameters = options.parameters as Record<string, unknown> | undefined;
  issues.check(typeof parameters !== 'object' || parameters === null, 'parameters', 'must be an object');
  for (const [key, value] of Object.entries(parameters ?? {})) {
    issues.check(
      key === '' || /[=\r\n]/.test(key),
      `parameters.${key}`,
      "key must be non-empty, without '=' or line breaks",
    );
    issues.check(
      value !== undefined && typeof value !== 'string' && typeof value !== 'number',
      `parameters.${key}`,
      'must be a string or a number',
    );
    issues.check(typeof value === 'string' && /[\r\n]/.test(value), `parameters.${key}`, 'must be one line');
  }
  issues.throwIfAny();
  const text = formatParameters(options.parameters);
  const extra = await resolveFiles(options.files ?? [], 'vfat');
  operation.signal?.throwIfAborted();
  const parametersInput = await resolveInput(new TextEncoder().encode(text), parametersFile, 'vfat');
  const entries = [{ path: parametersFile, input: parametersInput, mode: undefined }, ...extra];
  return buildFatVolume({
    label,
    entries,
    totalSectors: sizeKiB * 2,
    slackBytes: 0,
    timestamp,
    volumeId:
      options.volumeId ?? stableVolumeId([label, sizeKiB, ...entries.flatMap((e) => [e.path, e.input.size])]),
  });
}

/**
 * Ironic's `parameters.txt`: `key=value` lines joined by `\n`, no trailing newline.
 *
 * @example
 * ```ts
 * formatParameters({ a: 'b', c: 1 }); // 'a=b\nc=1'
 * ```
 */
export function formatParameters(parameters: Readonly<Record<string, string | number | undefined>>): string {
  return Object.entries(parameters)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join('\n');
}
