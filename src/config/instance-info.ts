import type { Node } from '../contracts/index.js';
import type { FieldIssue } from '../errors/index.js';
import { InvalidParameterValue, MissingParameterValue } from '../errors/index.js';
import { instanceCapabilities } from './capabilities.js';

/**
 * `instance_info` after validation: typed and camel-cased.
 *
 * @example
 * ```ts
 * const info: ParsedInstanceInfo = parseInstanceInfo(task.node);
 * if (!info.isWholeDiskImage) console.log(info.rootGb);
 * ```
 */
export interface ParsedInstanceInfo {
  /** `image_source`. */
  imageSource: string;
  /** `kernel` (non-Glance partition images). */
  kernel?: string;
  /** `ramdisk` (non-Glance partition images). */
  ramdisk?: string;
  /** `root_gb` (partition images). */
  rootGb?: number;
  /** `swap_mb`, 0 when unset. */
  swapMb: number;
  /** `ephemeral_gb`, 0 when unset. */
  ephemeralGb: number;
  /** `image_checksum`. */
  imageChecksum?: string;
  /** `configdrive`. */
  configdrive?: string;
  /** `ilo_boot_iso`. */
  iloBootIso?: string;
  /** `deploy_boot_mode`. */
  deployBootMode?: 'bios' | 'uefi';
  /** `capabilities`, parsed (dict or JSON text in the node). */
  capabilities: Record<string, string>;
  /** `boot_option` capability: `local` or `netboot` (default `netboot`, as in Mitaka). */
  bootOption: 'local' | 'netboot';
  /** Whether the image is a whole-disk image. */
  isWholeDiskImage: boolean;
}

const UUID_LIKE = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

/**
 * Whether a reference is a Glance image (`glance://…` or a bare image UUID), as Ironic's
 * `is_glance_image`.
 *
 * @example
 * ```ts
 * isGlanceImage('glance://0e8a5b8c-…'); // true
 * isGlanceImage('http://images/deploy.iso'); // false
 * ```
 */
export function isGlanceImage(ref: string | undefined | null): boolean {
  if (typeof ref !== 'string') return false;
  return ref.startsWith('glance://') || UUID_LIKE.test(ref);
}

const SUPPORTED_CAPABILITIES: Record<string, readonly string[]> = {
  boot_option: ['local', 'netboot'],
  boot_mode: ['bios', 'uefi'],
  secure_boot: ['true', 'false'],
  trusted_boot: ['true', 'false'],
  disk_label: ['msdos', 'gpt'],
};

function nonNegativeInt(value: unknown): number | undefined {
  const n =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^\s*\d+\s*$/.test(value)
        ? Number(value)
        : NaN;
  return Number.isInteger(n) && n >= 0 ? n : undefined;
}

/**
 * Validates `instance_info` as Ironic's `parse_instance_info` and `validate_capabilities` did:
 * `image_source` required; for partition images `root_gb` required, and `kernel`/`ramdisk`
 * required when the image is not in Glance; sizes integers; capabilities known and well-formed.
 * Every bad field is reported in one error.
 *
 * Whole-disk detection: `driver_internal_info.is_whole_disk_image` when the conductor recorded
 * it, otherwise Ironic's non-Glance rule (no `kernel` and no `ramdisk`). Glance images need the
 * image service to decide (their `kernel_id`/`ramdisk_id` properties).
 *
 * @example
 * ```ts
 * const info = parseInstanceInfo(node); // throws MissingParameterValue naming image_source, root_gb, …
 * ```
 */
