import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

function cli(args: string[], env: NodeJS.ProcessEnv = process.env): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env,
  });
}

async function run(
  args: string[],
  env?: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = cli(args, env);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d) => (stdout += String(d)));
  child.stderr?.on('data', (d) => (stderr += String(d)));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { code, stdout, stderr };
}

describe('ironic-ilo agent and fake-agent', () => {
  it('queries and drives a running fake agent, then stops it on SIGTERM', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cli-agent-'));
    const fake = cli(['fake-agent', '--disk', join(dir, 'disk.img'), '--disk-size', String(2 ** 20)]);
    const exited = new Promise<number | null>((resolve) => fake.once('exit', resolve));
    try {
      const [line] = await createInterface({ input: fake.stdout! })
        [Symbol.asyncIterator]()
        .next()
        .then((r) => [r.value as string]);
      const { url, disk } = JSON.parse(line as string) as { url: string; disk: string };
      expect(disk).toBe(join(dir, 'disk.img'));

      const status = await run(['agent', 'status', '--url', url, '--json']);
      expect(status.code).toBe(0);
      expect(JSON.parse(status.stdout)).toMatchObject({ version: 'ironic-ilo-fake-agent' });

      const sync = await run(['agent', 'run', 'standby.sync', '--url', url, '--wait']);
      expect(sync.code).toBe(0);
      expect(JSON.parse(sync.stdout)).toMatchObject({ command_name: 'sync', command_status: 'SUCCEEDED' });

      const commands = await run(['agent', 'commands', '--url', url]);
      expect(commands.stdout).toMatch(/^\S+ {2}sync {2}SUCCEEDED\n$/);

      const logs = await run(['agent', 'logs', '--url', url, '--output', join(dir, 'logs.tar.gz')]);
      expect(logs.code).toBe(0);
      expect(
        gunzipSync(await readFile(join(dir, 'logs.tar.gz')))
          .subarray(0, 14)
          .toString(),
      ).toBe('fake-agent.log');

      const unknown = await run(['agent', 'run', 'nosuch.cmd', '--url', url]);
      expect(unknown.code).toBe(1);
      expect(unknown.stderr.trim().split('\n')).toHaveLength(1);
      expect(unknown.stderr).toContain(
        'AgentAPIError [AGENT_API_ERROR]: Agent API for node unknown returned HTTP status code 404',
      );
    } finally {
      fake.kill('SIGTERM');
      expect(await exited).toBe(0);
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('names bad flags on one line and exits 2', async () => {
    const bad = await run([
      'agent',
      'run',
      'standby.sync',
      '--url',
      'http://127.0.0.1:9',
      '--params',
      '[1]',
      '--timeout',
      'x',
      '--token-file',
      '/nonexistent',
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--timeout must be a positive integer; --token-file cannot be read');
  });

  it('says on one line that an agent cannot be reached, without the token', async () => {
    const token = 'canary-agent-token-0123456789abcdef';
    const down = await run(['agent', 'status', '--url', 'http://127.0.0.1:9', '--timeout', '2'], {
      ...process.env,
      IPA_AGENT_TOKEN: token,
    });
    expect(down.code).toBe(1);
    expect(down.stderr).toContain('AgentConnectionFailed');
    expect(down.stderr).not.toContain(token);
  });
});
