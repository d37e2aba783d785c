/**
 * `IloVirtualMediaBoot.validate`: what the virtual-media boot needs from a node, every bad field
 * reported at once; then whether the references resolve.
 */
import { isGlanceImage, parseInstanceInfo } from '../config/index.js';
import type { OperationOptions, Task } from '../contracts/index.js';
import { type FieldIssue, InvalidParameterValue } from '../errors/index.js';
import { type ImageService, parseImageRef } from '../store/index.js';
import { collectIssues } from '../util/index.js';

/** The image references of a node the virtual-media boot reads, by field name. */
function references(task: Task): [string, string][] {
  const refs: [string, unknown][] = [
    ['driver_info.ilo_deploy_iso', task.node.driverInfo.ilo_deploy_iso],
    ['instance_info.image_source', task.node.instanceInfo.image_source],
    ['instance_info.kernel', task.node.instanceInfo.kernel],
    ['instance_info.ramdisk', task.node.instanceInfo.ramdisk],
    ['instance_info.ilo_boot_iso', task.node.instanceInfo.ilo_boot_iso],
  ];
  return refs.filter((r): r is [string, string] => typeof r[1] === 'string' && r[1] !== '');
}

/**
 * The checks without I/O: `driver_info.ilo_deploy_iso` present, `instance_info` as Ironic's
 * `parse_instance_info` wants it, every reference of a kind the image service resolves (and the
 * ISOs of a kind the iLO can fetch).
 */
export function bootIssues(task: Task): FieldIssue[] {
  const issues = collectIssues([() => parseInstanceInfo(task.node)]).map((i) =>
    i.field.startsWith('instance_info.') ? i : { ...i, field: `instance_info.${i.field}` },
  );
  const deployIso = task.node.driverInfo.ilo_deploy_iso;
  if (typeof deployIso !== 'string' || deployIso === '')
    issues.unshift({ field: 'driver_info.ilo_deploy_iso', problem: 'required' });
  for (const [field, ref] of references(task)) {
    try {
      const kind = parseImageRef(ref).kind;
      if (kind === 'file' && field.endsWith('_iso'))
        issues.push({ field, problem: 'must be a URL or image the iLO can fetch, not file://' });
    } catch (e) {
      issues.push({ field, problem: e instanceof Error ? e.message : String(e) });
    }
  }
  return issues;
}

/**
 * The checks with I/O, as Ironic's `validate_image_properties`: every reference exists
 * (`ImageService.validateHref`: HTTP HEAD, Glance image show), and a Glance partition image has
 * its `kernel_id` and `ramdisk_id` properties. Every failure is named in one
 * `InvalidParameterValue` (its `cause` is the first failure).
 */
export async function checkReferences(
  task: Task,
  images: ImageService,
  options: OperationOptions,
): Promise<void> {
  const ii = task.node.instanceInfo;
  const wholeDisk = task.node.driverInternalInfo.is_whole_disk_image === true;
  const check = async ([field, ref]: [string, string]): Promise<{
    issues: FieldIssue[];
    error?: unknown;
  }> => {
    try {
      await images.validateHref(ref, options);
      if (field !== 'instance_info.image_source' || wholeDisk || !isGlanceImage(ref)) return { issues: [] };
      if (typeof ii.kernel === 'string' && typeof ii.ramdisk === 'string') return { issues: [] };
      const props = await images.getImageProperties(ref, options);
      const lacking = [props.kernelId ? [] : ['kernel_id'], props.ramdiskId ? [] : ['ramdisk_id']].flat();
      return {
        issues: lacking.map((p) => ({
          field: `${field}.${p}`,
          problem: 'the Glance image lacks this property',
        })),
      };
    } catch (error) {
      return { issues: [{ field, problem: error instanceof Error ? error.message : String(error) }], error };
    }
  };
  const results = await Promise.all(references(task).map(check));
  options.signal?.throwIfAborted();
  const issues = results.flatMap((r) => r.issues);
  if (issues.length === 0) return;
  throw new InvalidParameterValue(
    `Image references of node ${task.node.uuid} cannot be used: ${issues.map((i) => `${i.field}: ${i.problem}`).join('; ')}`,
    { fields: issues, cause: results.find((r) => r.error !== undefined)?.error },
  );
}
