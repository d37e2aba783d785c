import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  AgentAPIError,
  AgentClient,
  type AgentCommandResult,
  AgentCommandTimeout,
  AgentConnectionFailed,
  type AgentImageInfo,
  agentCommandError,
  findLatestCommand,
  generateAgentToken,
  InvalidParameterValue,
  type Node,
} from '../../../src/index.js';
import { createTestCertificate, FakeAgent } from '../../../src/testing/index.js';
import { captureLogger } from '../../helpers/capture-logger.js';
import { rawDiskImage, readRange, sha256 } from '../../helpers/disk-tools.js';
import { type FileServer, startFileServer } from '../../helpers/file-server.js';

const MIB = 2 ** 20;
const UUID = '5d3a5c2e-0a51-4a3b-9f4e-2c1b0e9d8f7a';
const PASSWORD = `canary-ilo-password-${randomBytes(4).toString('hex')}`;

function nodeFor(agent: FakeAgent, token?: string): Node {
  return {
    uuid: UUID,
    driver: 'agent_ilo',
    driverInfo: { ilo_address: '10.0.0.5', ilo_username: 'admin', ilo_password: PASSWORD },
    instanceInfo: {},
    driverInternalInfo: {
      agent_url: agent.url,
      ...(token === undefined ? {} : { agent_secret_token: token }),
    },
    properties: {},
    provisionState: 'clean wait',
    powerState: 'power on',
    maintenance: false,
  };
}

