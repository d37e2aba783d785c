/**
 * Conductor code of your own, built on ironic-ilo: boot a node once from an ISO through its
 * iLO's virtual CD (a rescue or firmware ISO, say). It publishes the ISO where the iLO can fetch
 * it, attaches it, sets a one-time CD boot and reboots; on failure it takes the ISO down again.
 * `boot-from-iso.test.ts` beside it tests it against a simulated iLO and an in-memory store.
 */
import {
  BootDevice,
  createIloClient,
  type IloInterfaceOptions,
  IloManagement,
  IloPower,
  type ImageStore,
  type OperationOptions,
  parseConfig,
  parseDriverInfo,
  type Task,
} from 'ironic-ilo';

/** What `bootFromIso` needs from its caller: injected, so that tests can hand it doubles. */
export interface BootFromIsoDeps extends IloInterfaceOptions {
  /** Where the iLO fetches the ISO from (Swift, a web server, or `MemoryStore` in tests). */
  store: ImageStore;
}

/** The ISO's name in the store: one per node. */
export const isoName = (task: Task) => `rescue-${task.node.uuid}.iso`;

/** Boots the task's node once from `iso`; resolves to the URL the iLO fetched. */
export async function bootFromIso(
  task: Task,
  iso: Uint8Array,
  deps: BootFromIsoDeps,
  { signal }: OperationOptions = {},
): Promise<string> {
  const config = deps.config ?? parseConfig();
  const { url } = await deps.store.publish(isoName(task), iso, { ttlSeconds: 3600, signal });
  try {
    // Ironic's attach: insert the URL, then connect it write-protected.
    const ilo = createIloClient(parseDriverInfo(task.node, config), { logger: deps.logger });
    try {
      await ilo.insertVirtualMedia(url, 'CDROM', { signal });
      await ilo.setVmStatus('CDROM', 'CONNECT', true, { signal });
    } finally {
      await ilo.close();
    }
    await new IloManagement(deps).setBootDevice(task, BootDevice.CDROM, { signal }); // this boot only
    await new IloPower(deps).reboot(task, { signal });
    return url;
  } catch (error) {
    // Nothing left behind: a failed attach must not leave the ISO published.
    await deps.store.remove(isoName(task)).catch(() => undefined);
    throw error;
  }
}
