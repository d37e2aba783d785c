import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { InvalidParameterValue, type IscsiTarget, noopLogger, redactingLogger } from '../../index.js';
import { TargetConnection } from './connection.js';
import { IscsiTargetFaults } from './faults.js';
import { type IscsiTargetSessionInfo, type IscsiTargetStats, sessionInfo } from './info.js';
import { listen } from './listen.js';
import { LoginNegotiator } from './login.js';
import type { SimulatedLun } from './lun.js';
import { DEFAULT_NEGOTIATION, type IscsiTargetNegotiation } from './negotiation.js';
import {
  type IscsiTargetSimulatorOptions,
  type SimulatedTargetOptions,
  simulatorIssues,
  targetIssues,
  throwIfIssues,
} from './options.js';
import type { Counters, PortalContext, SessionRecord } from './portal.js';
import type { LunIdentity } from './scsi/inquiry.js';
import { FullFeatureSession } from './session.js';
import { SimulatedTarget } from './target.js';
import { TempDirectory } from './temp-directory.js';

/** What INQUIRY reports for a LUN that does not exist (with peripheral qualifier 3). */
const NO_LUN: LunIdentity = {
  vendor: 'IRONIC',
  product: 'SIMULATED DISK',
  revision: '0001',
  serial: '',
  naa: Buffer.alloc(8),
};

/**
 * An iSCSI target in this process (RFC 7143, SPC-4/SBC-3 subset), for tests and the demo: the
 * deploy ramdisk's side of iscsi_ilo without tgt, root or anything installed. It serves targets
 * with LUNs in sparse files or memory (terabytes cost nothing until written), logs initiators in
 * with or without CHAP (mutual too), negotiates like a real target — tgt's defaults in
 * {@link TGT_NEGOTIATION} — answers SendTargets, the disk commands initiators send (INQUIRY and
 * its VPD pages, READ CAPACITY, READ/WRITE with immediate, unsolicited and R2T-solicited data,
 * WRITE SAME, UNMAP, SYNCHRONIZE CACHE, MODE SENSE, REPORT LUNS…) and keeps a CmdSN window so
 * several commands run at once. Tests see its sessions, counters and LUN contents, and inject
 * faults; `close()` ends every session and removes its temp files.
 *
 * @example
 * ```ts
 * import { IscsiDiskWriter } from 'ironic-ilo';
 * import { IscsiTargetSimulator } from 'ironic-ilo/testing';
 *
 * const iqn = 'iqn.2008-10.org.openstack:node-1';
 * await using sim = await IscsiTargetSimulator.start({ targets: [{ iqn, luns: [{ sizeBytes: 2 ** 30 }] }] });
 * const result = await new IscsiDiskWriter().write(sim.iscsiTarget(iqn), { image: { path: 'disk.raw' } });
 * expect(sim.lun(iqn).bytesWritten).toBeGreaterThan(0);
 * expect(sim.sessions).toHaveLength(0); // the writer logged out
 * ```
 */
export class IscsiTargetSimulator {
  /** Fault injection. */
  readonly faults: IscsiTargetFaults;
  private readonly server: Server;
  private readonly byName = new Map<string, SimulatedTarget>();
  private readonly live = new Map<SessionRecord, FullFeatureSession>();
  private readonly sockets = new Map<Socket, Promise<void>>();
  private readonly counters: Counters = {
    logins: 0,
    failedLogins: 0,
    commands: new Map(),
    bytesWritten: 0,
    bytesRead: 0,
    peakInFlight: 0,
  };
  private readonly defaults: Readonly<Required<IscsiTargetNegotiation>>;
  private readonly portal: PortalContext;
  private readonly temp: TempDirectory;
  private address = { host: '127.0.0.1', port: 0 };
  private nextTsih = 1;
  private closing: Promise<void> | undefined;

  private constructor(options: IscsiTargetSimulatorOptions) {
    this.defaults = { ...DEFAULT_NEGOTIATION, ...options.negotiation };
    this.temp = new TempDirectory(options.tempDirectory ?? tmpdir());
    const logger = redactingLogger(options.logger ?? noopLogger, () =>
      [...this.byName.values()].flatMap((t) => [t.model.chap?.secret, t.model.mutualChap?.secret]),
    );
    this.faults = new IscsiTargetFaults((o) => this.reportCapacity(o));
    this.portal = {
      logger,
      negotiation: this.defaults,
      nopInIntervalMs: options.nopInIntervalMs,
      faults: this.faults.hooks,
      counters: this.counters,
      target: (name) => this.byName.get(name.toLowerCase())?.model,
      targets: () => [...this.byName.values()].map((t) => t.model),
      hasSession: (tsih) => [...this.live.keys()].some((r) => r.tsih === tsih),
      open: (record) => this.open(record),
      close: (record) => {
        if (this.live.delete(record)) logger.info('iSCSI session closed', { tsih: record.tsih });
      },
    };
    this.server = createServer((socket) => this.accept(socket));
  }

