import { randomUUID } from 'node:crypto';
import {
  MACAlreadyExists,
  type OperationOptions,
  type Port,
  type PortRegistry,
  type Task,
} from '../index.js';

/** A port the {@link MemoryPortRegistry} holds, with the node it belongs to. */
export interface RegisteredPort {
  /** UUID of the node. */
  nodeUuid: string;
  /** The port (also appended to the task's `ports`). */
  port: Port;
}

/**
 * A {@link PortRegistry} in memory, for tests and tools: one port per MAC address across all
 * nodes, as Ironic's database; a second port with the same address throws `MACAlreadyExists`.
 * Created ports are also appended to the task's `ports`.
 *
 * @example
 * ```ts
 * const ports = new MemoryPortRegistry();
 * await new Inspector({ ports }).inspectHardware(task);
 * expect(ports.addressesOf(task.node.uuid)).toHaveLength(4);
 * ```
 */
export class MemoryPortRegistry implements PortRegistry {
  /** Ports by MAC address (lower case). */
  readonly ports = new Map<string, RegisteredPort>();

  /** Creates the port, or throws `MACAlreadyExists`. */
  async createPort(task: Task, address: string, options: OperationOptions = {}): Promise<void> {
    options.signal?.throwIfAborted();
    const mac = address.toLowerCase();
    if (this.ports.has(mac)) throw new MACAlreadyExists({ mac });
    const port: Port = { uuid: randomUUID(), address: mac };
    this.ports.set(mac, { nodeUuid: task.node.uuid, port });
    task.ports.push(port);
  }

  /** The MAC addresses of a node's ports, in creation order. */
  addressesOf(nodeUuid: string): string[] {
    return [...this.ports.values()].filter((p) => p.nodeUuid === nodeUuid).map((p) => p.port.address);
  }
}
