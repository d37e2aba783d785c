/** Writes a result: one JSON line with `--json`, otherwise aligned `key  value` rows. */
export function printResult(data: unknown, json: boolean, out: NodeJS.WritableStream = process.stdout): void {
  if (json) {
    out.write(`${JSON.stringify(data)}\n`);
    return;
  }
  if (data !== null && typeof data === 'object' && !Array.isArray(data)) {
    const rows = Object.entries(data as Record<string, unknown>);
    const width = Math.max(0, ...rows.map(([k]) => k.length));
    for (const [k, v] of rows)
      out.write(`${k.padEnd(width)}  ${typeof v === 'string' ? v : JSON.stringify(v)}\n`);
    return;
  }
  out.write(`${typeof data === 'string' ? data : JSON.stringify(data)}\n`);
}
