/**
 * What the ramdisk does once it booted: look its node up until found (or give up), then
 * heartbeat on a timer and after every asynchronous command, one heartbeat at a time (a
 * conductor still busy with the last one would refuse the next).
 */
import type {
  FakeAgentHeartbeatRecord,
  FakeAgentLookup,
  FakeAgentLookupRecord,
  FakeAgentLookupResult,
  FakeAgentOptions,
} from './types.js';

function abortable(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * Looks the node up through the embedder's hook, retrying while it finds nothing. Resolves with
 * the node, or with why the boot failed.
 */
export async function lookUp(
  options: FakeAgentOptions,
  parameters: Readonly<Record<string, string>>,
  macs: readonly string[],
  records: FakeAgentLookupRecord[],
  signal: AbortSignal,
): Promise<FakeAgentLookupResult | string> {
  const hook = options.lookup;
  if (hook === undefined) return 'no lookup hook was given and no node UUID';
  const deadline = Date.now() + (options.lookupTimeoutMs ?? 30_000);
  const request: FakeAgentLookup = { macs: [...macs], parameters };
  if (parameters.BOOTIF !== undefined) request.bootif = parameters.BOOTIF;
  if (parameters['ipa-driver-name'] !== undefined) request.driverName = parameters['ipa-driver-name'];
  if (parameters['ipa-api-url'] !== undefined) request.apiUrl = parameters['ipa-api-url'];
  for (;;) {
    const record: FakeAgentLookupRecord = { ...request, macs: [...macs] };
    records.push(record);
    try {
      const found = await hook(request);
      if (found) {
        record.found = found.uuid;
        return found;
      }
    } catch (e) {
      record.error = e instanceof Error ? e.message : String(e);
    }
    if (signal.aborted) return 'the ramdisk stopped';
    if (Date.now() >= deadline) return 'lookup timed out: no node matched';
    await abortable(options.lookupRetryMs ?? 250, signal);
  }
}

/** The heartbeat loop of a running ramdisk. */
export class Heartbeats {
  /** No heartbeat is sent while set. */
  silent = false;
  #timer: NodeJS.Timeout | undefined;
  #inFlight: Promise<void> | undefined;
  #again = false;
  readonly #waiters = new Set<(record: FakeAgentHeartbeatRecord) => void>();

  constructor(
    private readonly intervalMs: number,
    private readonly running: () => boolean,
    /** Calls the embedder's hook; never rejects (a hook's failure is in the record). */
    private readonly send: () => Promise<Omit<FakeAgentHeartbeatRecord, 'at'>>,
    private readonly keep: (record: FakeAgentHeartbeatRecord) => void,
  ) {}

  /** Heartbeats now, then every interval. */
  start(): void {
    this.stop();
    this.#timer = setInterval(() => void this.beat(), this.intervalMs);
    this.#timer.unref();
    void this.beat();
  }

  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** A heartbeat as soon as the one in flight (if any) is answered (the agent's `force_heartbeat`). */
  soon(): void {
    void this.beat();
  }

  /** Sends one heartbeat, or queues one after the heartbeat in flight. */
  async beat(): Promise<void> {
    if (this.#inFlight !== undefined) {
      this.#again = true;
      return this.#inFlight;
    }
    if (!this.running() || this.silent) return;
    const at = Date.now();
    this.#inFlight = this.send().then((sent) => this.#settle({ at, ...sent }));
    await this.#inFlight;
  }

  /** The next heartbeat sent. */
  next(timeoutMs: number): Promise<FakeAgentHeartbeatRecord> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters.delete(done);
        reject(new Error(`no heartbeat within ${timeoutMs} ms`));
      }, timeoutMs);
      timer.unref();
      const done = (record: FakeAgentHeartbeatRecord) => {
        clearTimeout(timer);
        resolve(record);
      };
      this.#waiters.add(done);
    });
  }

  #settle(record: FakeAgentHeartbeatRecord): void {
    this.keep(record);
    this.#inFlight = undefined;
    for (const waiter of [...this.#waiters]) {
      this.#waiters.delete(waiter);
      waiter(record);
    }
    if (this.#again) {
      this.#again = false;
      void this.beat();
    }
  }
}
