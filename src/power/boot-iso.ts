import type { Node, OperationOptions, Task } from '../contracts/index.js';
import { ProvisionState } from '../contracts/index.js';

/**
 * Attaches an active netboot instance's boot ISO again before the node powers on or reboots, so
 * that it still boots its instance (Ironic's `_attach_boot_iso_if_needed`). The virtual-media
 * boot interface provides it; `IloPower` calls it only when {@link bootIsoToReattach} names an ISO.
 *
 * @example
 * ```ts
 * const bootIso: BootIsoReattacher = {
 *   async reattachBootIso(task, iso, options) {
 *     await attachVirtualCd(task, await resolveImageUrl(iso), options); // and a one-time CD boot
 *   },
 * };
 * const power = new IloPower({ bootIso });
 * ```
 */
export interface BootIsoReattacher {
  /**
   * Inserts `bootIso` (`instance_info.ilo_boot_iso`: a URL, `swift:<object>` or a Glance image)
   * as the virtual CD and makes the CD the one-time boot device.
   */
  reattachBootIso(task: Task, bootIso: string, options: OperationOptions): Promise<void>;
}

/**
 * The boot ISO to attach before powering `node` on: its `instance_info.ilo_boot_iso` when it is
 * `active` (a netboot instance); nothing during a rebuild or a deploy, when the deploy ISO must
 * boot instead (Ironic bug 1435959).
 *
 * @example
 * ```ts
 * bootIsoToReattach({ ...node, provisionState: 'active', instanceInfo: { ilo_boot_iso: 'swift:boot-1' } }); // 'swift:boot-1'
 * ```
 */
export function bootIsoToReattach(node: Pick<Node, 'provisionState' | 'instanceInfo'>): string | undefined {
  const iso = node.instanceInfo.ilo_boot_iso;
  if (node.provisionState !== ProvisionState.ACTIVE) return undefined;
  return typeof iso === 'string' && iso !== '' ? iso : undefined;
}
