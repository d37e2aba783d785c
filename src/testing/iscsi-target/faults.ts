/**
 * Fault injection of the simulated iSCSI target: refused logins, connections dropped after some
 * commands or bytes, a target that stops answering, commands failing with given sense data,
 * and a LUN that reports less capacity than it has.
 */
import type { FaultHooks, LoginRefusal } from './portal.js';
import type { SenseCondition } from './scsi/outcome.js';

/**
 * Why a login is refused, as the initiator's `IscsiLoginFailed.reason` names it (plus the
 * target-side status classes).
 *
 * @example
 * ```ts
 * sim.faults.refuseLogin({ reason: 'service-unavailable' });
 * ```
 */
export type LoginRefusalReason =
  | 'authentication-failed'
  | 'authorization-failed'
  | 'target-not-found'
  | 'target-removed'
  | 'too-many-connections'
  | 'target-error'
  | 'service-unavailable'
  | 'out-of-resources';

const STATUS: Record<LoginRefusalReason, LoginRefusal> = {
  'authentication-failed': { statusClass: 2, statusDetail: 0x01 },
  'authorization-failed': { statusClass: 2, statusDetail: 0x02 },
  'target-not-found': { statusClass: 2, statusDetail: 0x03 },
  'target-removed': { statusClass: 2, statusDetail: 0x04 },
  'too-many-connections': { statusClass: 2, statusDetail: 0x06 },
  'target-error': { statusClass: 3, statusDetail: 0x00 },
  'service-unavailable': { statusClass: 3, statusDetail: 0x01 },
  'out-of-resources': { statusClass: 3, statusDetail: 0x02 },
};

/**
 * Options of {@link IscsiTargetFaults.refuseLogin}.
 *
 * @example
 * ```ts
 * const options: RefuseLoginOptions = { reason: 'authorization-failed', times: 2 };
 * ```
 */
export interface RefuseLoginOptions {
  /** Why (default `'authorization-failed'`). */
  reason?: LoginRefusalReason;
  /** How many logins are refused (default 1). */
  times?: number;
}

/**
 * When {@link IscsiTargetFaults.dropConnection} cuts the connection: give exactly one.
 *
 * @example
 * ```ts
 * const options: DropConnectionOptions = { afterBytesWritten: 8 * 2 ** 20 };
 * ```
 */
export interface DropConnectionOptions {
  /** Let this many SCSI commands through, then drop the connection when the next one arrives. */
  afterCommands?: number;
  /** Drop the connection once this many bytes of Data-Out have reached the LUN. */
  afterBytesWritten?: number;
}

/**
 * When {@link IscsiTargetFaults.stall} freezes the target.
 *
 * @example
 * ```ts
 * const options: StallOptions = { at: 'command', afterCommands: 10 };
 * ```
 */
export interface StallOptions {
  /** `'command'` (default): when a SCSI command arrives; `'login'`: when a Login Request arrives. */
  at?: 'login' | 'command';
  /** With `at: 'command'`, let this many commands through first (default 0). */
  afterCommands?: number;
}

/**
 * A stall: the frozen connection reads and answers nothing until {@link StallHandle.release}.
 *
 * @example
 * ```ts
 * const stall = sim.faults.stall();
 * await expect(writer.write(target, request)).rejects.toBeInstanceOf(IscsiTimeout);
 * stall.release();
 * ```
 */
export interface StallHandle {
  /** Whether a connection has been frozen by it. */
  readonly fired: boolean;
  /** Thaws the frozen connection (held PDUs are then handled in order), or disarms the stall. */
  release(): void;
}

/**
 * Options of {@link IscsiTargetFaults.failCommands}: which commands, and the sense data.
 *
 * @example
 * ```ts
 * const options: FailCommandOptions = { command: 'WRITE', senseKey: 0x3, asc: 0x0c, ascq: 0x00, times: 1 };
 * ```
 */
export interface FailCommandOptions extends SenseCondition {
  /** Command name (`'WRITE(16)'`), or its family (`'WRITE'` matches every `WRITE(n)`); default every command. */
  command?: string;
  /** Only commands to this LUN. */
  lun?: number;
  /** Only commands to this target. */
  targetName?: string;
  /** How many commands fail (default 1). */
  times?: number;
}

/**
 * Options of {@link IscsiTargetFaults.reportCapacity}.
 *
 * @example
 * ```ts
 * const options: ReportCapacityOptions = { targetName: iqn, lun: 1, sizeBytes: 32 * 2 ** 20 };
 * ```
 */
export interface ReportCapacityOptions {
  /** The target. */
  targetName: string;
  /** The LUN (default 1). */
  lun?: number;
  /** The capacity READ CAPACITY reports, and which bounds the LBAs accepted (a multiple of the block size). */
  sizeBytes: number;
}

interface Armed<T> {
  left: number;
  value: T;
}

/** How the simulator applies a capacity fault. */
export type CapacityReporter = (options: ReportCapacityOptions | undefined) => void;

