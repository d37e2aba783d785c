/**
 * SIGINT / SIGTERM handling for the whole CLI: the first signal aborts {@link interrupted}, so
 * the running command stops cleanly (no partial image, iSCSI logout, servers closed); a second
 * one exits at once.
 */
const controller = new AbortController();

/** Aborted when the user interrupts the command (SIGINT) or the process is asked to stop (SIGTERM). */
export const interrupted: AbortSignal = controller.signal;

/** The reason {@link interrupted} carries. */
export class Interrupted extends Error {
  constructor(readonly signalName: NodeJS.Signals) {
    super(`interrupted by ${signalName}`);
    this.name = 'Interrupted';
  }
}

/** Installs the handlers; `main.ts` calls it once. */
export function installInterruptHandlers(): void {
  const onSignal = (name: NodeJS.Signals) => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort(new Interrupted(name));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

/** Resolves when {@link interrupted} aborts. */
export function untilInterrupted(): Promise<void> {
  if (interrupted.aborted) return Promise.resolve();
  return new Promise((resolve) => interrupted.addEventListener('abort', () => resolve(), { once: true }));
}
