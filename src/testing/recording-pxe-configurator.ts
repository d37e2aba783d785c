import type {
  OperationOptions,
  PxeConfigurator,
  PxeInstanceRequest,
  PxeRamdiskRequest,
  Task,
} from '../index.js';

/**
 * The methods of a {@link PxeConfigurator}, as {@link RecordingPxeConfigurator} records them.
 *
 * @example
 * ```ts
 * const method: PxeConfiguratorMethod = 'prepareRamdisk';
 * ```
 */
export type PxeConfiguratorMethod =
  | 'validate'
  | 'prepareRamdisk'
  | 'cleanUpRamdisk'
  | 'prepareInstance'
  | 'cleanUpInstance';

/**
 * One call to a {@link RecordingPxeConfigurator}.
 *
 * @example
 * ```ts
 * const [first]: PxeConfiguratorCall[] = pxe.calls;
 * expect(first?.method).toBe('prepareRamdisk');
 * ```
 */
export interface PxeConfiguratorCall {
  /** Which method. */
  method: PxeConfiguratorMethod;
  /** The node's UUID. */
  nodeUuid: string;
  /** MAC addresses of the task's ports at the time of the call. */
  macs: string[];
  /** The request of `prepareRamdisk` / `prepareInstance` (a copy). */
  request?: PxeRamdiskRequest | PxeInstanceRequest;
  /** What it threw, when it was told to fail. */
  error?: unknown;
}

/**
 * What a node boots from the network now, as far as the recording configurator knows.
 *
 * @example
 * ```ts
 * expect(pxe.configOf(node.uuid)?.kind).toBe('ramdisk');
 * ```
 */
export interface RecordedPxeConfig {
  /** The deploy ramdisk or the instance. */
  kind: 'ramdisk' | 'instance';
  /** What was asked for. */
  request: PxeRamdiskRequest | PxeInstanceRequest;
}

/**
 * A {@link PxeConfigurator} that configures nothing and remembers everything: every call in
 * order, the configuration each node would PXE-boot now, and fault injection per method. Use it
 * to test pxe_ilo flows without DHCP or TFTP.
 *
 * @example
 * ```ts
 * const pxe = new RecordingPxeConfigurator();
 * const driver = createPxeIloDriver({ pxe, ... });
 * await driver.deploy.prepare(task);
 * expect(pxe.configOf(task.node.uuid)?.kind).toBe('ramdisk');
 * pxe.failNext('cleanUpInstance', new Error('dnsmasq reload failed'));
 * ```
 */
export class RecordingPxeConfigurator implements PxeConfigurator {
  /** Every call, oldest first. */
  readonly calls: PxeConfiguratorCall[] = [];
  readonly #configs = new Map<string, RecordedPxeConfig>();
  readonly #failures = new Map<PxeConfiguratorMethod, unknown>();

  /** Makes the next call of `method` throw `error`. */
  failNext(method: PxeConfiguratorMethod, error: unknown): void {
    this.#failures.set(method, error);
  }

  /** What `nodeUuid` boots from the network now, `undefined` when nothing is configured. */
  configOf(nodeUuid: string): RecordedPxeConfig | undefined {
    return this.#configs.get(nodeUuid);
  }

  async validate(task: Task, options: OperationOptions = {}): Promise<void> {
    this.#record('validate', task, options);
  }

  async prepareRamdisk(
    task: Task,
    request: PxeRamdiskRequest,
    options: OperationOptions = {},
  ): Promise<void> {
    this.#record('prepareRamdisk', task, options, request);
    this.#configs.set(task.node.uuid, { kind: 'ramdisk', request: structuredClone(request) });
  }

  async cleanUpRamdisk(task: Task, options: OperationOptions = {}): Promise<void> {
    this.#record('cleanUpRamdisk', task, options);
    if (this.#configs.get(task.node.uuid)?.kind === 'ramdisk') this.#configs.delete(task.node.uuid);
  }

  async prepareInstance(
    task: Task,
    request: PxeInstanceRequest,
    options: OperationOptions = {},
  ): Promise<void> {
    this.#record('prepareInstance', task, options, request);
    this.#configs.set(task.node.uuid, { kind: 'instance', request: structuredClone(request) });
  }

  async cleanUpInstance(task: Task, options: OperationOptions = {}): Promise<void> {
    this.#record('cleanUpInstance', task, options);
    this.#configs.delete(task.node.uuid);
  }

  #record(
    method: PxeConfiguratorMethod,
    task: Task,
    options: OperationOptions,
    request?: PxeRamdiskRequest | PxeInstanceRequest,
  ): void {
    const call: PxeConfiguratorCall = {
      method,
      nodeUuid: task.node.uuid,
      macs: task.ports.map((p) => p.address),
    };
    if (request !== undefined) call.request = structuredClone(request);
    this.calls.push(call);
    options.signal?.throwIfAborted();
    if (this.#failures.has(method)) {
      const error = this.#failures.get(method);
      this.#failures.delete(method);
      call.error = error;
      throw error;
    }
  }
}
