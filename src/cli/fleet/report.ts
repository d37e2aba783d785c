import { printTable } from '../output.js';
import type { ReadCommand } from '../reads/index.js';
import type { FleetResult } from './run.js';

/** What a fleet run came to. */
export interface FleetSummary {
  /** iLOs in the inventory. */
  total: number;
  /** iLOs read. */
  ok: number;
  /** iLOs that failed. */
  failed: number;
  /** iLOs not read because the run was interrupted. */
  notRun: number;
  /** Failures by their most specific error code. */
  failures: Record<string, number>;
}

/** Counts the results. */
export function summarize(total: number, results: readonly FleetResult[]): FleetSummary {
  const failures: Record<string, number> = {};
  let ok = 0;
  for (const r of results) {
    if (r.ok) ok++;
    else failures[r.error.reason] = (failures[r.error.reason] ?? 0) + 1;
  }
  const sorted = Object.fromEntries(
    Object.entries(failures).sort(([a, x], [b, y]) => y - x || a.localeCompare(b)),
  );
  return { total, ok, failed: results.length - ok, notRun: total - results.length, failures: sorted };
}

/** `200 iLOs: 188 OK, 12 failed (ILO_LOGIN_FAILED 7, ILO_TIMEOUT 5)`. */
export function summaryLine(s: FleetSummary): string {
  const reasons = Object.entries(s.failures).map(([code, n]) => `${code} ${n}`);
  const failed = s.failed === 0 ? '0 failed' : `${s.failed} failed (${reasons.join(', ')})`;
  const notRun = s.notRun === 0 ? '' : `, ${s.notRun} not run (interrupted)`;
  return `${s.total} iLO${s.total === 1 ? '' : 's'}: ${s.ok} OK, ${failed}${notRun}`;
}

/** One JSON line per iLO, as it finishes. */
export function jsonLine(read: ReadCommand<unknown>, r: FleetResult): string {
  const body = r.ok ? { ok: true, result: read.json?.(r.result) ?? r.result } : { ok: false, error: r.error };
  return `${JSON.stringify({ ilo: r.target.name, ...body })}\n`;
}

/** The table: one row per iLO in inventory order, failures with their code and message. */
export function printFleetTable(read: ReadCommand<unknown>, results: readonly FleetResult[]): void {
  const headers = ['ILO', 'STATUS', ...read.columns.map((c) => c.header)];
  printTable(
    headers,
    results.map((r) =>
      r.ok
        ? [r.target.name, 'OK', ...read.columns.map((c) => c.cell(r.result))]
        : [r.target.name, r.error.reason, r.error.message],
    ),
  );
}
