export { FakeAgent } from './agent.js';
export type { FakeAgentRequest } from './http.js';
export type {
  FakeAgentAttachOptions,
  FakeAgentBootOptions,
  FakeAgentDeployInfo,
  FakeAgentFailure,
  FakeAgentHeartbeat,
  FakeAgentHeartbeatRecord,
  FakeAgentIscsiBackend,
  FakeAgentLookup,
  FakeAgentLookupRecord,
  FakeAgentLookupResult,
  FakeAgentOptions,
  FakeAgentState,
} from './types.js';
