import { createHash } from 'node:crypto';
import type { IloDriverInfo } from '../config/index.js';
import { IloConnectionError, InvalidParameterValue } from '../errors/index.js';
import type { IloClient } from './client.js';
import { createIloClient, type IloClientExtraOptions } from './factory.js';
import type { IloOperations } from './operations.js';

/**
 * Where the iLO interfaces get the client of a node's iLO (kysely-style: the embedder chooses).
 * An interface acquires one client per operation (a power action and its whole wait loop, one
 * inspection, one clean step) and releases it when the operation ends, failed or not.
 *
 * Shipped: {@link perOperationClients} (a new `IloClient` per operation, closed after it:
 * Ironic's behaviour and the default) and {@link IloClientPool} (one client per iLO and
 * credentials, kept between operations: fewer connections and no product-name request per
 * operation; close it at shutdown). Tests inject a provider that returns a recording double.
 *
 * @example
 * ```ts
 * const recorded: IloOperations = recordingDouble();
 * const power = new IloPower({ clients: { acquire: () => recorded } });
 * ```
 */
export interface IloClientProvider {
  /** Lends a client for the iLO `info` describes (validated `driver_info`). */
  acquire(info: IloDriverInfo): Promise<IloOperations> | IloOperations;
  /** Takes back a client {@link IloClientProvider.acquire} lent; the provider keeps or closes it. */
  release?(client: IloOperations): Promise<void> | void;
}

/**
 * A provider that makes a new `IloClient` for every operation and closes it when the operation
 * ends, as Ironic built a proliantutils client per call. Nothing to close afterwards.
 *
 * @example
 * ```ts
 * const power = new IloPower({ clients: perOperationClients({ logger, retry: { attempts: 5 } }) });
 * ```
 */
export function perOperationClients(extra: IloClientExtraOptions = {}): IloClientProvider {
  const open = new Map<IloOperations, IloClient>();
  return {
    acquire(info) {
      const client = createIloClient(info, extra);
      open.set(client, client);
      return client;
    },
    async release(client) {
      const owned = open.get(client);
      if (owned === undefined) return;
      open.delete(client);
      await owned.close();
    },
  };
}

/**
 * Options of {@link IloClientPool}: the client options that do not come from `driver_info`, and
 * how many idle clients to keep.
 *
 * @example
 * ```ts
 * const pool = new IloClientPool({ logger, maxIdleClients: 2000 });
 * ```
 */
export interface IloClientPoolOptions extends IloClientExtraOptions {
  /**
   * Idle clients kept for reuse (default 256); beyond that the least recently used idle ones are
   * closed. Clients in use are never closed by the pool, except by {@link IloClientPool.close}.
   */
  maxIdleClients?: number;
}

interface PoolEntry {
  key: string;
  client: IloClient;
  leases: number;
}

/** Identifies an iLO and the way to log in to it; the password only as a digest. */
function keyOf(info: IloDriverInfo): string {
  const parts = [
    info.iloAddress,
    info.clientPort,
    info.iloUsername,
    createHash('sha256').update(info.iloPassword).digest('hex'),
    String(info.verifyCa),
    info.clientTimeout,
  ];
  return JSON.stringify(parts);
}

/**
 * Keeps one `IloClient` per iLO, credentials and TLS setting, and lends it to every operation
 * on that node, concurrent ones included (the client bounds its own concurrency per iLO). The
 * first operation reads the product name; later ones do not. A changed password (after
 * `reset_ilo_credential`) gets a new client; the old one ages out as an idle client. Close the
 * pool at shutdown (or `await using` it).
 *
 * @example
 * ```ts
 * await using clients = new IloClientPool({ logger });
 * const power = new IloPower({ config, clients, logger });
 * const management = new IloManagement({ config, clients, logger });
 * ```
 */
export class IloClientPool implements IloClientProvider, AsyncDisposable {
  private readonly extra: IloClientExtraOptions;
  private readonly maxIdle: number;
  /** Insertion order is recency of use: the first idle entries are the least recently used. */
  private readonly entries = new Map<string, PoolEntry>();
  private readonly byClient = new Map<IloOperations, PoolEntry>();
  private closed = false;

  constructor(options: IloClientPoolOptions = {}) {
    const { maxIdleClients = 256, ...extra } = options;
    if (!Number.isInteger(maxIdleClients) || maxIdleClients < 0) {
      throw new InvalidParameterValue('maxIdleClients must be a non-negative integer.', {
        fields: [{ field: 'maxIdleClients', problem: 'must be a non-negative integer' }],
      });
    }
    this.maxIdle = maxIdleClients;
    this.extra = extra;
  }

  /** Clients the pool holds, idle or lent. */
  get size(): number {
    return this.entries.size;
  }

  /** @inheritDoc IloClientProvider.acquire */
  acquire(info: IloDriverInfo): IloOperations {
    if (this.closed) throw new IloConnectionError('The iLO client pool is closed');
    const key = keyOf(info);
    let entry = this.entries.get(key);
    if (entry === undefined) {
      entry = { key, client: createIloClient(info, this.extra), leases: 0 };
      this.byClient.set(entry.client, entry);
    } else {
      this.entries.delete(key);
    }
    this.entries.set(key, entry);
    entry.leases++;
    return entry.client;
  }

  /** @inheritDoc IloClientProvider.release */
  async release(client: IloOperations): Promise<void> {
    const entry = this.byClient.get(client);
    if (entry === undefined || entry.leases === 0) return;
    entry.leases--;
    await this.trim();
  }

  private async trim(): Promise<void> {
    const idle = [...this.entries.values()].filter((e) => e.leases === 0);
    const excess = idle.slice(0, Math.max(0, idle.length - this.maxIdle));
    for (const entry of excess) this.forget(entry);
    await Promise.all(excess.map((e) => e.client.close()));
  }

  private forget(entry: PoolEntry): void {
    this.entries.delete(entry.key);
    this.byClient.delete(entry.client);
  }

  /** Closes every client, lent ones included; later `acquire` calls throw. Idempotent. */
  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.entries.values()];
    for (const entry of all) this.forget(entry);
    await Promise.all(all.map((e) => e.client.close()));
  }

  /** Same as {@link IloClientPool.close}, for `await using`. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
