/** Writes a result: one JSON line with `--json`, otherwise aligned `key  value` rows. */
export function printResult(data: unknown, json: boolean, out: NodeJS.WritableStream = process.stdout): void {
  if (json) {
    out.write(`${JSON.stringify(data)}\n`);
    return;
  }
  if (data !== null && typeof data === 'object' && !Array.isArray(data)) {
    printRows(
      Object.entries(data as Record<string, unknown>).map(
        ([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)] as const,
      ),
      out,
    );
    return;
  }
  out.write(`${typeof data === 'string' ? data : JSON.stringify(data)}\n`);
}

/** Writes `label  value` rows with the labels aligned, or plain lines. */
export function printRows(
  rows: ReadonlyArray<readonly [string, string]> | readonly string[],
  out: NodeJS.WritableStream = process.stdout,
): void {
  const pairs = rows.filter((r): r is readonly [string, string] => typeof r !== 'string');
  const width = Math.max(0, ...pairs.map(([k]) => k.length));
  for (const row of rows)
    out.write(typeof row === 'string' ? `${row}\n` : `${row[0].padEnd(width)}  ${row[1]}\n`);
}

/**
 * Writes a table: upper-case headers, columns as wide as their widest cell. A row with fewer
 * cells than headers lets its last cell run on (a failure's message) without widening a column.
 */
export function printTable(
  headers: readonly string[],
  rows: ReadonlyArray<readonly string[]>,
  out: NodeJS.WritableStream = process.stdout,
): void {
  const fits = (r: readonly string[], i: number) => r.length === headers.length || i < r.length - 1;
  const widths = headers.map((h, i) =>
    Math.max(h.length, ...rows.map((r) => (fits(r, i) ? (r[i] ?? '').length : 0))),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  out.write(`${line(headers)}\n`);
  for (const row of rows) out.write(`${line(row)}\n`);
}