describe('AgentClient against the FakeAgent', () => {
  let agent: FakeAgent;
  let files: FileServer;
  let dir: string;
  let image: { bytes: Buffer; sha256: string; signature: string };
  const logger = captureLogger();
  const client = new AgentClient({ commandWaitIntervalMs: 5, logger });
  let powerOffs = 0;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'agent-client-'));
    const raw = await rawDiskImage(dir, 4 * MIB);
    const bytes = await readFile(raw.path);
    image = { bytes, sha256: createHash('sha256').update(bytes).digest('hex'), signature: raw.signature };
    files = await startFileServer({ '/disk.raw': bytes });
    agent = await FakeAgent.start({ diskSizeBytes: 64 * MIB, powerOff: () => void powerOffs++ });
  });
  afterAll(async () => {
    await client.close();
    await agent.close();
    await files.close();
    await rm(dir, { recursive: true, force: true });
  });
  afterEach(async () => {
    agent.release('standby.prepare_image');
    agent.release('standby.sync');
    await agent.boot({ nodeUuid: UUID });
  });

  const wholeDisk = (extra: Partial<AgentImageInfo> = {}): AgentImageInfo => ({
    id: 'disk.raw',
    urls: [`${files.url}/disk.raw`],
    os_hash_algo: 'sha256',
    os_hash_value: image.sha256,
    disk_format: 'raw',
    stream_raw_images: true,
    image_type: 'whole-disk',
    ...extra,
  });

  it('reads the status and runs a synchronous command with ?wait=true', async () => {
    await agent.boot({ nodeUuid: UUID });
    const node = nodeFor(agent);
    expect((await client.getStatus(node)).version).toBe('ironic-ilo-fake-agent');
    const result = await client.sync(node);
    expect(result.command_status).toBe('SUCCEEDED');
    expect(agent.requests.at(-1)).toMatchObject({
      method: 'POST',
      path: '/v1/commands/',
      command: 'standby.sync',
      wait: 'true',
    });
  });

  it('writes a whole-disk image through standby.prepare_image and reports its disk identifier', async () => {
    const node = nodeFor(agent);
    const started = await client.prepareImage(node, wholeDisk());
    expect(started.command_status).toBe('RUNNING');
    const done = await client.waitForCommand(node, started);
    expect(done.command_status).toBe('SUCCEEDED');
    expect(JSON.stringify(done.command_result)).toContain(`root_uuid=${image.signature}`);
    expect(await sha256(agent.diskPath, 0, image.bytes.length)).toBe(image.sha256);
    expect((await client.getPartitionUuids(node))['root uuid']).toBe(image.signature);
    expect(findLatestCommand(await client.getCommandsStatus(node), 'standby.prepare_image')?.id).toBe(
      started.id,
    );
  });

  it('polls a prepare_image to its end with wait, and reports a checksum mismatch as the agent does', async () => {
    const node = nodeFor(agent);
    const bad = wholeDisk({ os_hash_value: 'f'.repeat(64) });
    const error = await client.prepareImage(node, bad, { wait: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AgentAPIError);
    expect(error).toMatchObject({
      errorType: 'ImageChecksumError',
      commandStatus: 'FAILED',
      command: 'standby.prepare_image',
    });
    const last = findLatestCommand(
      await client.getCommandsStatus(node),
      'prepare_image',
    ) as AgentCommandResult;
    expect(agentCommandError(last)).toContain('verification checksum');
  });

  it('reports an image that cannot be downloaded as ImageDownloadError', async () => {
    const node = nodeFor(agent);
    const error = await client
      .prepareImage(node, wholeDisk({ urls: [`${files.url}/missing`] }), { wait: true })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ errorType: 'ImageDownloadError', status: 500 });
  });

  it('turns a refused request into AgentAPIError with the HTTP status and faultstring', async () => {
    const node = nodeFor(agent);
    const invalid = await client.prepareImage(node, { id: 'x', urls: [] }).catch((e: unknown) => e);
    expect(invalid).toMatchObject({ status: 400 });
    expect(String(invalid)).toContain("Image 'urls' must be a list with at least one element.");
    expect(await client.executeCommand(node, 'nosuch.command', {}).catch((e: unknown) => e)).toMatchObject({
      status: 404,
    });
    expect(await client.executeCommand(node, 'standby.nosuch', {}).catch((e: unknown) => e)).toMatchObject({
      status: 400,
    });
  });

  it('is told the agent is busy (409) while a command runs, and bounds its wait for one', async () => {
    const node = nodeFor(agent);
    agent.stall('standby.prepare_image');
    const started = await client.prepareImage(node, wholeDisk());
    const busy = await client.sync(node).catch((e: unknown) => e);
    expect(busy).toBeInstanceOf(AgentAPIError);
    expect(busy).toMatchObject({ status: 409 });
    expect(String(busy)).toContain('Agent is busy');
    const timeout = await client
      .waitForCommand(node, started, { attempts: 3, intervalMs: 1 })
      .catch((e: unknown) => e);
    expect(timeout).toBeInstanceOf(AgentCommandTimeout);
    expect(timeout).toMatchObject({ command: 'prepare_image', timeoutMs: 3 });
    agent.release('standby.prepare_image');
    expect((await client.waitForCommand(node, started)).command_status).toBe('SUCCEEDED');
  });

  it('times out a request that gets no answer, without sending the command twice', async () => {
    const node = nodeFor(agent);
    const syncs = () => agent.requests.filter((r) => r.command === 'standby.sync' && r.status === 200).length;
    const before = syncs();
    agent.stall('standby.sync');
    const error = await client.sync(node, { timeoutMs: 150 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AgentConnectionFailed);
    expect(String(error)).toContain('no answer within 150 ms');
    agent.release('standby.sync');
    await expect.poll(syncs).toBe(before + 1);
    await new Promise((r) => setTimeout(r, 50));
    expect(syncs()).toBe(before + 1);
  });

  it('rejects with the signal reason on abort', async () => {
    const node = nodeFor(agent);
    agent.stall('standby.sync');
    const controller = new AbortController();
    const pending = client.sync(node, { signal: controller.signal });
    const reason = new Error('operator cancelled');
    setTimeout(() => controller.abort(reason), 20);
    await expect(pending).rejects.toBe(reason);
  });

  it('cannot reach a ramdisk that is not running, nor a node without agent_url', async () => {
    agent.stop();
    await expect(client.getStatus(nodeFor(agent))).rejects.toBeInstanceOf(AgentConnectionFailed);
    const node = nodeFor(agent);
    node.driverInternalInfo = {};
    await expect(client.sync(node)).rejects.toThrow(
      'Agent driver requires agent_url in driver_internal_info',
    );
    node.driverInternalInfo = { agent_url: 'ftp://x' };
    await expect(client.sync(node)).rejects.toBeInstanceOf(InvalidParameterValue);
  });

  it('runs the clean steps on the disk, sending the node with its secrets masked', async () => {
    const node = nodeFor(agent);
    await client.prepareImage(node, wholeDisk(), { wait: true });
    const { clean_steps, hardware_manager_version } = await client.getCleanSteps(node, [
      { uuid: 'p1', address: '52:54:00:12:34:56' },
    ]);
    const steps = clean_steps.GenericHardwareManager ?? [];
    expect(steps.map((s) => [s.step, s.priority])).toEqual([
      ['erase_devices', 10],
      ['erase_devices_metadata', 99],
      ['erase_pstore', 0],
      ['delete_configuration', 0],
      ['create_configuration', 0],
    ]);
    const started = await client.executeCleanStep(node, [], steps[0] as (typeof steps)[number], {
      cleanVersion: hardware_manager_version,
    });
    const done = await client.waitForCommand(node, started);
    expect(done.command_result).toMatchObject({ clean_step: { step: 'erase_devices' } });
    expect((await readRange(agent.diskPath, 0, 4 * MIB)).every((b) => b === 0)).toBe(true);
    expect(agent.cleanStepsRun).toEqual(['erase_devices']);
    const sent = JSON.stringify(agent.commands.map((c) => c.command_params));
    expect(sent).toContain('"ilo_password":"******"');
    expect(sent).not.toContain(PASSWORD);
  });

  it('is refused a clean step when the hardware managers changed (CLEAN_VERSION_MISMATCH)', async () => {
    const node = nodeFor(agent);
    const started = await client.executeCleanStep(
      node,
      [],
      { step: 'erase_devices_metadata' },
      {
        cleanVersion: { generic_hardware_manager: '0.9' },
      },
    );
    expect((await client.waitForCommand(node, started)).command_status).toBe('CLEAN_VERSION_MISMATCH');
  });

  it('collects the logs, exposes an iSCSI target, installs a boot loader and powers off', async () => {
    const node = nodeFor(agent);
    const logs = gunzipSync(Buffer.from(await client.collectSystemLogs(node), 'base64'));
    expect(logs.subarray(0, 14).toString()).toBe('fake-agent.log');
    expect((await client.startIscsiTarget(node, `iqn.2008-10.org.openstack:${UUID}`)).command_result).toEqual(
      {
        iscsi_target_iqn: `iqn.2008-10.org.openstack:${UUID}`,
      },
    );
    const missing = await client
      .installBootloader(node, { rootUuid: 'nope', targetBootMode: 'uefi' })
      .catch((e: unknown) => e);
    expect(missing).toMatchObject({ errorType: 'CommandExecutionError', commandStatus: 'FAILED' });
    const before = powerOffs;
    expect((await client.powerOff(node)).command_status).toBe('RUNNING');
    await expect.poll(() => powerOffs).toBe(before + 1);
  });

  it('refuses wait with poll, and bad options naming each field', () => {
    expect(() => new AgentClient({ maxCommandAttempts: 0, commandWaitIntervalMs: -1 })).toThrow(
      InvalidParameterValue,
    );
    try {
      new AgentClient({ maxCommandAttempts: 0, commandWaitIntervalMs: -1 });
    } catch (e) {
      expect((e as InvalidParameterValue).fields.map((f) => f.field)).toEqual([
        'maxCommandAttempts',
        'commandWaitIntervalMs',
      ]);
    }
    return expect(
      client.executeCommand(nodeFor(agent), 'standby.sync', {}, { wait: true, poll: true }),
    ).rejects.toBeInstanceOf(InvalidParameterValue);
  });

  it('refuses an answer larger than maxResponseBytes', async () => {
    await using small = new AgentClient({ maxResponseBytes: 64 });
    await expect(small.collectSystemLogs(nodeFor(agent))).rejects.toThrow('larger than 64 bytes');
  });
});

