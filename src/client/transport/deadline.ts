/**
 * An AbortSignal that fires when `ms` elapse or a parent signal aborts, whichever is first,
 * and knows which. Cheaper than `AbortSignal.any` + `AbortSignal.timeout` per request, and its
 * timer and listener are released by `dispose()`.
 */
export class Deadline {
  /** Aborts at the deadline (reason: a `DeadlineExpired`) or with the parent's reason. */
  readonly signal: AbortSignal;
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;
  private expiredFlag = false;
  private readonly onParentAbort = (): void => this.controller.abort(this.parent?.reason);

  constructor(
    ms: number,
    private readonly parent?: AbortSignal,
  ) {
    this.signal = this.controller.signal;
    this.timer = setTimeout(() => {
      this.expiredFlag = true;
      this.controller.abort(new DeadlineExpired(ms));
    }, ms);
    this.timer.unref();
    if (parent?.aborted) this.controller.abort(parent.reason);
    else parent?.addEventListener('abort', this.onParentAbort, { once: true });
  }

  /** Whether the deadline itself fired (rather than the parent). */
  get expired(): boolean {
    return this.expiredFlag;
  }

  /** Stops the timer and detaches from the parent. */
  dispose(): void {
    clearTimeout(this.timer);
    this.parent?.removeEventListener('abort', this.onParentAbort);
  }
}

/** The reason a {@link Deadline} aborts with. */
export class DeadlineExpired extends Error {
  constructor(ms: number) {
    super(`deadline of ${ms} ms expired`);
  }
}
