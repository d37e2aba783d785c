/**
 * Validation of a {@link DiskWriteRequest} that needs no disk: run before connecting to the
 * target, so that a bad request costs no login and names every bad field at once.
 */
import { access, constants } from 'node:fs/promises';
import { type FieldIssue, InvalidParameterValue } from '../../../errors/index.js';
import { parseChecksum } from '../../../store/index.js';
import { checkLayoutRequest } from '../disk/layout.js';
import { layoutOf } from './partition-image.js';
import type { DiskWriteRequest } from './types.js';

/** Throws one `InvalidParameterValue` naming every bad field of the request. */
export async function checkDiskWriteRequest(request: DiskWriteRequest): Promise<void> {
  const issues: FieldIssue[] = [];
  const collect = (check: () => void) => {
    try {
      check();
    } catch (e) {
      if (!(e instanceof InvalidParameterValue)) throw e;
      issues.push(...e.fields);
    }
  };
  const image = request.image as Partial<{ path: unknown; stream: unknown }> | undefined;
  if (image === undefined || (typeof image.path !== 'string' && image.stream === undefined)) {
    issues.push({ field: 'image', problem: 'needs a path or a stream' });
  } else if (typeof image.path === 'string') {
    await access(image.path, constants.R_OK).catch(() =>
      issues.push({ field: 'image.path', problem: 'cannot be read' }),
    );
  }
  if (request.imageFormat !== undefined && request.imageFormat !== 'raw' && request.imageFormat !== 'qcow2')
    issues.push({ field: 'imageFormat', problem: 'must be raw or qcow2' });
  const checksum = request.imageChecksum;
  if (checksum !== undefined) collect(() => parseChecksum(checksum, 'image_checksum'));
  const partitions = request.partitions;
  if (partitions !== undefined) collect(() => checkLayoutRequest(layoutOf(partitions)));
  if (issues.length > 0)
    throw new InvalidParameterValue(
      `Invalid disk write request: ${issues.map((i) => `${i.field} ${i.problem}`).join(', ')}`,
      { fields: issues },
    );
}
