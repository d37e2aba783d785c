import { afterAll, beforeAll } from 'vitest';
import type { IloClientProvider, IloConfigInput, IloOperations, Logger, Node } from '../../src/index.js';
import { IloClient, parseConfig } from '../../src/index.js';
import {
  createTestTask,
  IloSimulator,
  type IloSimulatorOptions,
  type SimulatedIlo,
  type TestTask,
  VirtualClock,
} from '../../src/testing/index.js';

/** One server of each simulated generation, in this order. */
export const MODELS = ['ProLiant DL380 G7', 'ProLiant DL380 Gen8', 'ProLiant DL380 Gen9'] as const;
/** Indexes of {@link MODELS}. */
export const [G7, GEN8, GEN9] = [0, 1, 2] as const;

/** Starts a simulator before the file's tests and stops it after them; returns a getter. */
export function useSimulator(options: IloSimulatorOptions = { nodes: MODELS.map((model) => ({ model })) }) {
  let sim: IloSimulator | undefined;
  beforeAll(async () => {
    sim = await IloSimulator.start(options);
  });
  afterAll(async () => {
    await sim?.close();
  });
  return (): IloSimulator => {
    if (sim === undefined) throw new Error('the simulator starts in beforeAll');
    return sim;
  };
}

/** A logger that keeps every line (message and fields as JSON) for assertions. */
export interface RecordingLogger extends Logger {
  /** `level message {fields}` lines, oldest first. */
  readonly lines: string[];
  /** Lines of one level. */
  of(level: 'debug' | 'info' | 'warn' | 'error'): string[];
}

export function recordingLogger(): RecordingLogger {
  const lines: string[] = [];
  const write = (level: string) => (message: string, fields?: Record<string, unknown>) => {
    lines.push(`${level} ${message}${fields === undefined ? '' : ` ${JSON.stringify(fields)}`}`);
  };
  return {
    lines,
    of: (level) => lines.filter((l) => l.startsWith(`${level} `)).map((l) => l.slice(level.length + 1)),
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
  };
}

/** `driver_info` that reaches a simulated iLO, trusting the simulator's CA. */
export function driverInfoOf(node: SimulatedIlo, caFile: string): Node['driverInfo'] {
  return {
    ilo_address: node.address,
    client_port: node.port,
    ilo_username: node.username,
    ilo_password: node.password,
    ca_file: caFile,
  };
}

/** A task for a simulated iLO's node. */
export function taskFor(
  node: SimulatedIlo,
  caFile: string,
  fields: Partial<Node> = {},
  options: { shared?: boolean; signal?: AbortSignal } = {},
): TestTask {
  const { driverInfo, ...rest } = fields;
  return createTestTask({ driverInfo: { ...driverInfoOf(node, caFile), ...driverInfo }, ...rest }, options);
}

/** What every interface under test is built with: quick waits on a virtual clock, a recording logger. */
export function testOptions(config: IloConfigInput = {}) {
  const clock = new VirtualClock();
  const logger = recordingLogger();
  const base = { ilo: { powerRetry: 2, powerWait: 2, ...config.ilo } };
  return { config: parseConfig({ ...config, ...base }), clock, logger };
}

/** The commands a simulated iLO received since `from` (an index into its log). */
export function commandsSince(node: SimulatedIlo, from = 0): string[] {
  return node.log.slice(from).map((e) => e.command);
}

/**
 * A provider lending a real client of the simulated iLO wrapped so that some operations answer
 * as scripted: the seam for answers the simulator cannot give (a status a real iLO never sends).
 */
export function scriptedClients(
  node: SimulatedIlo,
  overrides: (client: IloOperations) => Partial<IloOperations>,
): IloClientProvider & { closeAll(): Promise<void> } {
  const made: IloClient[] = [];
  return {
    acquire() {
      const client = new IloClient(node.clientOptions({ retry: { attempts: 1 } }));
      made.push(client);
      return new Proxy(client, {
        get(target, prop, receiver) {
          const replaced = (overrides(target) as Record<PropertyKey, unknown>)[prop];
          if (replaced !== undefined) return replaced;
          const value = Reflect.get(target, prop, receiver);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
    },
    async closeAll() {
      await Promise.all(made.map((c) => c.close()));
    },
  };
}
