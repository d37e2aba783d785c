import { vi } from 'vitest';
import { runCli } from '../../src/cli/program.js';

/** What one run of the CLI printed, and its exit code. */
export interface CliRun {
  /** Exit code. */
  code: number;
  /** Everything written to stdout. */
  out: string;
  /** Everything written to stderr. */
  err: string;
}

/**
 * Runs `ironic-ilo <args>` in this process, capturing stdout and stderr; `env` is set for the
 * run only (ILO_PASSWORD, typically).
 */
export async function runCaptured(
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<CliRun> {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    const code = await runCli(['node', 'ironic-ilo', ...args]);
    const text = (spy: typeof out) => spy.mock.calls.map((c) => String(c[0])).join('');
    return { code, out: text(out), err: text(err) };
  } finally {
    out.mockRestore();
    err.mockRestore();
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

/** The JSON lines of a run's stdout. */
export function jsonLines(out: string): Array<Record<string, unknown>> {
  return out
    .trim()
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}
