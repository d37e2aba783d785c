/**
 * A conductor in miniature, on the public API only: it owns the nodes (in-memory tasks), takes
 * one lock per node, runs Ironic's deploy and tear-down sequences, routes the ramdisk's callbacks
 * (lookup, heartbeat, pass_deploy_info) to the driver's vendor interface and fails deploys whose
 * ramdisk never calls back. The shape an embedder writes around a driver.
 */
import {
  type AgentHeartbeat,
  failDeployAfterCallbackTimeout,
  type HeartbeatOutcome,
  type IloDriver,
  type InstanceDeployFailure,
  type JsonValue,
  type Node,
  type NodeLookup,
  NodeNotFound,
  type Port,
} from '../../../src/index.js';
import { createTestTask, type TestTask } from '../../../src/testing/index.js';

export class MiniConductor {
  readonly driver: IloDriver;
  readonly tasks = new Map<string, TestTask>();
  /** Every heartbeat's outcome, per node, in order. */
  readonly outcomes = new Map<string, HeartbeatOutcome[]>();
  private readonly locks = new Map<string, Promise<unknown>>();
  private readonly waitingSince = new Map<string, number>();

  /** `makeDriver` gets the conductor's node lookup (by port MAC), for the agent's `lookup`. */
  constructor(makeDriver: (lookupNode: NodeLookup) => IloDriver) {
    this.driver = makeDriver(async (macs) => this.nodeByMacs(macs));
  }

  /** Registers a node (and its ports) with this conductor. */
  adopt(node: Partial<Node>, ports: Port[]): TestTask {
    const task = createTestTask(
      { driver: this.driver.name, provisionState: 'available', ...node },
      { ports },
    );
    this.tasks.set(task.node.uuid, task);
    return task;
  }

  task(uuid: string): TestTask {
    const task = this.tasks.get(uuid);
    if (task === undefined) throw new NodeNotFound({ node: uuid });
    return task;
  }

  /** Ironic's `do_node_deploy`: validate, `deploy`, prepare, deploy, then wait for the callback. */
  deploy(uuid: string): Promise<void> {
    return this.locked(uuid, async (task) => {
      await this.driver.deploy.validate(task);
      await task.processEvent('deploy');
      try {
        await this.driver.deploy.prepare(task);
        if ((await this.driver.deploy.deploy(task)) === 'wait call-back') {
          await task.processEvent('wait');
          this.waitingSince.set(uuid, Date.now());
        }
      } catch (error) {
        task.node.lastError = `Failed to deploy: ${(error as Error).message}`;
        await task.processEvent('fail');
        throw error;
      }
    });
  }

  /** The agent's lookup, through the driver's vendor route; `null` when no node matches. */
  async lookup(macs: string[]): Promise<{ uuid: string } | null> {
    try {
      const found = (await this.driver.vendor.lookup({ addresses: macs })) as { node: { uuid: string } };
      return { uuid: found.node.uuid };
    } catch (error) {
      if (error instanceof NodeNotFound) return null;
      throw error;
    }
  }

  heartbeat(uuid: string, beat: AgentHeartbeat): Promise<HeartbeatOutcome> {
    return this.locked(uuid, async (task) => {
      const outcome = await this.driver.vendor.heartbeat(task, beat);
      this.outcomes.set(uuid, [...(this.outcomes.get(uuid) ?? []), outcome]);
      if (outcome.action === 'deploy-started' || outcome.action === 'deploy-in-progress')
        this.waitingSince.set(uuid, Date.now());
      return outcome;
    });
  }

  passDeployInfo(uuid: string, args: Record<string, JsonValue>): Promise<void> {
    return this.locked(uuid, (task) => this.driver.vendor.passDeployInfo(task, args));
  }

  /** Ironic's `do_node_tear_down`, then cleaning skipped (no automated clean steps): `available`. */
  tearDown(uuid: string): Promise<void> {
    return this.locked(uuid, async (task) => {
      await task.processEvent('delete');
      await this.driver.deploy.tearDown(task);
      await this.driver.deploy.cleanUp(task);
      await task.processEvent('done');
      await task.processEvent('done');
    });
  }

  /** Ironic's `_do_takeover`: prepare, then take over. */
  takeOver(uuid: string): Promise<void> {
    return this.locked(uuid, async (task) => {
      await this.driver.deploy.prepare(task);
      await this.driver.deploy.takeOver(task);
    });
  }

  /** Fails every node that has waited for its ramdisk longer than `limitMs`. */
  async checkCallbackTimeouts(limitMs: number): Promise<{ uuid: string; error: InstanceDeployFailure }[]> {
    const failed: { uuid: string; error: InstanceDeployFailure }[] = [];
    for (const [uuid, since] of this.waitingSince) {
      if (Date.now() - since <= limitMs) continue;
      await this.locked(uuid, async (task) => {
        if (task.node.provisionState !== 'wait call-back') return;
        failed.push({ uuid, error: await failDeployAfterCallbackTimeout(task, this.driver) });
      });
      this.waitingSince.delete(uuid);
    }
    return failed;
  }

  private nodeByMacs(macs: readonly string[]): Node | undefined {
    const wanted = new Set(macs.map((m) => m.toLowerCase()));
    const found = [...this.tasks.values()].filter((t) => t.ports.some((p) => wanted.has(p.address)));
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
