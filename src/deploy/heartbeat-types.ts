/**
 * What an agent heartbeat led to, so that the embedder (which owns the provision-state machine)
 * knows what to do next:
 *
 * - `ignored`: nothing to do (maintenance, or a state where heartbeats are not acted on);
 * - `deploy-started`: the image was handed to the agent; the node waits again (`wait call-back`):
 *   restart the node's callback clock (Ironic's `touch_provisioning`);
 * - `deploy-in-progress`: the agent is still writing the image: restart the callback clock too,
 *   or a long image write trips `[conductor] deploy_callback_timeout`;
 * - `deployed`: the node is `active`;
 * - `deploy-failed`: the node is `deploy failed` (see `error` and `lastError`);
 * - `clean-steps-refreshed`: the agent's clean steps were cached: compute the node's cleaning
 *   steps (`driver.deploy.getCleanSteps` among the others) and resume cleaning;
 * - `clean-step-running`: the current step still runs;
 * - `clean-step-done`: the current step finished: resume cleaning with the next one;
 * - `clean-reboot`: the step finished and asked for a reboot; the next heartbeat resumes;
 * - `cleaning-failed`: the node is `clean failed`, in maintenance (see `error`).
 *
 * @example
 * ```ts
 * const { action } = await driver.deploy.heartbeat(task, { agentUrl });
 * if (action === 'clean-step-done') await conductor.resumeCleaning(task);
 * ```
 */
export type HeartbeatAction =
  | 'ignored'
  | 'deploy-started'
  | 'deploy-in-progress'
  | 'deployed'
  | 'deploy-failed'
  | 'clean-steps-refreshed'
  | 'clean-step-running'
  | 'clean-step-done'
  | 'clean-reboot'
  | 'cleaning-failed';

/**
 * The result of a heartbeat.
 *
 * @example
 * ```ts
 * const outcome: HeartbeatOutcome = await deploy.heartbeat(task, beat);
 * if (outcome.error) log.error(outcome.error.message);
 * ```
 */
export interface HeartbeatOutcome {
  /** What happened. */
  action: HeartbeatAction;
  /** The typed error of a failed deploy or cleaning. */
  error?: Error;
}

/**
 * A heartbeat as the agent sends it (`POST /v1/heartbeat/<node>`, or the `heartbeat` vendor
 * passthru of old), camel-cased.
 *
 * @example
 * ```ts
 * const beat: AgentHeartbeat = { agentUrl: 'http://10.0.0.23:9999', agentVersion: '9.4.0', agentToken };
 * ```
 */
export interface AgentHeartbeat {
  /** Where the agent's API listens (`agent_url`). */
  agentUrl: string;
  /** The agent's version (`agent_version`). */
  agentVersion?: string;
  /** The token the agent holds (`agent_token`); required when the node has one. */
  agentToken?: string;
}