/**
 * The faults armed on a simulated target, from the test's side. Each fault fires the number of
 * times asked (once by default) and is then gone; {@link IscsiTargetFaults.clear} disarms all.
 *
 * @example
 * ```ts
 * sim.faults.dropConnection({ afterCommands: 20 });
 * await expect(writer.write(sim.iscsiTarget(iqn), request)).rejects.toBeInstanceOf(IscsiConnectionError);
 * ```
 */
export class IscsiTargetFaults {
  private readonly refusals: Armed<LoginRefusal>[] = [];
  private readonly failures: Armed<FailCommandOptions>[] = [];
  private readonly drops: Array<{ commands?: number; bytes?: number }> = [];
  private readonly stalls: Array<StallOptions & { left: number; handle: Stall }> = [];
  private readonly frozen = new Set<Stall>();

  /** @internal */
  constructor(private readonly capacity: CapacityReporter) {}

  /** Refuses the next logins with a Login Response of the reason's status. */
  refuseLogin(options: RefuseLoginOptions = {}): this {
    this.refusals.push({ left: options.times ?? 1, value: STATUS[options.reason ?? 'authorization-failed'] });
    return this;
  }

  /** Cuts the connection (no Logout, no status) after some commands or bytes. */
  dropConnection(options: DropConnectionOptions): this {
    if ((options.afterCommands === undefined) === (options.afterBytesWritten === undefined))
      throw new RangeError('dropConnection needs exactly one of afterCommands and afterBytesWritten');
    this.drops.push({ commands: options.afterCommands, bytes: options.afterBytesWritten });
    return this;
  }

  /** Freezes the connection that meets the condition: it reads and answers nothing until released. */
  stall(options: StallOptions = {}): StallHandle {
    const handle = new Stall(this);
    this.stalls.push({ ...options, left: options.afterCommands ?? 0, handle });
    return handle;
  }

  /** Makes matching commands end with CHECK CONDITION and the given sense. */
  failCommands(options: FailCommandOptions): this {
    this.failures.push({ left: options.times ?? 1, value: options });
    return this;
  }

  /** Makes a LUN report (and enforce) a smaller capacity, as a disk that shrank would. */
  reportCapacity(options: ReportCapacityOptions): this {
    this.capacity(options);
    return this;
  }

  /** Disarms every fault, thaws frozen connections and restores reported capacities. */
  clear(): void {
    this.refusals.length = 0;
    this.failures.length = 0;
    this.drops.length = 0;
    this.stalls.length = 0;
    for (const s of [...this.frozen]) s.release();
    this.capacity(undefined);
  }

  /** @internal The hooks connections call. */
  readonly hooks: FaultHooks = {
    loginRefusal: () => take(this.refusals, () => true),
    commandFailure: (targetName, lun, command) => {
      const hit = take(
        this.failures,
        (f) =>
          (f.command === undefined || command === f.command || command.startsWith(`${f.command}(`)) &&
          (f.lun === undefined || f.lun === lun) &&
          (f.targetName === undefined || f.targetName === targetName),
      );
      return hit && { senseKey: hit.senseKey, asc: hit.asc, ascq: hit.ascq };
    },
    dropAfterCommand: () => this.countDown('commands', 1),
    dropAfterBytes: (bytes) => this.countDown('bytes', bytes),
    stallAt: (at) => {
      const stall = this.stalls.find((s) => (s.at ?? 'command') === at);
      if (stall === undefined) return undefined;
      if (stall.left-- > 0) return undefined;
      this.stalls.splice(this.stalls.indexOf(stall), 1);
      return (thaw) => stall.handle.freeze(thaw);
    },
  };

  /** @internal */
  noteFrozen(stall: Stall, frozen: boolean): void {
    if (frozen) this.frozen.add(stall);
    else this.frozen.delete(stall);
  }

  /** @internal */
  disarm(stall: Stall): void {
    const at = this.stalls.findIndex((s) => s.handle === stall);
    if (at >= 0) this.stalls.splice(at, 1);
  }

  private countDown(kind: 'commands' | 'bytes', n: number): boolean {
    const drop = this.drops.find((d) => d[kind] !== undefined);
    if (drop === undefined) return false;
    if (kind === 'commands' ? drop.commands! > 0 : drop.bytes! > n) {
      drop[kind]! -= n;
      return false;
    }
    this.drops.splice(this.drops.indexOf(drop), 1);
    return true;
  }
}

/** @internal A stall's handle. */
class Stall implements StallHandle {
  private thaw: (() => void) | undefined;
  fired = false;

  constructor(private readonly faults: IscsiTargetFaults) {}

  freeze(thaw: () => void): void {
    this.fired = true;
    this.thaw = thaw;
    this.faults.noteFrozen(this, true);
  }

  release(): void {
    this.faults.disarm(this);
    const thaw = this.thaw;
    this.thaw = undefined;
    this.faults.noteFrozen(this, false);
    thaw?.();
  }
}

function take<T>(queue: Armed<T>[], matches: (value: T) => boolean): T | undefined {
  const entry = queue.find((e) => e.left > 0 && matches(e.value));
  if (entry === undefined) return undefined;
  if (--entry.left === 0) queue.splice(queue.indexOf(entry), 1);
  return entry.value;
}
