import { describe, expect, it } from 'vitest';
import type { FleetTarget } from '../../../src/cli/fleet/inventory.js';
import { summarize, summaryLine } from '../../../src/cli/fleet/report.js';
import { type FleetRunOptions, runFleet } from '../../../src/cli/fleet/run.js';
import type { CliNode } from '../../../src/cli/node-task.js';
import type { ReadCommand } from '../../../src/cli/reads/index.js';
import {
  IloLoginFailed,
  IloOperationError,
  noopLogger,
  parseConfig,
  toIloOperationError,
} from '../../../src/index.js';

const targets = (n: number): FleetTarget[] =>
  Array.from({ length: n }, (_, i) => ({
    where: `ilos.txt:${i + 1}`,
    name: `ilo-${i}`,
    connection: { address: `ilo-${i}`, username: 'Administrator', password: 'pw', insecure: false },
  }));

const options = (overrides: Partial<FleetRunOptions> = {}): FleetRunOptions => ({
  concurrency: 4,
  timeoutMs: 60_000,
  signal: new AbortController().signal,
  config: parseConfig(),
  flags: {},
  logger: noopLogger,
  ...overrides,
});

/** A read that answers with the node's address once `release` lets it, tracking how many run at once. */
function gatedRead(read: (node: CliNode) => Promise<unknown> = async (node) => node.task.node.uuid) {
  const state = { running: 0, peak: 0, started: 0 };
  const command: ReadCommand<unknown> = {
    words: ['test'],
    description: 'test',
    columns: [],
    async read(node) {
      state.started++;
      state.running++;
      state.peak = Math.max(state.peak, state.running);
      try {
        await new Promise((r) => setImmediate(r));
        return await read(node);
      } finally {
        state.running--;
      }
    },
  };
  return { command, state };
}

describe('runFleet', () => {
  it('reads every iLO, never more than `concurrency` at once, results in inventory order', async () => {
    const { command, state } = gatedRead();
    const seen: string[] = [];
    const results = await runFleet(
      targets(50),
      command,
      options({ onResult: (r) => seen.push(r.target.name) }),
    );
    expect(state.peak).toBe(4);
    expect(results.map((r) => (r.ok ? r.result : r.error))).toEqual(targets(50).map((t) => t.name));
    expect(seen.sort()).toEqual(
      targets(50)
        .map((t) => t.name)
        .sort(),
    );
  });

  it('reports failures by their most specific code, wrapped or not', async () => {
    const { command } = gatedRead(async (node) => {
      const n = Number(node.task.node.uuid.slice(4));
      if (n % 3 === 1) throw toIloOperationError(new IloLoginFailed('Login failed.'), 'iLO get_power_status');
      if (n % 3 === 2) throw new IloOperationError({ operation: 'Get boot device', error: 'x' });
      return 'ok';
    });
    const results = await runFleet(targets(9), command, options());
    const summary = summarize(9, results);
    expect(summary).toEqual({
      total: 9,
      ok: 3,
      failed: 6,
      notRun: 0,
      failures: { ILO_LOGIN_FAILED: 3, ILO_OPERATION_ERROR: 3 },
    });
    expect(summaryLine(summary)).toBe('9 iLOs: 3 OK, 6 failed (ILO_LOGIN_FAILED 3, ILO_OPERATION_ERROR 3)');
    const failed = results.find((r) => !r.ok);
    expect(failed?.ok === false && failed.error).toMatchObject({
      name: 'IloOperationError',
      code: 'ILO_OPERATION_ERROR',
      reason: 'ILO_LOGIN_FAILED',
    });
  });

  it('gives up on an iLO that outlives its budget with ILO_TIMEOUT, and goes on with the others', async () => {
    const { command } = gatedRead(async (node) => {
      if (node.task.node.uuid !== 'ilo-1') return 'ok';
      // An operation that honours its signal, as every library operation does, but never finishes.
      await new Promise((_, reject) =>
        node.signal.addEventListener('abort', () => reject(node.signal.reason)),
      );
    });
    // A budget no healthy read comes near, even on a loaded machine; only the hung one reaches it.
    const results = await runFleet(targets(3), command, options({ timeoutMs: 500 }));
    expect(results.map((r) => (r.ok ? 'ok' : r.error.reason))).toEqual(['ok', 'ILO_TIMEOUT', 'ok']);
    expect(results[1]?.ok === false && results[1].error.message).toBe(
      'iLO ilo-1 did not finish within 0.5 s',
    );
  });

  it('starts no further iLO once interrupted, and drops those in flight', async () => {
    const interrupt = new AbortController();
    const { command, state } = gatedRead(async (node) => {
      if (node.task.node.uuid === 'ilo-5') interrupt.abort(new Error('interrupted by SIGINT'));
      node.signal.throwIfAborted();
      return 'ok';
    });
    const results = await runFleet(targets(40), command, options({ signal: interrupt.signal }));
    expect(state.started).toBeLessThan(40);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(summarize(40, results).notRun).toBe(40 - results.length);
    expect(summaryLine(summarize(40, results))).toMatch(/, \d+ not run \(interrupted\)$/);
  });
});
