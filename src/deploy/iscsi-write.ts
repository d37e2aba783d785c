/** iscsi_ilo's conductor side of the data path: the cached image written to the ramdisk's target. */

import { parseInstanceInfo } from '../config/index.js';
import type { JsonValue, OperationOptions, Task } from '../contracts/index.js';
import { InstanceDeployFailure, InvalidParameterValue } from '../errors/index.js';
import { getBootModeForDeploy } from '../management/index.js';
import { collectIssues, throwIssues } from '../util/index.js';
import type { DeployContext } from './common/context.js';
import type { InstanceImageCache } from './common/image-cache.js';
import { sameSecret } from './common/node.js';
import {
  type DiskWriteResult,
  type DiskWriter,
  diskWriteRequestFromInstanceInfo,
  type IscsiTarget,
} from './iscsi/index.js';

/**
 * What the bash deploy ramdisk posts to `pass_deploy_info` (Ironic's names): where its disk is
 * exposed, and the deploy key it was given (a secret).
 *
 * @example
 * ```ts
 * const info: PassDeployInfo = { address: '10.0.0.23', iqn: `iqn.2008-10.org.openstack:${uuid}`, key, port: 3260, lun: 1 };
 * ```
 */
export interface PassDeployInfo {
  /** The ramdisk's address. */
  address: string;
  /** The target name it exposes the disk as. */
  iqn: string;
  /** The `deployment_key` from its floppy: must equal `instance_info.deploy_key`. */
  key: string;
  /** iSCSI port (default 3260). */
  port?: number;
  /** LUN (default 1). */
  lun?: number;
  /** An error the ramdisk reports instead of a target. */
  error?: string;
}

/**
 * Ironic's `get_deploy_info` checks on what the ramdisk posted: `key` must equal
 * `instance_info.deploy_key` (compared in constant time; never echoed), `address` and `iqn` are
 * required, `port` and `lun` positive integers. Every bad field in one error.
 */
export function checkPassDeployInfo(
  task: Pick<Task, 'node'>,
  args: Record<string, JsonValue | undefined>,
): PassDeployInfo {
  const issues = collectIssues([
    () => {
      if (args.key === undefined || args.key === null || args.key === '')
        throw new InvalidParameterValue('key', { fields: [{ field: 'key', problem: 'required' }] });
      if (!sameSecret(args.key, task.node.instanceInfo.deploy_key))
        throw new InvalidParameterValue('Deploy key does not match', {
          fields: [{ field: 'key', problem: 'Deploy key does not match' }],
        });
    },
  ]);
  for (const field of ['address', 'iqn'] as const) {
    if (typeof args[field] !== 'string' || args[field] === '') issues.push({ field, problem: 'required' });
  }
  const port = args.port === undefined ? 3260 : Number(args.port);
  const lun = args.lun === undefined ? 1 : Number(args.lun);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    issues.push({ field: 'port', problem: 'must be a TCP port' });
  if (!Number.isInteger(lun) || lun < 0)
    issues.push({ field: 'lun', problem: 'must be a non-negative integer' });
  throwIssues(`Invalid pass_deploy_info for node ${task.node.uuid}`, issues);
  const info: PassDeployInfo = {
    address: args.address as string,
    iqn: args.iqn as string,
    key: args.key as string,
    port,
    lun,
  };
  if (typeof args.error === 'string' && args.error !== '') info.error = args.error;
  return info;
}

/**
 * Ironic's `continue_deploy`: writes the cached image (fetched again if this conductor has no
 * copy) to the target through the `DiskWriter`, records `root_uuid_or_disk_id` and removes the
 * copy. A write that fails, or that yields neither a root UUID nor a disk identifier, is an
 * `InstanceDeployFailure` (bug 1405519).
 */
export async function writeInstanceImage(
  task: Task,
  target: IscsiTarget,
  deps: { ctx: DeployContext; diskWriter: DiskWriter; cache: InstanceImageCache },
  call: OperationOptions,
): Promise<DiskWriteResult> {
  const node = task.node;
  const log = deps.ctx.logFor(task);
  const path = await deps.cache.fetch(task, call);
  const info = parseInstanceInfo(node);
  const request = diskWriteRequestFromInstanceInfo(
    info,
    { path },
    { bootMode: getBootModeForDeploy(node) ?? 'bios' },
  );
  if (request.partitions !== undefined)
    request.partitions.preserveEphemeral = node.instanceInfo.preserve_ephemeral === true;
  let result: DiskWriteResult;
  try {
    result = await deps.diskWriter.write(target, request, { ...call, logger: log });
  } catch (error) {
    call.signal?.throwIfAborted();
    throw new InstanceDeployFailure({
      reason: `Deploy failed for instance ${node.instanceUuid ?? node.uuid}. Error: ${error instanceof Error ? error.message : String(error)}`,
      cause: error,
    });
  }
  const id = result.rootUuid ?? result.diskIdentifier;
  if (id === undefined || id === '') {
    throw new InstanceDeployFailure({
      reason: `Couldn't determine the UUID of the root partition or the disk identifier after deploying the node ${node.uuid}`,
    });
  }
  node.driverInternalInfo = { ...node.driverInternalInfo, root_uuid_or_disk_id: id };
  await task.save();
  await deps.cache.remove(task);
  log.info(`Image written to node ${node.uuid}`, { bytes: result.bytesWritten });
  return result;
}
