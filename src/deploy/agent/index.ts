/**
 * The Ironic Python Agent's REST API v1: {@link AgentClient} and the wire types.
 *
 * @module
 */

export { AgentClient } from './client.js';
export { agentNodeView, agentPortView } from './node-view.js';
export type {
  AgentCallOptions,
  AgentClientOptions,
  AgentNode,
  ExecuteCleanStepOptions,
  ExecuteCommandOptions,
  InstallBootloaderRequest,
  PrepareImageOptions,
  StartIscsiTargetOptions,
  WaitForCommandOptions,
} from './options.js';
export { agentCommandError, findLatestCommand } from './results.js';
export type {
  AgentCleanStep,
  AgentCleanSteps,
  AgentCommandError,
  AgentCommandResult,
  AgentCommandStatus,
  AgentImageInfo,
  AgentPartitionUuids,
  AgentStatus,
} from './types.js';
