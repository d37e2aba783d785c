import { type IloConfig, IloTimeout, isIronicIloError, type Logger } from '../../index.js';
import { nodeFor } from '../node-task.js';
import type { ReadCommand } from '../reads/index.js';
import type { FleetTarget } from './inventory.js';

/** Why one iLO could not be read. */
export interface FleetError {
  /** The error's class, for example `IloOperationError`. */
  name: string;
  /** Its stable code, for example `ILO_OPERATION_ERROR`. */
  code: string;
  /** The most specific code in its cause chain, for example `ILO_LOGIN_FAILED`: what the summary counts. */
  reason: string;
  /** Its message, on one line. */
  message: string;
}

/** One iLO's outcome. */
export type FleetResult =
  | { readonly target: FleetTarget; readonly ok: true; readonly result: unknown }
  | { readonly target: FleetTarget; readonly ok: false; readonly error: FleetError };

/** How {@link runFleet} runs. */
export interface FleetRunOptions {
  /** iLOs read at once. */
  concurrency: number;
  /** Budget of one iLO's whole read, in milliseconds. */
  timeoutMs: number;
  /** Stops starting iLOs and aborts those in flight. */
  signal: AbortSignal;
  /** The ironic.conf options. */
  config: IloConfig;
  /** The read command's flags. */
  flags: Record<string, unknown>;
  /** Where the iLOs' clients log (their retries and warnings are summed up in the results instead). */
  logger: Logger;
  /** Called as each iLO finishes, in completion order. */
  onResult?(result: FleetResult): void;
}

/** The innermost error code of a cause chain (an `IloOperationError` wrapping an `IloLoginFailed` counts as the latter). */
function reasonOf(error: unknown): string | undefined {
  let code: string | undefined;
  for (let e = error, depth = 0; e instanceof Error && depth < 8; e = e.cause, depth++) {
    if (isIronicIloError(e)) code = e.code;
  }
  return code;
}

/** An error as a fleet result reports it; anything that is not ours is `UNEXPECTED`. */
export function fleetError(error: unknown): FleetError {
  const e = error instanceof Error ? error : new Error(String(error));
  const code = isIronicIloError(e) ? e.code : 'UNEXPECTED';
  return { name: e.name, code, reason: reasonOf(e) ?? code, message: e.message.replace(/\s*\n\s*/g, ' ') };
}

/**
 * Reads one iLO within its time budget; never throws; undefined when interrupted. The client of
 * an iLO that did not finish is closed in the background (its close waits for a request the
 * abort could not cancel, bounded by `client_timeout`), so that its slot goes to the next iLO.
 */
async function readOne(
  target: FleetTarget,
  read: ReadCommand<unknown>,
  options: FleetRunOptions,
  closing: Array<Promise<void>>,
): Promise<FleetResult | undefined> {
  const timer = new AbortController();
  const timeout = setTimeout(
    () =>
      timer.abort(
        new IloTimeout(`iLO ${target.name} did not finish within ${options.timeoutMs / 1000} s`, 'total'),
      ),
    options.timeoutMs,
  );
  const signal = AbortSignal.any([options.signal, timer.signal]);
  // No request may outlive the iLO's budget, or the last close would wait for it.
  const clientTimeoutS = Math.max(
    1,
    Math.min(options.config.ilo.clientTimeout, Math.ceil(options.timeoutMs / 1000)),
  );
  const node = nodeFor(target.connection, options.config, signal, { logger: options.logger, clientTimeoutS });
  try {
    return { target, ok: true, result: await read.read(node, options.flags) };
  } catch (error) {
    if (options.signal.aborted) return undefined;
    // A read cut short by the budget should say so, even if what broke was not the iLO client.
    const timedOut = timer.signal.aborted && !options.signal.aborted && reasonOf(error) !== 'ILO_TIMEOUT';
    return { target, ok: false, error: fleetError(timedOut ? timer.signal.reason : error) };
  } finally {
    clearTimeout(timeout);
    if (signal.aborted) closing.push(node.close().catch(() => undefined));
    else await node.close();
  }
}

/**
 * Runs a read across many iLOs, at most `concurrency` at once, each within `timeoutMs`. Results
 * come back in inventory order; `onResult` sees them as they finish. Once `signal` aborts, no
 * further iLO is started and those in flight are dropped: they are absent from the results.
 */
export async function runFleet(
  targets: readonly FleetTarget[],
  read: ReadCommand<unknown>,
  options: FleetRunOptions,
): Promise<FleetResult[]> {
  const results: Array<FleetResult | undefined> = new Array(targets.length);
  const closing: Array<Promise<void>> = [];
  let next = 0;
  const worker = async () => {
    while (next < targets.length && !options.signal.aborted) {
      const i = next++;
      const result = await readOne(targets[i]!, read, options, closing);
      results[i] = result;
      if (result !== undefined) options.onResult?.(result);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, targets.length) }, worker));
  await Promise.all(closing);
  return results.filter((r): r is FleetResult => r !== undefined);
}
