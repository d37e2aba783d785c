import type { OperationOptions, Task } from '../contracts/index.js';
import { ProvisionState } from '../contracts/index.js';
import {
  InstanceDeployFailure,
  InvalidParameterValue,
  IronicIloError,
  MissingParameterValue,
} from '../errors/index.js';
import { requireExclusiveLock } from '../util/index.js';
import type { AgentCleaning } from './cleaning.js';
import { callOf, type DeployContext } from './common/context.js';
import { setFailedState } from './common/failure.js';
import { sameSecret } from './common/node.js';
import type { AgentHeartbeat, HeartbeatAction, HeartbeatOutcome } from './heartbeat-types.js';

/**
 * The deploy half of the heartbeat state machine, implemented by each deploy interface
 * (Ironic's `deploy_has_started`, `deploy_is_done`, `continue_deploy`, `reboot_to_instance`).
 */
export interface DeployHeartbeatFlow {
  /** Whether the image was already handed to the agent. */
  deployHasStarted(task: Task, call: OperationOptions): Promise<boolean>;
  /** Whether the agent finished writing it (failed or not). */
  deployIsDone(task: Task, call: OperationOptions): Promise<boolean>;
  /** Hands the image over (or writes it); returns what happened. */
  continueDeploy(task: Task, call: OperationOptions): Promise<HeartbeatAction>;
  /** Boots the written instance; returns what happened. */
  rebootToInstance(task: Task, call: OperationOptions): Promise<HeartbeatAction>;
}

const ACTED_ON: ReadonlySet<string> = new Set([
  ProvisionState.DEPLOYWAIT,
  ProvisionState.CLEANWAIT,
  ProvisionState.CLEANING,
]);

function checkBeat(task: Task, beat: AgentHeartbeat): void {
  const url = beat?.agentUrl;
  if (typeof url !== 'string' || url === '') {
    throw new MissingParameterValue('For heartbeat operation, "agent_url" must be specified.', {
      fields: [{ field: 'agent_url', problem: 'required' }],
    });
  }
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (parsed === undefined || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    throw new InvalidParameterValue('The heartbeat\'s "agent_url" must be an http(s) URL.', {
      fields: [{ field: 'agent_url', problem: 'must be an http(s) URL' }],
    });
  }
  const expected = task.node.driverInternalInfo.agent_secret_token;
  if (typeof expected === 'string' && expected !== '' && !sameSecret(beat.agentToken, expected)) {
    throw new InvalidParameterValue('Invalid or missing agent token received.', {
      fields: [{ field: 'agent_token', problem: 'does not match the token given to the ramdisk' }],
    });
  }
}

function text(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The agent heartbeat of Ironic's `BaseAgentVendor.heartbeat` (§7): checks the beat (an
 * http(s) `agent_url`; the node's agent token, compared in constant time), records `agent_url`,
 * `agent_last_heartbeat` and `agent_version`, then by state: maintenance — nothing; `wait
 * call-back` — continue the deploy if it has not started, boot the instance once it is done,
 * otherwise wait; `clean wait` / `cleaning` — the cleaning heartbeat. A deploy that fails goes
 * through `setFailedState` and the outcome carries the typed error. Heartbeats in other states
 * are ignored (and not recorded). Needs an exclusive lock.
 */
export async function processHeartbeat(
  task: Task,
  beat: AgentHeartbeat,
  flow: DeployHeartbeatFlow,
  cleaning: AgentCleaning,
  ctx: DeployContext,
  options: OperationOptions,
): Promise<HeartbeatOutcome> {
  requireExclusiveLock(task);
  checkBeat(task, beat);
  const node = task.node;
  if (!ACTED_ON.has(node.provisionState)) return { action: 'ignored' };
  const dii: Task['node']['driverInternalInfo'] = {
    ...node.driverInternalInfo,
    agent_url: beat.agentUrl,
    agent_last_heartbeat: Math.floor(ctx.clock.now() / 1000),
  };
  if (typeof beat.agentVersion === 'string') dii.agent_version = beat.agentVersion;
  node.driverInternalInfo = dii;
  await task.save();
  if (node.maintenance) return { action: 'ignored' };
  const call = callOf(task, options);
  if (node.provisionState !== ProvisionState.DEPLOYWAIT) return cleaning.heartbeat(task, call);

  let what = 'Node failed to get image for deploy.';
  try {
    if (!(await flow.deployHasStarted(task, call))) return { action: await flow.continueDeploy(task, call) };
    if (await flow.deployIsDone(task, call)) {
      what = 'Node failed to move to active state.';
      return { action: await flow.rebootToInstance(task, call) };
    }
    return { action: 'deploy-in-progress' };
  } catch (error) {
    call.signal?.throwIfAborted();
    const message = `Asynchronous exception for node ${node.uuid}: ${what} Exception: ${text(error)}`;
    await setFailedState(task, message, {
      power: ctx.power,
      boot: ctx.boot,
      logger: ctx.logFor(task),
    });
    const typed =
      error instanceof IronicIloError ? error : new InstanceDeployFailure({ reason: message, cause: error });
    return { action: 'deploy-failed', error: typed };
  }
}
