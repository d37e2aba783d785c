import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidParameterValue } from '../../index.js';
import { createTestCertificate } from './certificate.js';
import type { SimulatedInventory } from './inventory.js';
import { createMediaFetcher } from './media.js';
import { type NodeSettings, SimulatedIlo } from './node.js';
import { defaultInventory, personalityOf } from './personalities.js';
import { SimulatedServer } from './server.js';

/**
 * One simulated iLO to start.
 *
 * @example
 * ```ts
 * const node: SimulatedNodeOptions = { model: 'ProLiant DL380 Gen8', power: 'OFF', inventory: { gpus: ['NVIDIA Tesla K80'] } };
 * ```
 */
export interface SimulatedNodeOptions {
  /** Product name; its generation picks the personality (default: the simulator's `model`). */
  model?: string;
  /** Replaces parts of the personality's default inventory. */
  inventory?: Partial<SimulatedInventory>;
  /** Initial host power (default `'ON'`). */
  power?: 'ON' | 'OFF';
  /** Administrator login (default: the simulator's). */
  username?: string;
  /** Administrator password (default: the simulator's). */
  password?: string;
}

/**
 * Options of {@link IloSimulator.start}.
 *
 * @example
 * ```ts
 * await using sim = await IloSimulator.start({ nodes: 3, model: 'ProLiant DL380 Gen9', resetDowntimeMs: 500 });
 * ```
 */
export interface IloSimulatorOptions {
  /** How many iLOs, or each one's options (default 1). */
  nodes?: number | readonly SimulatedNodeOptions[];
  /** Default product name (default `'ProLiant DL380 Gen9'`). */
  model?: string;
  /** Default administrator login (default `'Administrator'`). */
  username?: string;
  /** Default administrator password (default: random). */
  password?: string;
  /** Port of the first iLO, the others following it; 0 (default) gives each an ephemeral port. */
  port?: number;
  /** How long an iLO stays unreachable after `RESET_RIB` (default 2 000 ms; real iLOs take about a minute). */
  resetDowntimeMs?: number;
  /** Keep the bytes of fetched virtual media up to this size (default 8 MiB); larger ones keep size and SHA-256. */
  keepMediaBytes?: number;
  /** Verify virtual media URLs against this CA (default: no verification, as iLO 4). */
  mediaCa?: string;
  /** Size of the HTTP chunks of RIBCL replies (default 232, as recorded from an iLO 3). */
  chunkSize?: number;
  /** Requests kept in each iLO's log (default 10 000). */
  logLimit?: number;
}

/** Numbers MACs and serials across every simulator of the process, so that none repeat. */
let identities = 0;

/** CA directories of running simulators, removed even if the process exits without closing them. */
const liveDirs = new Set<string>();
let exitHookInstalled = false;

function removeOnExit(dir: string): void {
  liveDirs.add(dir);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const d of liveDirs) rmSync(d, { recursive: true, force: true });
  });
}

function validate(options: IloSimulatorOptions): void {
  const issues: Array<{ field: string; problem: string }> = [];
  const count = typeof options.nodes === 'number' ? options.nodes : (options.nodes?.length ?? 1);
  if (!Number.isInteger(count) || count < 1 || count > 20_000)
    issues.push({ field: 'nodes', problem: 'must be 1–20000 nodes' });
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port + count - 1 > 65535)
    issues.push({ field: 'port', problem: 'must leave room for every node below 65536' });
  for (const key of ['resetDowntimeMs', 'keepMediaBytes', 'chunkSize', 'logLimit'] as const) {
    const v = options[key];
    if (v !== undefined && (!Number.isInteger(v) || v < (key === 'chunkSize' ? 1 : 0)))
      issues.push({ field: key, problem: 'must be a non-negative integer' });
  }
  if (issues.length > 0) {
    throw new InvalidParameterValue(
      `Invalid simulator options: ${issues.map((i) => `${i.field} ${i.problem}`).join('; ')}`,
      { fields: issues },
    );
  }
}

/**
 * Simulated iLOs for tests: HTTPS servers on 127.0.0.1, one port per iLO, that speak RIBCL,
 * RIS `/rest/v1` (Gen9) and `/xmldata` faithfully enough that proliantutils and python-hpilo
 * accept them, over a stateful server model, with fault injection and a command log. The TLS
 * certificate is made at start; clients trust {@link IloSimulator.caPem} (or the file
 * {@link IloSimulator.caFile}). A thousand iLOs fit in one process.
 *
 * @example
 * ```ts
 * import { IloClient } from 'ironic-ilo';
 * import { IloSimulator } from 'ironic-ilo/testing';
 *
 * await using sim = await IloSimulator.start({ model: 'ProLiant DL380 Gen9' });
 * await using ilo = new IloClient(sim.nodes[0]!.clientOptions());
 * await ilo.setHostPower('OFF');
 * expect(sim.nodes[0]!.server.power).toBe('OFF');
 * ```
 */
