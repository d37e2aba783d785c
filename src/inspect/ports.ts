import type { OperationOptions, Task } from '../contracts/index.js';

/**
 * Where inspection registers the ports it discovers: the embedder's port table. For each MAC
 * address the iLO reports, `Inspector` asks for a port of the task's node; a registry that
 * already has a port with that address throws `MACAlreadyExists`, which inspection logs as a
 * warning and continues. `ironic-ilo/testing` ships an in-memory one (`MemoryPortRegistry`).
 *
 * @example
 * ```ts
 * const ports: PortRegistry = {
 *   async createPort(task, address) {
 *     if (await db.portExists(address)) throw new MACAlreadyExists({ mac: address });
 *     task.ports.push(await db.insertPort({ nodeUuid: task.node.uuid, address }));
 *   },
 * };
 * ```
 */
export interface PortRegistry {
  /** Creates a port with MAC `address` (lower case, colon separated) for the task's node. */
  createPort(task: Task, address: string, options?: OperationOptions): Promise<void>;
}
