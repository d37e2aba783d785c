import type { IscsiTarget } from '../../index.js';
import type { TestCertificate } from '../simulator/certificate.js';
import type { SimulatedBoot, SimulatedServer } from '../simulator/server.js';

/**
 * What the ramdisk asks when it looks its node up (Ironic's `lookup` vendor passthru, by MAC).
 *
 * @example
 * ```ts
 * const lookup = async ({ macs }: FakeAgentLookup) => ({ uuid: nodesByMac.get(macs[0]!)!.uuid });
 * ```
 */
export interface FakeAgentLookup {
  /** MAC addresses of the server's NICs. */
  macs: string[];
  /** `BOOTIF` from the floppy: the MAC of the provisioning port, when given. */
  bootif?: string;
  /** `ipa-driver-name` from the floppy. */
  driverName?: string;
  /** `ipa-api-url` from the floppy: where a real ramdisk would send this. */
  apiUrl?: string;
  /** Everything the floppy's `parameters.txt` held (secrets included: this is a test double). */
  parameters: Readonly<Record<string, string>>;
}

/**
 * A lookup the ramdisk made, with what the hook answered.
 *
 * @example
 * ```ts
 * expect(agent.lookups.at(-1)?.found).toBe(node.uuid);
 * ```
 */
export interface FakeAgentLookupRecord extends FakeAgentLookup {
  /** The node found, when one was. */
  found?: string;
  /** What the hook threw, when it did. */
  error?: string;
}

/**
 * Where `iscsi.start_iscsi_target` exposes the disk: a `FileDiskWriter` fits.
 *
 * @example
 * ```ts
 * const backend: FakeAgentIscsiBackend = new FileDiskWriter({ sizeBytes: 2 ** 30 });
 * ```
 */
export interface FakeAgentIscsiBackend {
  /** The file behind the target; the agent then reads and writes that file as its disk. */
  pathOf(target: IscsiTarget): Promise<string>;
}

/**
 * The embedder's answer to a lookup: the node, and optionally the agent token (Ironic's
 * lookup returns one when none was pre-generated). `null` or `undefined`: not found yet
 * (the ramdisk retries until `lookupTimeoutMs`).
 *
 * @example
 * ```ts
 * const found: FakeAgentLookupResult = { uuid: node.uuid };
 * ```
 */
export interface FakeAgentLookupResult {
  /** The node's UUID. */
  uuid: string;
  /** A token the agent must then require on every command. */
  agentToken?: string;
}

/**
 * One heartbeat, as the ramdisk sends it to the embedder (Ironic's `heartbeat` passthru).
 *
 * @example
 * ```ts
 * const heartbeat = async ({ nodeUuid, agentUrl }: FakeAgentHeartbeat) => conductor.heartbeat(nodeUuid, agentUrl);
 * ```
 */
export interface FakeAgentHeartbeat {
  /** The node it looked up. */
  nodeUuid: string;
  /** Where its API listens (`driver_internal_info.agent_url`). */
  agentUrl: string;
  /** The agent's version. */
  agentVersion: string;
  /** The agent token it holds, when it has one. */
  agentToken?: string;
}

/**
 * A heartbeat sent, once the embedder's hook returned.
 *
 * @example
 * ```ts
 * expect(agent.heartbeats.every((h) => h.error === undefined)).toBe(true);
 * ```
 */
export interface FakeAgentHeartbeatRecord {
  /** When it was sent (`Date.now()`). */
  at: number;
  /** The node. */
  nodeUuid: string;
  /** The agent's URL. */
  agentUrl: string;
  /** What the hook threw, if it did. */
  error?: string;
}

/**
 * A failure to inject into a command (see {@link FakeAgent.failNext}), as the agent serializes
 * its errors.
 *
 * @example
 * ```ts
 * agent.failNext('standby.prepare_image', { type: 'ImageDownloadError', details: 'connection reset' });
 * ```
 */
export interface FakeAgentFailure {
  /** The agent's error class (default `CommandExecutionError`). */
  type?: string;
  /** Its code (default 500). */
  code?: number;
  /** Short message (default `Command execution failed`). */
  message?: string;
  /** Details (default `injected failure`). */
  details?: string;
}

/**
 * Where the fake ramdisk is: not running (the server is off or booted something else),
 * booting (looking its node up), running (API up, heartbeating), or failed to boot (see
 * {@link FakeAgent.bootError}).
 *
 * @example
 * ```ts
 * await vi.waitFor(() => expect(agent.state).toBe('running'));
 * ```
 */
export type FakeAgentState = 'off' | 'booting' | 'running' | 'failed';

