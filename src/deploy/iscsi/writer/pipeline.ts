/**
 * Keeps up to `depth` writes in flight: the next one is admitted when one finishes, and the
 * first failure stops admissions. Memory is bounded by depth × transfer size, whatever the
 * image size.
 */
export class WritePipeline {
  private readonly running = new Set<Promise<void>>();
  private failure: { error: unknown } | undefined;

  constructor(private readonly depth: number) {}

  /** Starts `work` once a slot is free; throws the first failure seen so far. */
  async submit(work: () => Promise<void>): Promise<void> {
    while (this.running.size >= this.depth && this.failure === undefined) await Promise.race(this.running);
    if (this.failure) throw this.failure.error;
    const p: Promise<void> = work()
      .catch((error: unknown) => {
        this.failure ??= { error };
      })
      .finally(() => this.running.delete(p));
    this.running.add(p);
  }

  /** Waits for every write; throws the first failure. */
  async drain(): Promise<void> {
    await Promise.all(this.running);
    if (this.failure) throw this.failure.error;
  }

  /** Waits for every write, ignoring failures (on the way out of an error). */
  async settle(): Promise<void> {
    await Promise.all(this.running);
  }
}
