import { readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import {
  AgentClient,
  type AgentNode,
  agentCommandError,
  type FieldIssue,
  InvalidParameterValue,
  type JsonValue,
} from '../../index.js';
import { FakeAgent } from '../../testing/index.js';
import { withExamples } from '../help.js';
import { interrupted, untilInterrupted } from '../interrupt.js';
import { printResult } from '../output.js';

interface AgentFlags {
  url: string;
  node: string;
  tokenFile?: string;
  caFile?: string;
  insecure: boolean;
  timeout: string;
  json: boolean;
}

/** The agent to talk to, and a client for it. The token comes from `IPA_AGENT_TOKEN` or a file. */
export function agentTarget(
  flags: AgentFlags,
  env: NodeJS.ProcessEnv = process.env,
): { node: AgentNode; client: AgentClient } {
  const issues: FieldIssue[] = [];
  const seconds = Number(flags.timeout);
  if (!/^\d+$/.test(flags.timeout) || seconds < 1)
    issues.push({ field: '--timeout', problem: 'must be a positive integer' });
  let token = env.IPA_AGENT_TOKEN;
  if (flags.tokenFile !== undefined) {
    try {
      token = readFileSync(flags.tokenFile, 'utf8').trim();
    } catch {
      issues.push({ field: '--token-file', problem: 'cannot be read' });
    }
  }
  let ca: string | undefined;
  if (flags.caFile !== undefined) {
    try {
      ca = readFileSync(flags.caFile, 'utf8');
    } catch {
      issues.push({ field: '--ca-file', problem: 'cannot be read' });
    }
  }
  if (issues.length > 0) {
    throw new InvalidParameterValue(issues.map((i) => `${i.field} ${i.problem}`).join('; '), {
      fields: issues,
    });
  }
  const node: AgentNode = {
    uuid: flags.node,
    driverInternalInfo: { agent_url: flags.url, ...(token ? { agent_secret_token: token } : {}) },
  };
  const client = new AgentClient({
    requestTimeoutMs: seconds * 1000,
    commandWaitIntervalMs: 1000,
    commandWaitAttempts: seconds,
    tls: { ...(ca === undefined ? {} : { ca }), insecure: flags.insecure },
  });
  return { node, client };
}

function withAgentOptions(cmd: Command): Command {
  return cmd
    .requiredOption(
      '--url <url>',
      "the agent's URL (driver_internal_info.agent_url), e.g. http://10.0.0.23:9999",
    )
    .option('--node <uuid>', 'the node, for messages', 'unknown')
    .option(
      '--token-file <file>',
      'read the agent token from this file (default: the IPA_AGENT_TOKEN variable)',
    )
    .option('--ca-file <file>', "CA bundle that signed the agent's certificate (https agents)")
    .option('--insecure', 'do not verify the TLS certificate (logged as a warning)', false)
    .option('--timeout <seconds>', 'bound of each request, and of waiting for a command', '60')
    .option('--json', 'print JSON', false);
}

const AGENT = '--url http://10.0.0.23:9999 --node 1be26c0b-03f2-4d2e-ae87-c02d7f33c123';

async function withClient<T>(
  flags: AgentFlags,
  run: (node: AgentNode, client: AgentClient) => Promise<T>,
): Promise<T> {
  const { node, client } = agentTarget(flags);
  try {
    return await run(node, client);
  } finally {
    await client.close();
  }
}

function parseParams(text: string): { [key: string]: JsonValue } {
  try {
    const value = JSON.parse(text) as unknown;
    if (value !== null && typeof value === 'object' && !Array.isArray(value))
      return value as { [key: string]: JsonValue };
  } catch {}
  throw new InvalidParameterValue('--params must be a JSON object.', {
    fields: [{ field: '--params', problem: 'must be a JSON object' }],
  });
}

/** `ironic-ilo agent …`: talk to a deploy ramdisk's Ironic Python Agent; `fake-agent` runs one. */
export function registerAgent(program: Command): void {
  const agent = program
    .command('agent')
    .description("query and drive a deploy ramdisk's Ironic Python Agent");
  const signal = { signal: interrupted };

  withExamples(agent, `ironic-ilo agent status ${AGENT} --token-file /run/ironic/agent-token`);

  withExamples(
    withAgentOptions(agent.command('status').description("the agent's version and start time")),
    `ironic-ilo agent status ${AGENT} --json`,
    `IPA_AGENT_TOKEN=… ironic-ilo agent status ${AGENT}`,
  ).action((flags: AgentFlags) =>
    withClient(flags, async (node, client) => printResult(await client.getStatus(node, signal), flags.json)),
  );

  withExamples(
    withAgentOptions(agent.command('commands').description('the commands the agent ran, oldest first')),
    `ironic-ilo agent commands ${AGENT} --token-file /run/ironic/agent-token`,
  ).action((flags: AgentFlags) =>
    withClient(flags, async (node, client) => {
      const commands = await client.getCommandsStatus(node, signal);
      if (flags.json) return printResult(commands, true);
      for (const c of commands) {
        const error = agentCommandError(c);
        process.stdout.write(`${c.id}  ${c.command_name}  ${c.command_status}${error ? `  ${error}` : ''}\n`);
      }
    }),
  );

  withExamples(
    withAgentOptions(
      agent
        .command('run <command>')
        .description('run a command (e.g. standby.sync) and print its result; --wait waits for its end')
        .option('--params <json>', 'the command parameters, a JSON object', '{}')
        .option('--wait', 'poll the command until it is done', false),
    ),
    `ironic-ilo agent run standby.sync ${AGENT} --wait`,
    `ironic-ilo agent run clean.get_clean_steps ${AGENT} --params '{"node":{},"ports":[]}'`,
  ).action((command: string, flags: AgentFlags & { params: string; wait: boolean }) =>
    withClient(flags, async (node, client) => {
      const params = parseParams(flags.params);
      printResult(await client.executeCommand(node, command, params, { ...signal, poll: flags.wait }), true);
    }),
  );

  withExamples(
    withAgentOptions(
      agent
        .command('logs')
        .description("save the ramdisk's logs (log.collect_system_logs) as a .tar.gz")
        .requiredOption('--output <file>', 'where to write the tarball'),
    ),
    `ironic-ilo agent logs ${AGENT} --output ramdisk-logs.tar.gz`,
  ).action((flags: AgentFlags & { output: string }) =>
    withClient(flags, async (node, client) => {
      const bytes = Buffer.from(await client.collectSystemLogs(node, signal), 'base64');
      const partial = `${flags.output}.partial`;
      await writeFile(partial, bytes, { mode: 0o600 });
      await rename(partial, flags.output);
      printResult({ output: flags.output, bytes: bytes.length }, flags.json);
    }),
  );

  const fake = program
    .command('fake-agent')
    .description(
      'run a fake deploy agent (the Ironic Python Agent API over a sparse disk file) on 127.0.0.1 until ' +
        'SIGINT or SIGTERM; prints {"url","disk"}',
    )
    .option('--node <uuid>', 'the node it serves', '00000000-0000-4000-8000-000000000000')
    .option('--disk <file>', 'the disk file (default: a temporary one)')
    .option('--disk-size <bytes>', 'size of the disk', String(8 * 2 ** 30));
  withExamples(
    fake,
    'ironic-ilo fake-agent --disk-size 1073741824',
    'ironic-ilo fake-agent --node 1be26c0b-03f2-4d2e-ae87-c02d7f33c123 --disk /tmp/disk.img',
  ).action(async (flags: { node: string; disk?: string; diskSize: string }) => {
    const size = Number(flags.diskSize);
    if (!/^\d+$/.test(flags.diskSize) || size <= 0 || size % 512 !== 0) {
      throw new InvalidParameterValue('--disk-size must be a positive multiple of 512', {
        fields: [{ field: '--disk-size', problem: 'must be a positive multiple of 512' }],
      });
    }
    const stopped = untilInterrupted();
    const fake = await FakeAgent.start({
      diskSizeBytes: size,
      ...(flags.disk === undefined ? {} : { diskPath: flags.disk }),
    });
    try {
      await fake.boot({ nodeUuid: flags.node });
      process.stdout.write(`${JSON.stringify({ url: fake.url, disk: fake.diskPath })}\n`);
      await stopped;
    } finally {
      await fake.close();
    }
  });
}
