import { randomUUID } from 'node:crypto';
import type { Node, Port, ProvisionEvent, ProvisionState, Task } from '../index.js';
import { InvalidStateRequested } from '../index.js';

/** Transitions of Ironic's provision-state machine (Mitaka) that drivers trigger. */
const TRANSITIONS: Record<ProvisionEvent, Partial<Record<ProvisionState, ProvisionState>>> = {
  manage: {
    enroll: 'manageable',
    'inspect failed': 'manageable',
    'clean failed': 'manageable',
    available: 'manageable',
  },
  provide: { manageable: 'cleaning' },
  inspect: { manageable: 'inspecting' },
  clean: { manageable: 'cleaning' },
  deploy: { available: 'deploying', 'deploy failed': 'deploying' },
  rebuild: { active: 'deploying' },
  delete: {
    active: 'deleting',
    'deploy failed': 'deleting',
    'wait call-back': 'deleting',
    error: 'deleting',
  },
  wait: { deploying: 'wait call-back', cleaning: 'clean wait' },
  resume: { 'wait call-back': 'deploying', 'clean wait': 'cleaning' },
  done: { deploying: 'active', cleaning: 'available', inspecting: 'manageable', deleting: 'cleaning' },
  fail: {
    deploying: 'deploy failed',
    'wait call-back': 'deploy failed',
    cleaning: 'clean failed',
    'clean wait': 'clean failed',
    inspecting: 'inspect failed',
    deleting: 'error',
  },
  abort: { 'clean wait': 'clean failed', 'wait call-back': 'deploy failed' },
};

/** A {@link Task} for tests, with what happened to it recorded for assertions. */
export interface TestTask extends Task {
  /** How many times `save()` was called. */
  readonly saves: number;
  /** Snapshots of the node taken at each `save()`, oldest first. */
  readonly saved: readonly Node[];
  /** Every event processed, in order. */
  readonly events: readonly ProvisionEvent[];
}

/** Options of {@link createTestTask}. */
export interface TestTaskOptions {
  /** The node's ports (default none). */
  ports?: Port[];
  /** Whether only a shared lock is held (default `false`). */
  shared?: boolean;
  /** Cancels the task's operations. */
  signal?: AbortSignal;
}

/**
 * A Task backed by memory: `save()` snapshots the node, `processEvent()` runs Ironic's
 * provision-state transitions and rejects the ones Ironic would reject. Fields of the node not
 * given get neutral defaults.
 *
 * @example
 * ```ts
 * const task = createTestTask({ driver: 'agent_ilo', driverInfo: { ilo_address: '127.0.0.1', ilo_username: 'u', ilo_password: 'p' } });
 * await driver.power.validate(task);
 * expect(task.events).toEqual([]);
 * ```
 */
export function createTestTask(node: Partial<Node> = {}, options: TestTaskOptions = {}): TestTask {
  const full: Node = {
    uuid: randomUUID(),
    driver: 'fake_ilo',
    driverInfo: {},
    instanceInfo: {},
    driverInternalInfo: {},
    properties: {},
    provisionState: 'manageable',
    powerState: null,
    maintenance: false,
    ...node,
  };
  const saved: Node[] = [];
  const events: ProvisionEvent[] = [];
  const task: TestTask = {
    node: full,
    ports: options.ports ?? [],
    shared: options.shared ?? false,
    ...(options.signal ? { signal: options.signal } : {}),
    get saves() {
      return saved.length;
    },
    saved,
    events,
    async save() {
      saved.push(structuredClone(task.node));
    },
    async processEvent(event: ProvisionEvent) {
      const next = TRANSITIONS[event][task.node.provisionState];
      if (next === undefined) {
        throw new InvalidStateRequested({
          action: event,
          node: task.node.uuid,
          state: task.node.provisionState,
        });
      }
      events.push(event);
      task.node.provisionState = next;
    },
  };
  return task;
}