export function parseInstanceInfo(
  node: Pick<Node, 'instanceInfo' | 'driverInternalInfo'>,
): ParsedInstanceInfo {
  const ii = node.instanceInfo;
  const issues: FieldIssue[] = [];
  const missing: string[] = [];

  const imageSource =
    typeof ii.image_source === 'string' && ii.image_source !== '' ? ii.image_source : undefined;
  if (imageSource === undefined) missing.push('image_source');
  const glance = isGlanceImage(imageSource);
  const recorded = node.driverInternalInfo.is_whole_disk_image;
  const isWholeDiskImage = typeof recorded === 'boolean' ? recorded : !glance && !ii.kernel && !ii.ramdisk;

  if (!isWholeDiskImage && imageSource !== undefined && !glance) {
    if (!ii.kernel) missing.push('kernel');
    if (!ii.ramdisk) missing.push('ramdisk');
  }
  let rootGb: number | undefined;
  if (!isWholeDiskImage) {
    if (ii.root_gb === undefined || ii.root_gb === null || ii.root_gb === '') missing.push('root_gb');
    else {
      rootGb = nonNegativeInt(ii.root_gb);
      if (rootGb === undefined || rootGb === 0)
        issues.push({ field: 'root_gb', problem: 'must be a positive integer' });
    }
  }
  const swapMb = ii.swap_mb === undefined || ii.swap_mb === null ? 0 : nonNegativeInt(ii.swap_mb);
  if (swapMb === undefined) issues.push({ field: 'swap_mb', problem: 'must be a non-negative integer' });
  const ephemeralGb =
    ii.ephemeral_gb === undefined || ii.ephemeral_gb === null ? 0 : nonNegativeInt(ii.ephemeral_gb);
  if (ephemeralGb === undefined)
    issues.push({ field: 'ephemeral_gb', problem: 'must be a non-negative integer' });

  let capabilities: Record<string, string> = {};
  try {
    capabilities = instanceCapabilities(ii);
  } catch (e) {
    if (!(e instanceof InvalidParameterValue)) throw e;
    issues.push(...e.fields);
  }
  for (const [key, allowed] of Object.entries(SUPPORTED_CAPABILITIES)) {
    const v = capabilities[key];
    if (v !== undefined && !allowed.includes(v.toLowerCase())) {
      issues.push({ field: `capabilities.${key}`, problem: `must be one of ${allowed.join(', ')}` });
    }
  }
  const deployBootMode = ii.deploy_boot_mode;
  if (deployBootMode !== undefined && deployBootMode !== 'bios' && deployBootMode !== 'uefi') {
    issues.push({ field: 'deploy_boot_mode', problem: 'must be bios or uefi' });
  }

  issues.unshift(...missing.map((m) => ({ field: m, problem: 'required' })));
  if (issues.length > 0) {
    const parts: string[] = [];
    if (missing.length > 0) {
      parts.push(`Some parameters were missing in node's instance_info. Missing are: ${missing.join(', ')}`);
    }
    for (const i of issues) if (i.problem !== 'required') parts.push(`${i.field} ${i.problem}`);
    const ErrorClass = missing.length > 0 ? MissingParameterValue : InvalidParameterValue;
    throw new ErrorClass(parts.join('. '), { fields: issues });
  }

  const out: ParsedInstanceInfo = {
    imageSource: imageSource as string,
    swapMb: swapMb as number,
    ephemeralGb: ephemeralGb as number,
    capabilities,
    bootOption: capabilities.boot_option?.toLowerCase() === 'local' ? 'local' : 'netboot',
    isWholeDiskImage,
  };
  if (typeof ii.kernel === 'string') out.kernel = ii.kernel;
  if (typeof ii.ramdisk === 'string') out.ramdisk = ii.ramdisk;
  if (rootGb !== undefined) out.rootGb = rootGb;
  if (typeof ii.image_checksum === 'string') out.imageChecksum = ii.image_checksum;
  if (typeof ii.configdrive === 'string') out.configdrive = ii.configdrive;
  if (typeof ii.ilo_boot_iso === 'string') out.iloBootIso = ii.ilo_boot_iso;
  if (deployBootMode === 'bios' || deployBootMode === 'uefi') out.deployBootMode = deployBootMode;
  return out;
}