describe('AgentClient and the agent token', () => {
  it('sends agent_token, is refused without it, and never logs or reports it', async () => {
    const token = generateAgentToken();
    const logger = captureLogger();
    await using agent = await FakeAgent.start({ diskSizeBytes: MIB });
    await agent.boot({ nodeUuid: UUID, parameters: { 'ipa-agent-token': token } });
    await using client = new AgentClient({ logger });
    const refused = await client.sync(nodeFor(agent)).catch((e: unknown) => e);
    expect(refused).toMatchObject({ status: 401 });
    const wrong = await client.sync(nodeFor(agent, `${token}x`)).catch((e: unknown) => e);
    expect(wrong).toMatchObject({ status: 401 });
    expect((await client.sync(nodeFor(agent, token))).command_status).toBe('SUCCEEDED');
    expect((await client.getCommandsStatus(nodeFor(agent, token))).length).toBe(1);
    // Once a GET carried the token, the agent wants it on every GET.
    expect(await client.getCommandsStatus(nodeFor(agent)).catch((e: unknown) => e)).toMatchObject({
      status: 401,
    });
    expect(agent.requests.filter((r) => r.tokenPresented).length).toBeGreaterThanOrEqual(3);
    const seen = [...logger.lines, String(refused), String(wrong)].join('\n');
    expect(logger.lines.length).toBeGreaterThan(0);
    expect(seen).not.toContain(token);
  });
});

describe('AgentClient over TLS', () => {
  it('verifies the agent certificate against the given CA, and logs when verification is off', async () => {
    const cert = createTestCertificate();
    await using agent = await FakeAgent.start({ tls: cert, diskSizeBytes: MIB });
    await agent.boot({ nodeUuid: UUID });
    expect(agent.url.startsWith('https://127.0.0.1:')).toBe(true);
    await using trusting = new AgentClient({ tls: { ca: cert.caPem } });
    expect((await trusting.sync(nodeFor(agent))).command_status).toBe('SUCCEEDED');
    await using strict = new AgentClient({ maxCommandAttempts: 1 });
    await expect(strict.sync(nodeFor(agent))).rejects.toBeInstanceOf(AgentConnectionFailed);
    const logger = captureLogger();
    await using insecure = new AgentClient({ tls: { insecure: true }, logger });
    expect((await insecure.sync(nodeFor(agent))).command_status).toBe('SUCCEEDED');
    expect(logger.lines.join('\n')).toContain(
      'TLS certificate verification is disabled for the deploy agent',
    );
  });
});