export class IloSimulator {
  /** The CA certificate (PEM) that signed every node's certificate. */
  readonly caPem: string;
  /** A file holding {@link IloSimulator.caPem}, removed by {@link IloSimulator.close}. */
  readonly caFile: string;
  /** The simulated iLOs, in start order. */
  readonly nodes: SimulatedIlo[] = [];
  private readonly settings: NodeSettings;
  private readonly defaults: Required<Pick<IloSimulatorOptions, 'model' | 'username' | 'password'>>;
  private readonly media: ReturnType<typeof createMediaFetcher>;
  private readonly dir: string;
  private closed = false;

  private constructor(options: IloSimulatorOptions) {
    const cert = createTestCertificate();
    this.dir = mkdtempSync(join(tmpdir(), 'ilo-simulator-'));
    removeOnExit(this.dir);
    this.caFile = join(this.dir, 'ca.pem');
    writeFileSync(this.caFile, cert.caPem, { mode: 0o644 });
    this.caPem = cert.caPem;
    this.settings = {
      certPem: cert.certPem,
      keyPem: cert.keyPem,
      caPem: cert.caPem,
      caFile: this.caFile,
      resetDowntimeMs: options.resetDowntimeMs ?? 2_000,
      chunkSize: options.chunkSize ?? 232,
      logLimit: options.logLimit ?? 10_000,
    };
    this.defaults = {
      model: options.model ?? 'ProLiant DL380 Gen9',
      username: options.username ?? 'Administrator',
      password: options.password ?? randomBytes(9).toString('base64url'),
    };
    this.media = createMediaFetcher({
      keepBytes: options.keepMediaBytes ?? 8 * 1024 * 1024,
      ca: options.mediaCa,
    });
  }

  /**
   * Starts the simulated iLOs and resolves once every one listens.
   *
   * @example
   * ```ts
   * const sim = await IloSimulator.start({ nodes: [{ model: 'ProLiant DL380 G7' }, { model: 'ProLiant DL380 Gen8' }] });
   * ```
   */
  static async start(options: IloSimulatorOptions = {}): Promise<IloSimulator> {
    validate(options);
    personalityOf(options.model ?? 'ProLiant DL380 Gen9');
    const sim = new IloSimulator(options);
    const list =
      typeof options.nodes === 'number' || options.nodes === undefined
        ? Array.from({ length: options.nodes ?? 1 }, () => ({}))
        : options.nodes;
    try {
      const first = options.port ?? 0;
      await Promise.all(list.map((n, i) => sim.addNode(n, first === 0 ? 0 : first + i)));
    } catch (error) {
      await sim.close();
      throw error;
    }
    return sim;
  }

  /**
   * Starts one more simulated iLO.
   *
   * @example
   * ```ts
   * const gen8 = await sim.addNode({ model: 'ProLiant DL360 Gen8' });
   * ```
   */
  async addNode(options: SimulatedNodeOptions = {}, port = 0): Promise<SimulatedIlo> {
    const model = options.model ?? this.defaults.model;
    const personality = personalityOf(model);
    const index = identities++;
    const inventory = { ...defaultInventory(personality.generation, index), ...options.inventory };
    const server = new SimulatedServer(
      {
        personality,
        productName: model,
        inventory,
        serialNumber: `SIM${index.toString().padStart(7, '0')}`,
        uuid: randomUUID().toUpperCase(),
      },
      {
        username: options.username ?? this.defaults.username,
        password: options.password ?? this.defaults.password,
      },
      this.media.fetch,
    );
    if (options.power === 'OFF') server.power = 'OFF';
    const node = new SimulatedIlo(server, this.settings);
    this.nodes.push(node);
    await node.listen(port);
    return node;
  }

  /** The `i`-th simulated iLO. */
  node(i: number): SimulatedIlo {
    const node = this.nodes[i];
    if (node === undefined) throw new RangeError(`no simulated iLO #${i} (there are ${this.nodes.length})`);
    return node;
  }

  /** Stops every iLO, closes media fetches and removes the CA file. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(this.nodes.map((n) => n.close()));
    await this.media.close();
    rmSync(this.dir, { recursive: true, force: true });
    liveDirs.delete(this.dir);
  }

  /** Same as {@link IloSimulator.close}, for `await using`. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
