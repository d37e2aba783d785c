import { execFile, execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { generateAgentToken } from '../../../src/index.js';
import { FakeAgent } from '../../../src/testing/index.js';
import { type FileServer, startFileServer } from '../../helpers/file-server.js';
import { describeWithPeers } from '../../helpers/peers.js';
import { PYTHON } from '../../helpers/python-ilo.js';

const DRIVER = resolve(__dirname, 'python/ironic_agent_client.py');
const UUID = '3c9d1e2f-4a5b-4c6d-8e7f-9a0b1c2d3e4f';

const withIronic = describeWithPeers('python3-ironic', {
  check: () => {
    try {
      execFileSync(PYTHON, ['-c', 'import ironic.drivers.modules.agent_client'], { stdio: 'ignore' });
      return undefined;
    } catch {
      return "Ironic's agent client (Debian python3-ironic) importable by /usr/bin/python3";
    }
  },
});

type Answer = Record<string, unknown> & { exception?: string; message?: string };

function runIronicClient(spec: unknown): Promise<Record<string, Answer>> {
  const env: NodeJS.ProcessEnv = { ...process.env, PYTHONWARNINGS: 'ignore' };
  delete env.REQUESTS_CA_BUNDLE;
  delete env.CURL_CA_BUNDLE;
  return new Promise((done, fail) => {
    const child = execFile(PYTHON, [DRIVER], { env, maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      if (error) fail(new Error(`${error.message}\n${stderr}`));
      else done(JSON.parse(stdout) as Record<string, Answer>);
    });
    child.stdin?.end(JSON.stringify(spec));
  });
}

withIronic("FakeAgent driven by Ironic's own AgentClient", () => {
  let files: FileServer;
  const image = randomBytes(2 * 2 ** 20);
  beforeAll(async () => {
    files = await startFileServer({ '/disk.raw': image });
  });
  afterAll(() => files.close());

  it('answers every call the way Ironic expects, token and all', async () => {
    const token = generateAgentToken();
    let powerOffs = 0;
    await using agent = await FakeAgent.start({
      diskSizeBytes: 16 * 2 ** 20,
      powerOff: () => void powerOffs++,
    });
    await agent.boot({ nodeUuid: UUID, parameters: { 'ipa-agent-token': token } });
    const out = await runIronicClient({
      url: agent.url,
      node_uuid: UUID,
      token,
      image: { url: `${files.url}/disk.raw`, sha256: createHash('sha256').update(image).digest('hex') },
    });
    for (const [call, answer] of Object.entries(out)) {
      if (call !== 'wrong_token') expect(answer.exception, `${call}: ${answer.message}`).toBeUndefined();
    }
    expect(out.sync).toMatchObject({ command_status: 'SUCCEEDED', command_name: 'sync' });
    expect(out.get_clean_steps).toMatchObject({
      command_status: 'SUCCEEDED',
      command_result: { hardware_manager_version: { generic_hardware_manager: '1.1' } },
    });
    expect(out.execute_clean_step).toMatchObject({ command_status: 'RUNNING' });
    expect(out.wait_clean_step).toMatchObject({
      command_status: 'SUCCEEDED',
      command_result: { clean_step: { step: 'erase_devices_metadata' } },
    });
    expect(out.prepare_image).toMatchObject({ command_status: 'SUCCEEDED', command_name: 'prepare_image' });
    expect(
      (out.get_partition_uuids as { command_result: Record<string, string> }).command_result['root uuid'],
    ).toBe(`0x${image.readUInt32LE(440).toString(16).padStart(8, '0')}`);
    expect(out.start_iscsi_target).toMatchObject({
      command_result: { iscsi_target_iqn: `iqn.2008-10.org.openstack:${UUID}` },
    });
    expect(
      typeof (out.collect_system_logs as { command_result: { system_logs: unknown } }).command_result
        .system_logs,
    ).toBe('string');
    expect((out.commands_status as unknown as unknown[]).length).toBeGreaterThanOrEqual(7);
    expect(out.wrong_token).toMatchObject({ exception: 'AgentAPIError' });
    expect(String(out.wrong_token?.message)).toContain('401');
    expect(out.power_off).toMatchObject({ command_status: 'RUNNING', command_name: 'power_off' });
    await expect.poll(() => powerOffs).toBe(1);
    // Ironic's client polls without the token; the agent accepts that until a GET presents one.
    expect(agent.requests.some((r) => r.method === 'GET' && !r.tokenPresented && r.status === 200)).toBe(
      true,
    );
  });
});
