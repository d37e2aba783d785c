import { type ChildProcessWithoutNullStreams, execFileSync, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import type { SimulatedConnection } from '../../src/testing/index.js';

/** Debian's Python (a pyenv `python3` earlier on PATH lacks the Debian modules). */
export const PYTHON = '/usr/bin/python3';
const DRIVER = resolve(__dirname, '../integration/client/python/drive.py');

/** Why proliantutils or python-hpilo cannot run here, or undefined. */
export function pythonClientsMissing(): string | undefined {
  try {
    execFileSync(PYTHON, ['-c', 'import proliantutils.ilo.client, hpilo'], { stdio: 'ignore' });
    return undefined;
  } catch {
    return 'python3-proliantutils and python3-hpilo (Debian) importable by /usr/bin/python3';
  }
}

/** What a Python call answered. */
export type PythonAnswer = { ok: unknown } | { error: string; message: string };

/** A proliantutils or python-hpilo client in its own process, driven one call at a time. */
export class PythonIlo {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly lines: Interface;
  private readonly pending: Array<(line: string) => void> = [];

  constructor(kind: 'proliantutils' | 'hpilo', node: SimulatedConnection) {
    const env: NodeJS.ProcessEnv = { ...process.env, PYTHONWARNINGS: 'ignore' };
    // python-requests would take these over the CA given to the client.
    delete env.REQUESTS_CA_BUNDLE;
    delete env.CURL_CA_BUNDLE;
    this.child = spawn(
      PYTHON,
      [DRIVER, kind, node.address, String(node.port), node.username, node.password, node.caFile],
      { env },
    );
    this.lines = createInterface({ input: this.child.stdout });
    this.lines.on('line', (line) => this.pending.shift()?.(line));
  }

  /** Calls `op(...args)` on the Python client. */
  call(op: string, ...args: unknown[]): Promise<PythonAnswer> {
    return new Promise((resolve) => {
      this.pending.push((line) => resolve(JSON.parse(line) as PythonAnswer));
      this.child.stdin.write(`${JSON.stringify({ op, args })}\n`);
    });
  }

  /** Calls `op` and returns its result, throwing what the Python client raised. */
  async value<T = unknown>(op: string, ...args: unknown[]): Promise<T> {
    const answer = await this.call(op, ...args);
    if ('error' in answer) throw new Error(`${op}: ${answer.error}: ${answer.message}`);
    return answer.ok as T;
  }

  /** Ends the Python process. */
  async close(): Promise<void> {
    const done = new Promise((r) => this.child.once('exit', r));
    this.child.stdin.end();
    await done;
  }
}