  /**
   * Starts listening (127.0.0.1 and an ephemeral port by default) with the given targets.
   *
   * @example
   * ```ts
   * const sim = await IscsiTargetSimulator.start({
   *   targets: [{ iqn, chap: { username: 'ironic', secret }, luns: [{ lun: 1, sizeBytes: 3 * 2 ** 40, thin: true }] }],
   * });
   * ```
   */
  static async start(options: IscsiTargetSimulatorOptions = {}): Promise<IscsiTargetSimulator> {
    throwIfIssues('iSCSI target simulator options', simulatorIssues(options));
    options.signal?.throwIfAborted();
    const sim = new IscsiTargetSimulator(options);
    try {
      for (const [i, t] of (options.targets ?? []).entries()) await sim.create(t, `targets[${i}]`);
      options.signal?.throwIfAborted();
      const host = options.host ?? '127.0.0.1';
      sim.address = { host, port: await listen(sim.server, host, options.port ?? 0, options.signal) };
    } catch (e) {
      await sim.close();
      throw e;
    }
    return sim;
  }

  /** The address listened on. */
  get host(): string {
    return this.address.host;
  }

  /** The port listened on (the ephemeral one when started with port 0). */
  get port(): number {
    return this.address.port;
  }

  /** The targets served. */
  get targets(): readonly SimulatedTarget[] {
    return [...this.byName.values()];
  }

  /** Sessions in full feature phase now. */
  get sessions(): IscsiTargetSessionInfo[] {
    return [...this.live.keys()].map(sessionInfo);
  }

  /** Counters since start. */
  get stats(): IscsiTargetStats {
    const luns = this.targets.flatMap((t) => t.luns);
    return {
      logins: this.counters.logins,
      failedLogins: this.counters.failedLogins,
      commands: Object.fromEntries(this.counters.commands),
      bytesWritten: luns.reduce((n, l) => n + l.bytesWritten, 0) + this.counters.bytesWritten,
      bytesRead: luns.reduce((n, l) => n + l.bytesRead, 0) + this.counters.bytesRead,
      maxCommandsInFlight: this.counters.peakInFlight,
    };
  }

  /**
   * A target by name (case-insensitive, as iSCSI names are).
   *
   * @example
   * ```ts
   * expect(sim.target(iqn).chapRequired).toBe(true);
   * ```
   */
  target(iqn: string): SimulatedTarget {
    const target = this.byName.get(iqn.toLowerCase());
    if (target === undefined) throw new RangeError(`no simulated target ${iqn}`);
    return target;
  }

  /**
   * A LUN of a target.
   *
   * @example
   * ```ts
   * const bytes = await sim.lun(iqn, 1).read(0, 512);
   * ```
   */
  lun(iqn: string, lun = 1): SimulatedLun {
    return this.target(iqn).lun(lun);
  }

  /**
   * Where `IscsiDiskWriter` finds a LUN: what the deploy ramdisk would post to `pass_deploy_info`.
   *
   * @example
   * ```ts
   * await new IscsiDiskWriter().write(sim.iscsiTarget(iqn), request);
   * ```
   */
  iscsiTarget(iqn: string, lun = 1): IscsiTarget {
    this.target(iqn).lun(lun);
    return { address: this.reachableHost(), port: this.port, iqn, lun };
  }

  /**
   * A libiscsi URL of a LUN (`iscsi://127.0.0.1:3260/iqn…/1`), for `iscsi-inq`, `qemu-img`….
   *
   * @example
   * ```ts
   * execFileSync('iscsi-inq', [sim.url(iqn)]);
   * ```
   */
  url(iqn: string, lun = 1): string {
    const host = this.reachableHost();
    return `iscsi://${host.includes(':') ? `[${host}]` : host}:${this.port}/${iqn}/${lun}`;
  }

  /**
   * Adds a target while running (for example when a fake deploy ramdisk is told to start one).
   *
   * @example
   * ```ts
   * await sim.addTarget({ iqn: 'iqn.2008-10.org.openstack:node-2', luns: [{ lun: 1, path: diskFile }] });
   * ```
   */
  async addTarget(
    options: SimulatedTargetOptions,
    opts: { signal?: AbortSignal } = {},
  ): Promise<SimulatedTarget> {
    const issues = targetIssues(options, 'target');
    if (this.byName.has(String(options.iqn).toLowerCase()))
      issues.push({ field: 'target.iqn', problem: 'names a target already served' });
    throwIfIssues('iSCSI target', issues);
    opts.signal?.throwIfAborted();
    return this.create(options, 'target');
  }

