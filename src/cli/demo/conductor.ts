/**
 * A conductor in miniature, written on the public API only (`ironic-ilo` and
 * `ironic-ilo/testing`): the shape an embedder writes around the drivers. It owns the nodes
 * (in memory), one driver per driver name, one lock per node, the provision-state transitions,
 * and routes the ramdisk's callbacks (lookup, heartbeat, pass_deploy_info) to the node's driver.
 */
import {
  type AgentHeartbeat,
  automatedCleanSteps,
  type HeartbeatOutcome,
  type IloDriver,
  InstanceDeployFailure,
  InvalidParameterValue,
  type JsonValue,
  type Node,
  NodeNotFound,
  type PlannedCleanStep,
  type Port,
  type ProvisionEvent,
  type ProvisionState,
  UnsupportedDriverExtension,
} from '../../index.js';
import { createTestTask, type TestTask } from '../../testing/index.js';

/** What the conductor reports as it works. */
export interface ConductorHooks {
  /** A provision-state transition was applied. */
  transition(node: string, event: ProvisionEvent, from: ProvisionState, to: ProvisionState): void;
  /** A clean step is about to run. */
  cleanStep(step: PlannedCleanStep): void;
  /** A heartbeat was handled. */
  heartbeat(node: string, outcome: HeartbeatOutcome): void;
}

const FAILED: readonly ProvisionState[] = ['deploy failed', 'clean failed', 'inspect failed', 'error'];

export class DemoConductor {
  private readonly nodes = new Map<string, TestTask>();
  private readonly locks = new Map<string, Promise<unknown>>();

  constructor(
    private readonly drivers: ReadonlyMap<string, IloDriver>,
    private readonly hooks: ConductorHooks,
    private readonly signal?: AbortSignal,
  ) {}

  /** Enrols a node: it starts in `enroll`, as in Ironic. */
  enrol(node: Partial<Node>, ports: Port[] = []): TestTask {
    const task = createTestTask(
      { provisionState: 'enroll', ...node },
      { ports, ...(this.signal === undefined ? {} : { signal: this.signal }) },
    );
    const apply = task.processEvent.bind(task);
    task.processEvent = async (event) => {
      const from = task.node.provisionState;
      await apply(event);
      this.hooks.transition(task.node.uuid, event, from, task.node.provisionState);
    };
    this.nodes.set(task.node.uuid, task);
    return task;
  }

  /** Every node enrolled. */
  tasks(): TestTask[] {
    return [...this.nodes.values()];
  }

  task(uuid: string): TestTask {
    const task = this.nodes.get(uuid);
    if (task === undefined) throw new NodeNotFound({ node: uuid });
    return task;
  }

  /** The driver of a node, by its `driver` field (Ironic's classic driver names). */
  driverOf(task: TestTask): IloDriver {
    const driver = this.drivers.get(task.node.driver);
    if (driver === undefined)
      throw new InvalidParameterValue(
        `Node ${task.node.uuid} has driver ${task.node.driver}, which is not loaded.`,
        {
          fields: [{ field: 'driver', problem: `not one of ${[...this.drivers.keys()].join(', ')}` }],
        },
      );
    return driver;
  }

  /** `manage`, then out-of-band inspection: `inspecting` → `manageable`. */
  inspect(uuid: string): Promise<void> {
    return this.locked(uuid, async (task) => {
      const inspector = this.driverOf(task).inspect;
      if (inspector === undefined)
        throw new UnsupportedDriverExtension({ extension: 'inspect', driver: task.node.driver });
      if (task.node.provisionState === 'enroll') await task.processEvent('manage');
      await task.processEvent('inspect');
      try {
        await inspector.inspectHardware(task);
      } catch (error) {
        await task.processEvent('fail');
        throw error;
      }
      await task.processEvent('done');
    });
  }

