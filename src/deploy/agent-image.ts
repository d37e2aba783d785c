/** The `image_info` agent_ilo hands the agent (`standby.prepare_image`). */
import { parseInstanceInfo } from '../config/index.js';
import type { OperationOptions, Task } from '../contracts/index.js';
import { MissingParameterValue } from '../errors/index.js';
import { getBootModeForDeploy } from '../management/index.js';
import { type ImageChecksum, parseChecksum } from '../store/index.js';
import type { AgentImageInfo } from './agent/index.js';
import type { DeployContext } from './common/context.js';

/**
 * Ironic's `image_info` of `AgentDeploy.continue_deploy`: the image's id and a URL the agent can
 * fetch now (a fresh temp URL for Glance and `swift:` images; never stored), its checksum
 * (`instance_info.image_checksum`, else Glance's), and for a partition image the layout
 * (`root_mb`, `swap_mb`, `ephemeral_mb`, `preserve_ephemeral`, `boot_option`, `deploy_boot_mode`,
 * `disk_label`).
 */
export async function agentImageInfo(
  task: Task,
  ctx: DeployContext,
  call: OperationOptions,
): Promise<AgentImageInfo> {
  const node = task.node;
  const info = parseInstanceInfo(node);
  const source = info.imageSource;
  const [url, shown] = await Promise.all([
    ctx.images.urlFor(source, call),
    info.imageChecksum === undefined ? ctx.images.show(source, call) : undefined,
  ]);
  const checksum: ImageChecksum | undefined =
    info.imageChecksum !== undefined
      ? parseChecksum(info.imageChecksum, 'instance_info.image_checksum')
      : shown?.checksum;
  if (checksum === undefined) {
    throw new MissingParameterValue(
      `image_source's image_checksum must be provided in instance_info for node ${node.uuid}`,
      {
        fields: [{ field: 'instance_info.image_checksum', problem: 'required' }],
      },
    );
  }
  const out: AgentImageInfo = {
    id: source.split('/').pop() ?? source,
    urls: [url],
    ...(checksum.algorithm === 'md5'
      ? { checksum: checksum.value }
      : { os_hash_algo: checksum.algorithm, os_hash_value: checksum.value }),
    node_uuid: node.uuid,
    stream_raw_images: true,
    image_type: info.isWholeDiskImage ? 'whole-disk' : 'partition',
  };
  const format = node.instanceInfo.image_disk_format;
  if (typeof format === 'string' && format !== '') out.disk_format = format;
  if (info.isWholeDiskImage) return out;
  const label = info.capabilities.disk_label?.toLowerCase();
  return {
    ...out,
    root_mb: (info.rootGb ?? 0) * 1024,
    swap_mb: info.swapMb,
    ephemeral_mb: info.ephemeralGb * 1024,
    ephemeral_format: null,
    preserve_ephemeral: node.instanceInfo.preserve_ephemeral === true,
    boot_option: info.bootOption,
    deploy_boot_mode: getBootModeForDeploy(node) ?? 'bios',
    ...(label === 'gpt' || label === 'msdos' ? { disk_label: label } : {}),
  };
}