  /**
   * Removes a target: its sessions are dropped, its temp files removed.
   *
   * @example
   * ```ts
   * await sim.removeTarget(iqn);
   * ```
   */
  async removeTarget(iqn: string): Promise<void> {
    const target = this.target(iqn);
    this.byName.delete(iqn.toLowerCase());
    await this.dropSessions((r) => r.target === target.model);
    this.keepCounts(target);
    await target.close();
  }

  /** Ends every session, stops listening and removes temp files. Idempotent. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  /** Same as {@link IscsiTargetSimulator.close}, for `await using`. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  private async shutdown(): Promise<void> {
    const stopped = new Promise<void>((resolve) => this.server.close(() => resolve()));
    await this.dropSessions(() => true);
    // Connections still logging in.
    const sockets = [...this.sockets];
    for (const [socket] of sockets) socket.destroy();
    await Promise.all(sockets.map(([, closed]) => closed));
    this.faults.clear();
    if (this.server.listening) await stopped;
    await Promise.all([...this.byName.values()].map((t) => t.close()));
    this.byName.clear();
    this.temp.remove();
  }

  /** Drops matching sessions and waits for their tasks (writes to the LUNs included). */
  private async dropSessions(which: (r: SessionRecord) => boolean): Promise<void> {
    const sessions = [...this.live.entries()].filter(([r]) => which(r));
    for (const [record] of sessions) record.drop('removed');
    await Promise.all(sessions.map(([, s]) => s.idle()));
  }

  private async create(options: SimulatedTargetOptions, at: string): Promise<SimulatedTarget> {
    const target = await SimulatedTarget.create(options, this.defaults, () => this.temp.path(), at);
    if (this.closing !== undefined || this.byName.has(options.iqn.toLowerCase())) {
      await target.close();
      throw new InvalidParameterValue(`Invalid iSCSI target: ${at}.iqn is already served`, {
        fields: [{ field: `${at}.iqn`, problem: 'is already served (or the simulator is closing)' }],
      });
    }
    this.byName.set(options.iqn.toLowerCase(), target);
    return target;
  }

  private accept(socket: Socket): void {
    if (this.closing !== undefined) {
      socket.destroy();
      return;
    }
    const conn = new TargetConnection(socket);
    this.sockets.set(socket, new Promise((resolve) => socket.once('close', () => resolve())));
    socket.once('close', () => this.sockets.delete(socket));
    const login = new LoginNegotiator(conn, this.portal, (result) => {
      const session = new FullFeatureSession(conn, result, this.portal, NO_LUN);
      this.portal.open(session.record);
      this.live.set(session.record, session);
      conn.use(session);
      result.accept(session.record.tsih);
      this.counters.logins++;
      this.portal.logger.info('iSCSI session open', {
        tsih: session.record.tsih,
        initiator: result.initiatorName,
        target: result.target?.iqn,
        type: result.type,
      });
    });
    conn.use({ handle: (pdu) => login.handle(pdu), closed: () => {} });
  }

  /** Registers a session: a TSIH, and session reinstatement (RFC 7143 § 6.3.5) of an older one. */
  private open(record: SessionRecord): void {
    for (const old of this.live.keys()) {
      const same =
        old.type === record.type &&
        old.target === record.target &&
        old.isid.equals(record.isid) &&
        old.initiatorName.toLowerCase() === record.initiatorName.toLowerCase();
      if (same) old.drop('reinstated');
    }
    const used = new Set([...this.live.keys()].map((r) => r.tsih));
    while (used.has(this.nextTsih) || this.nextTsih === 0) this.nextTsih = (this.nextTsih + 1) & 0xffff;
    record.tsih = this.nextTsih;
    this.nextTsih = (this.nextTsih + 1) & 0xffff;
  }

  private reachableHost(): string {
    if (this.host === '0.0.0.0') return '127.0.0.1';
    if (this.host === '::') return '::1';
    return this.host;
  }

  private reportCapacity(options: { targetName: string; lun?: number; sizeBytes: number } | undefined): void {
    if (options === undefined) {
      for (const l of this.targets.flatMap((t) => t.luns)) l.report(undefined);
      return;
    }
    const lun = this.lun(options.targetName, options.lun ?? 1);
    if (
      !Number.isSafeInteger(options.sizeBytes) ||
      options.sizeBytes < lun.blockSize ||
      options.sizeBytes % lun.blockSize !== 0
    )
      throw new InvalidParameterValue(
        'Invalid capacity fault: sizeBytes must be a positive multiple of the block size',
        {
          fields: [{ field: 'sizeBytes', problem: `must be a positive multiple of ${lun.blockSize}` }],
        },
      );
    lun.report(options.sizeBytes);
  }

  /** Keeps a removed target's byte counts in the totals. */
  private keepCounts(target: SimulatedTarget): void {
    for (const l of target.luns) {
      this.counters.bytesWritten += l.bytesWritten;
      this.counters.bytesRead += l.bytesRead;
    }
  }
}