  /**
   * `provide`: automated cleaning with the management interface's (out-of-band) steps, highest
   * priority first, then `available`. Resolves with the steps run.
   */
  clean(uuid: string): Promise<PlannedCleanStep[]> {
    return this.locked(uuid, async (task) => {
      const management = this.driverOf(task).management;
      await task.processEvent('provide');
      const steps = automatedCleanSteps(await management.getCleanSteps(task));
      try {
        for (const step of steps) {
          this.hooks.cleanStep(step);
          task.node.cleanStep = { ...step } as unknown as Record<string, JsonValue>;
          await management.executeCleanStep(task, step);
        }
      } catch (error) {
        task.node.lastError = `Failed to clean: ${(error as Error).message}`;
        await task.processEvent('fail');
        throw error;
      } finally {
        task.node.cleanStep = null;
      }
      await task.processEvent('done');
      return steps;
    });
  }

  /** Ironic's `do_node_deploy`: validate, `deploy`, prepare, deploy; then the ramdisk calls back. */
  deploy(uuid: string): Promise<void> {
    return this.locked(uuid, async (task) => {
      const driver = this.driverOf(task);
      await driver.deploy.validate(task);
      await task.processEvent('deploy');
      try {
        await driver.deploy.prepare(task);
        if ((await driver.deploy.deploy(task)) === 'wait call-back') await task.processEvent('wait');
      } catch (error) {
        task.node.lastError = `Failed to deploy: ${(error as Error).message}`;
        await task.processEvent('fail');
        throw error;
      }
    });
  }

  /** The ramdisk's lookup by MAC, through the vendor route of the node's driver. */
  async lookup(macs: readonly string[]): Promise<{ uuid: string } | null> {
    const node = this.nodeByMacs(macs);
    if (node === undefined) return null;
    const found = (await this.driverOf(this.task(node.uuid)).vendor.lookup({ addresses: [...macs] })) as {
      node: { uuid: string };
    };
    return { uuid: found.node.uuid };
  }

  heartbeat(uuid: string, beat: AgentHeartbeat): Promise<HeartbeatOutcome> {
    return this.locked(uuid, async (task) => {
      const outcome = await this.driverOf(task).vendor.heartbeat(task, beat);
      this.hooks.heartbeat(uuid, outcome);
      return outcome;
    });
  }

  passDeployInfo(uuid: string, args: Record<string, JsonValue>): Promise<void> {
    return this.locked(uuid, (task) => this.driverOf(task).vendor.passDeployInfo(task, args));
  }

  /**
   * Ironic's `do_node_tear_down`: `delete`, tear down, clean up, then `available` (the cleaning
   * that follows in Ironic is the one shown by {@link DemoConductor.clean}; it is not repeated).
   */
  tearDown(uuid: string): Promise<void> {
    return this.locked(uuid, async (task) => {
      const driver = this.driverOf(task);
      await task.processEvent('delete');
      await driver.deploy.tearDown(task);
      await driver.deploy.cleanUp(task);
      await task.processEvent('done');
      await task.processEvent('done');
    });
  }

  /** Resolves when the node reaches `state`; rejects when it fails or `timeoutMs` passes. */
  async waitFor(uuid: string, state: ProvisionState, timeoutMs: number): Promise<void> {
    const task = this.task(uuid);
    const deadline = Date.now() + timeoutMs;
    while (task.node.provisionState !== state) {
      this.signal?.throwIfAborted();
      if (FAILED.includes(task.node.provisionState) || Date.now() > deadline) {
        throw new InstanceDeployFailure({
          reason: `node ${uuid} is ${task.node.provisionState}, not ${state}${
            task.node.lastError ? `: ${task.node.lastError}` : ''
          }`,
        });
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  /** The node that owns one of these MACs (the drivers' `lookupNode`). */
  nodeByMacs(macs: readonly string[]): Node | undefined {
    const wanted = new Set(macs.map((m) => m.toLowerCase()));
    const found = [...this.nodes.values()].filter((t) => t.ports.some((p) => wanted.has(p.address)));
    return found.length === 1 ? found[0]?.node : undefined;
  }

  /** Runs `fn` holding the node's lock: one operation per node at a time, as Ironic's task manager. */
  private locked<T>(uuid: string, fn: (task: TestTask) => Promise<T>): Promise<T> {
    const task = this.task(uuid);
    const run = (this.locks.get(uuid) ?? Promise.resolve()).then(() => fn(task));
    this.locks.set(
      uuid,
      run.catch(() => undefined),
    );
    return run;
  }
}