/**
 * What the bash deploy ramdisk posts to Ironic's `pass_deploy_info` once its disk is exposed
 * over iSCSI: its address, the target, and the deploy key from the floppy.
 *
 * @example
 * ```ts
 * const passDeployInfo = (info: FakeAgentDeployInfo) => vendor.passDeployInfo(taskOf(info.nodeUuid), info);
 * ```
 */
export interface FakeAgentDeployInfo {
  /** `deployment_id` from the floppy: the node's UUID. */
  nodeUuid: string;
  /** The ramdisk's address (`127.0.0.1`). */
  address: string;
  /** `iscsi_target_iqn` from the floppy. */
  iqn: string;
  /** `deployment_key` from the floppy: must match `instance_info.deploy_key`. A secret. */
  key: string;
  /** iSCSI port (3260). */
  port: number;
  /** LUN (1). */
  lun: number;
  /** What the hook threw, in {@link FakeAgent.deployInfos}. */
  error?: string;
}

/**
 * Options of {@link FakeAgent.start}.
 *
 * @example
 * ```ts
 * const agent = await FakeAgent.start({
 *   lookup: ({ macs }) => ({ uuid: nodeByMac(macs) }),
 *   heartbeat: ({ nodeUuid, agentUrl }) => conductor.heartbeat(nodeUuid, agentUrl),
 *   heartbeatIntervalMs: 200,
 * });
 * ```
 */
export interface FakeAgentOptions {
  /** How the ramdisk finds its node. Without it, only {@link FakeAgent.boot} with a `nodeUuid` boots. */
  lookup?: (
    request: FakeAgentLookup,
  ) => FakeAgentLookupResult | null | undefined | Promise<FakeAgentLookupResult | null | undefined>;
  /**
   * Makes the ramdisk behave as Ironic's bash deploy ramdisk when the floppy carries a
   * `deployment_key` (iscsi_ilo): no lookup and no heartbeats; it exposes its disk (through
   * `iscsiBackend` when given) and calls this once with what `pass_deploy_info` receives.
   */
  passDeployInfo?: (info: FakeAgentDeployInfo) => void | Promise<void>;
  /** Called for every heartbeat (the embedder's API; this library serves none). */
  heartbeat?: (heartbeat: FakeAgentHeartbeat) => void | Promise<void>;
  /** `standby.power_off`: default, the attached simulated server's power off. */
  powerOff?: () => void;
  /** `standby.run_image`: default, the attached simulated server's reset. */
  reboot?: () => void;
  /** The disk file (default: `disk.img` in a temporary directory removed by {@link FakeAgent.close}). */
  diskPath?: string;
  /** Size of the disk (default 8 GiB, sparse). */
  diskSizeBytes?: number;
  /** Milliseconds between heartbeats (default 10 000; one is also sent after every asynchronous command). */
  heartbeatIntervalMs?: number;
  /** Milliseconds between lookups that found nothing (default 250). */
  lookupRetryMs?: number;
  /** How long the ramdisk keeps looking its node up before it gives up (default 30 000). */
  lookupTimeoutMs?: number;
  /** Serve HTTPS with this certificate (`createTestCertificate()`); default HTTP, as most ramdisks. */
  tls?: Pick<TestCertificate, 'certPem' | 'keyPem'>;
  /**
   * Bound of each image download's silences, in milliseconds (default 60 000). Downloads do not
   * verify TLS certificates, as the simulator's virtual media do not: this is a test double.
   */
  downloadTimeoutMs?: number;
  /** Where `iscsi.start_iscsi_target` exposes the disk: the agent then uses that file (for example a `FileDiskWriter`'s). */
  iscsiBackend?: FakeAgentIscsiBackend;
  /** The version the agent reports (default `ironic-ilo-fake-agent`). */
  version?: string;
}

/**
 * How {@link FakeAgent.boot} starts the ramdisk by hand.
 *
 * @example
 * ```ts
 * await agent.boot({ nodeUuid: node.uuid }); // no floppy, no lookup
 * ```
 */
export interface FakeAgentBootOptions {
  /** The node: given, the lookup is skipped. */
  nodeUuid?: string;
  /** The floppy's parameters (`ipa-agent-token` is honoured). */
  parameters?: Record<string, string>;
  /** MAC addresses for the lookup. */
  macs?: string[];
}

/**
 * Options of {@link FakeAgent.attach}.
 *
 * @example
 * ```ts
 * agent.attach(ilo, { isDeployBoot: (boot) => boot.mediaUrl?.includes('deploy.iso') === true });
 * ```
 */
export interface FakeAgentAttachOptions {
  /** Whether this boot starts the deploy ramdisk (default: a boot from the CD while a floppy is inserted). */
  isDeployBoot?: (boot: SimulatedBoot, server: SimulatedServer) => boolean;
}
