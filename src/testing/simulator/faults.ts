/**
 * A failure to answer instead of running a command.
 *
 * @example
 * ```ts
 * node.faults.failNext(1, { status: '0x0001', message: 'Syntax error', command: 'GET_HOST_POWER_STATUS' });
 * ```
 */
export interface InjectedFailure {
  /** RIBCL `STATUS` (default `'0x0001'`). */
  status?: string;
  /** RIBCL `MESSAGE` or RIS message id (default `'Internal error'`). */
  message?: string;
  /** HTTP status for RIS requests (default 500). */
  httpStatus?: number;
  /** Only requests for this RIBCL command or RIS path (substring, case-insensitive) consume it. */
  command?: string;
}

/**
 * Which part of the simulated iLO a request went to.
 *
 * @example
 * ```ts
 * const risCalls = node.log.filter((e) => e.channel === 'ris');
 * ```
 */
export type SimulatedChannel = 'ribcl' | 'ris' | 'xmldata';

/** What the transport should do with the next request. */
export type ConnectionFault = { kind: 'drop' } | { kind: 'busy' } | { kind: 'none' };

interface Counted<T> {
  remaining: number;
  value: T;
}

function take<T>(queue: Counted<T>[], matches: (value: T) => boolean = () => true): T | undefined {
  const entry = queue.find((e) => e.remaining > 0 && matches(e.value));
  if (entry === undefined) return undefined;
  entry.remaining--;
  if (entry.remaining === 0) queue.splice(queue.indexOf(entry), 1);
  return entry.value;
}

/**
 * Fault injection of one simulated iLO, from the test: fail the next requests with a given
 * status, delay them, drop the connection, answer busy (HTTP 503), stay down after an iLO reset.
 *
 * @example
 * ```ts
 * node.faults.dropNext(1);          // the next request's connection is cut
 * node.faults.busyNext(2);          // then two HTTP 503 answers
 * node.faults.delayNext(1, 5_000);  // then one answer five seconds late
 * ```
 */
export class FaultInjector {
  /** Added to every answer, in milliseconds. */
  latencyMs = 0;
  /** After an iLO reset, stay unreachable until {@link FaultInjector.clear} (or `bringUp`). */
  stayDownAfterReset = false;
  private readonly failures: Counted<InjectedFailure>[] = [];
  private readonly delays: Counted<number>[] = [];
  private readonly drops: Counted<true>[] = [];
  private readonly busy: Counted<true>[] = [];

  /** The next `count` matching commands fail with `failure`. */
  failNext(count: number, failure: InjectedFailure = {}): this {
    this.failures.push({ remaining: count, value: failure });
    return this;
  }

  /** The next `count` requests are answered `ms` milliseconds late. */
  delayNext(count: number, ms: number): this {
    this.delays.push({ remaining: count, value: ms });
    return this;
  }

  /** The next `count` requests have their connection destroyed without an answer. */
  dropNext(count: number): this {
    this.drops.push({ remaining: count, value: true });
    return this;
  }

  /** The next `count` requests get HTTP 503 (the iLO is busy). */
  busyNext(count: number): this {
    this.busy.push({ remaining: count, value: true });
    return this;
  }

  /** Removes every pending fault and the latency. */
  clear(): void {
    this.latencyMs = 0;
    this.stayDownAfterReset = false;
    this.failures.length = 0;
    this.delays.length = 0;
    this.drops.length = 0;
    this.busy.length = 0;
  }

  /** @internal The delay for the request being answered. */
  takeDelay(): number {
    return this.latencyMs + (take(this.delays) ?? 0);
  }

  /** @internal Whether to cut or refuse the request being answered. */
  takeConnectionFault(): ConnectionFault {
    if (take(this.drops) !== undefined) return { kind: 'drop' };
    if (take(this.busy) !== undefined) return { kind: 'busy' };
    return { kind: 'none' };
  }

  /** @internal The failure the command `name` must answer with, if one is queued for it. */
  takeFailure(name: string): InjectedFailure | undefined {
    const wanted = name.toLowerCase();
    return take(this.failures, (f) => f.command === undefined || wanted.includes(f.command.toLowerCase()));
  }
}

/**
 * One request a simulated iLO received. Passwords and licence keys are not recorded.
 *
 * @example
 * ```ts
 * expect(node.log.filter((e) => e.command === 'SET_ONE_TIME_BOOT').at(-1)?.attributes).toEqual({ value: 'CDROM' });
 * ```
 */
export interface CommandLogEntry {
  /** When (`Date.now()`). */
  at: number;
  /** Which interface. */
  channel: SimulatedChannel;
  /** RIBCL command tag (`GET_HOST_POWER_STATUS`) or `METHOD path` for RIS and `/xmldata`. */
  command: string;
  /** The RIBCL block mode (`read` / `write`), when RIBCL. */
  mode?: string;
  /** The user who sent it, when known. */
  user?: string;
  /** The command's attributes as sent (RIBCL), secrets removed. */
  attributes?: Record<string, string>;
  /** The RIS request body, secrets removed. */
  body?: unknown;
  /** `'ok'`, a RIBCL status such as `'0x005F'`, or `'HTTP 401'`, `'dropped'`, `'busy'`. */
  outcome: string;
}
