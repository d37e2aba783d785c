import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { IloClient } from '../../../src/index.js';
import type { SimulatedConnection } from '../../../src/testing/index.js';

function cli(...args: string[]): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

describe('ironic-ilo simulator', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)(
    'prints one JSON line per iLO, serves them, and cleans up on %s',
    async (stopSignal) => {
      const child = cli(
        'simulator',
        '--nodes',
        '2',
        '--model',
        'ProLiant DL380 Gen8',
        '--password',
        'cli-secret-1',
        '--json',
      );
      const done = exited(child);
      const lines = createInterface({ input: child.stdout! });
      const nodes: SimulatedConnection[] = [];
      for await (const line of lines) {
        nodes.push(JSON.parse(line) as SimulatedConnection);
        if (nodes.length === 2) break;
      }
      expect(nodes.map((n) => Object.keys(n).sort())).toEqual([
        ['address', 'caFile', 'model', 'password', 'port', 'username'],
        ['address', 'caFile', 'model', 'password', 'port', 'username'],
      ]);
      expect(nodes[0]).toMatchObject({
        address: '127.0.0.1',
        username: 'Administrator',
        password: 'cli-secret-1',
        model: 'ProLiant DL380 Gen8',
      });
      const { caFile, model: _model, ...conn } = nodes[1]!;
      await using ilo = new IloClient({ ...conn, caFile });
      expect(await ilo.getProductName()).toBe('ProLiant DL380 Gen8');
      child.kill(stopSignal);
      expect(await done).toBe(0);
      expect(existsSync(caFile)).toBe(false);
    },
  );

  it('names bad flags on one line and exits 2', async () => {
    const child = cli('simulator', '--nodes', 'many', '--port', '70000');
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += String(d)));
    expect(await exited(child)).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain('--port');
    expect(stderr).toContain('--nodes');
  });
});
