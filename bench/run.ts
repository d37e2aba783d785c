/**
 * `npm run bench -- <name>…`: runs the benchmarks `bench/<name>.bench.ts` (all when none is
 * named). Each compares this library with what a user would use instead, in one run, and prints
 * a table of ratios. Benchmarks are not tests: nothing here asserts a time.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** What every `bench/<name>.bench.ts` exports. */
export interface Benchmark {
  /** One line saying what it compares. */
  description: string;
  /** Runs it and prints its table to stdout. */
  run(args: readonly string[]): Promise<void>;
}

const dir = import.meta.dirname;
const available = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .map((f) => f.slice(0, -'.bench.ts'.length))
  .sort();
const [first, ...rest] = process.argv.slice(2);
const names = first === undefined ? available : [first];
const unknown = names.filter((n) => !available.includes(n));
if (unknown.length > 0) {
  process.stderr.write(
    `unknown benchmark ${unknown.join(', ')}; available: ${available.join(', ') || 'none yet'}\n`,
  );
  process.exit(2);
}
for (const name of names) {
  const bench = (await import(join(dir, `${name}.bench.ts`))) as Benchmark;
  process.stdout.write(`\n## ${name}: ${bench.description}\n\n`);
  await bench.run(rest);
}
