import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, type Dispatcher } from 'undici';
import type { AgentCommandResult, JsonValue, ReadableImage } from '../../index.js';
import { InvalidParameterValue } from '../../index.js';
import type { SimulatedIlo } from '../simulator/node.js';
import type { SimulatedBoot, SimulatedServer } from '../simulator/server.js';
import { type CommandGate, CommandLog } from './command-log.js';
import { agentCommands, type CommandContext } from './commands.js';
import { FakeDisk } from './disk.js';
import { createAgentServer, type FakeAgentRequest } from './http.js';
import { IpaError } from './ipa-errors.js';
import { readFloppyParameters } from './parameters.js';
import { Heartbeats, lookUp } from './ramdisk.js';
import type {
  FakeAgentAttachOptions,
  FakeAgentBootOptions,
  FakeAgentDeployInfo,
  FakeAgentFailure,
  FakeAgentHeartbeatRecord,
  FakeAgentLookupRecord,
  FakeAgentOptions,
  FakeAgentState,
} from './types.js';

/**
 * The deploy ramdisk's side of the flow, for tests: an HTTP server on 127.0.0.1 speaking the
 * Ironic Python Agent's REST API v1 (`/v1/status`, `/v1/commands` with `wait` and
 * `agent_token`), with its commands doing real work on a sparse disk file —
 * `standby.prepare_image` downloads `image_info.urls`, verifies the checksum
 * (`os_hash_algo`/`os_hash_value` or md5 `checksum`) and writes the disk with the library's own
 * writer (whole-disk or partition images, raw streamed or qcow2 cached), the clean steps
 * (`erase_devices` priority 10, `erase_devices_metadata` 99, …) erase it, `standby.power_off`
 * powers the simulated server off, `iscsi.start_iscsi_target` can hand the disk to a
 * `FileDiskWriter`.
 *
 * Attached to a simulated iLO, it boots when the server boots the deploy ISO from the virtual CD:
 * it reads its parameters from the virtual floppy the iLO fetched (`parameters.txt`), looks its
 * node up and heartbeats through the embedder's hooks (the embedder's API is not an HTTP server
 * of this library), and stops when the server powers off or boots anything else. It can be
 * told to fail a command, stall one, or go silent; everything it received and did is kept for
 * assertions.
 *
 * @example
 * ```ts
 * await using agent = await FakeAgent.start({
 *   lookup: () => ({ uuid: task.node.uuid }),
 *   heartbeat: ({ agentUrl }) => conductor.onHeartbeat(task, agentUrl),
 * });
 * agent.attach(sim.nodes[0]!);
 * // … the driver attaches the floppy and the deploy ISO and reboots the node …
 * await agent.nextHeartbeat();
 * expect(agent.parameters?.['ipa-api-url']).toBe('http://127.0.0.1:6385');
 * ```
 */
export class FakeAgent {
  /** Every request received, oldest first (tokens not kept). */
  readonly requests: FakeAgentRequest[] = [];
  /** Every heartbeat sent, oldest first. */
  readonly heartbeats: FakeAgentHeartbeatRecord[] = [];
  /** Every lookup, with what it found. */
  readonly lookups: FakeAgentLookupRecord[] = [];
  /** Clean steps run, in order. */
  readonly cleanStepsRun: string[] = [];
  /** `image.install_bootloader` calls, with their parameters. */
  readonly bootloaders: { [key: string]: JsonValue }[] = [];
  /** What the bash-ramdisk mode posted to `pass_deploy_info` (see {@link FakeAgentOptions.passDeployInfo}). */
  readonly deployInfos: FakeAgentDeployInfo[] = [];
  /** IQNs `iscsi.start_iscsi_target` exposed. */
  readonly iscsiTargets: string[] = [];
  /** Why the last boot failed (no floppy, lookup timed out…), or `undefined`. */
  bootError: string | undefined;

  readonly #options: FakeAgentOptions;
  readonly #server: Server;
  readonly #disk: FakeDisk;
  readonly #ownedDir: string | undefined;
  readonly #download: Dispatcher;
  readonly #failures = new Map<string, FakeAgentFailure>();
  readonly #stalls = new Map<string, { release: () => void; wait: Promise<void> }>();
  readonly #heartbeats: Heartbeats;
  #log = new CommandLog();
  #context: CommandContext;
  #state: FakeAgentState = 'off';
  #session = new AbortController();
  #token: string | undefined;
  #nodeUuid: string | undefined;
  #parameters: Record<string, string> | undefined;
  #attached: SimulatedServer | undefined;
  #closed = false;
  #getTokenSeen = false;
  #startedAt = Math.floor(Date.now() / 1000);

  private constructor(options: FakeAgentOptions, disk: FakeDisk, ownedDir: string | undefined) {
    this.#options = options;
    this.#disk = disk;
    this.#ownedDir = ownedDir;
    this.#download = new Agent({ connect: { rejectUnauthorized: false } });
    this.#heartbeats = new Heartbeats(
      options.heartbeatIntervalMs ?? 10_000,
      () => this.#state === 'running',
      async () => {
        const nodeUuid = this.#nodeUuid as string;
        const beat = { nodeUuid, agentUrl: this.url, agentVersion: this.#version() };
        try {
          await options.heartbeat?.(this.#token === undefined ? beat : { ...beat, agentToken: this.#token });
          return { nodeUuid, agentUrl: this.url };
        } catch (e) {
          return { nodeUuid, agentUrl: this.url, error: e instanceof Error ? e.message : String(e) };
        }
      },
      (record) => this.heartbeats.push(record),
    );
    this.#context = this.#makeContext();
    this.#server = createAgentServer(
      {
        running: () => this.#state === 'running',
        token: () => this.#token,
        getTokenSeen: () => {
          this.#getTokenSeen = true;
        },
        getTokenRequired: () => this.#getTokenSeen && this.#token !== undefined,
        commands: () => this.#log,
        specs: () => agentCommands(this.#context),
        gate: (name) => this.#gate(name),
        afterAsync: () => this.#heartbeats.soon(),
        status: () => ({ started_at: this.#startedAt, version: this.#version() }),
        record: (r) => this.requests.push(r),
      },
      options.tls === undefined ? undefined : { cert: options.tls.certPem, key: options.tls.keyPem },
    );
  }

  /** Starts the API server (the ramdisk itself is off until it boots). */
  static async start(options: FakeAgentOptions = {}): Promise<FakeAgent> {
    const size = options.diskSizeBytes ?? 8 * 2 ** 30;
    if (!Number.isSafeInteger(size) || size <= 0 || size % 512 !== 0) {
      throw new InvalidParameterValue('diskSizeBytes must be a positive multiple of 512.', {
        fields: [{ field: 'diskSizeBytes', problem: 'must be a positive multiple of 512' }],
      });
    }
    const ownedDir =
      options.diskPath === undefined ? await mkdtemp(join(tmpdir(), 'fake-agent-')) : undefined;
    const agent = new FakeAgent(
      options,
      new FakeDisk(options.diskPath ?? join(ownedDir as string, 'disk.img'), size),
      ownedDir,
    );
    try {
      await agent.#disk.ensure();
      await new Promise<void>((resolve, reject) => {
        agent.#server.once('error', reject);
        agent.#server.listen(0, '127.0.0.1', () => resolve());
      });
    } catch (e) {
      await agent.close();
      throw e;
    }
    return agent;
  }

  /** Base URL of the API, for example `http://127.0.0.1:40123`. */
  get url(): string {
    const { port } = this.#server.address() as AddressInfo;
    return `${this.#options.tls === undefined ? 'http' : 'https'}://127.0.0.1:${port}`;
  }

  /** Where the ramdisk is. */
  get state(): FakeAgentState {
    return this.#state;
  }

  /** The node it looked up, while running. */
  get nodeUuid(): string | undefined {
    return this.#nodeUuid;
  }

  /** The parameters read from the floppy at the last boot (secrets included). */
  get parameters(): Readonly<Record<string, string>> | undefined {
    return this.#parameters;
  }

  /** The commands of the current boot, oldest first (a new boot starts an empty list, as a new agent process). */
  get commands(): readonly AgentCommandResult[] {
    return this.#log.results;
  }

  /** The disk file (the iSCSI backend's file once a target was started with one). */
  get diskPath(): string {
    return this.#disk.path;
  }

  /**
   * Boots the ramdisk by hand: looks the node up (unless `nodeUuid` is given), starts the API and
   * heartbeats. Resolves once it runs (or failed: see {@link FakeAgent.bootError}).
   */
  async boot(options: FakeAgentBootOptions = {}): Promise<void> {
    this.stop();
    const session = this.#session;
    this.#log = new CommandLog();
    this.#getTokenSeen = false;
    this.#context.record.partitionUuids = {};
    this.#parameters = options.parameters;
    this.#token = options.parameters?.['ipa-agent-token'];
    this.bootError = undefined;
    this.#state = 'booting';
    if (this.#options.passDeployInfo !== undefined && options.parameters?.deployment_key !== undefined) {
      await this.#bashRamdisk(options.parameters, session.signal);
      return;
    }
    const found =
      options.nodeUuid === undefined
        ? await lookUp(
            this.#options,
            options.parameters ?? {},
            options.macs ?? [],
            this.lookups,
            session.signal,
          )
        : { uuid: options.nodeUuid };
    if (session.signal.aborted) return;
    if (typeof found === 'string') {
      this.bootError = found;
      this.#state = 'failed';
      return;
    }
    this.#nodeUuid = found.uuid;
    if (found.agentToken !== undefined) this.#token = found.agentToken;
    this.#startedAt = Math.floor(Date.now() / 1000);
    this.#state = 'running';
    this.#heartbeats.start();
  }

  /** Boots from a virtual floppy image (`parameters.txt` on a FAT volume labelled `ir-vfd-dev`). */
  async bootFromFloppy(floppy: ReadableImage, macs: string[] = []): Promise<void> {
    let parameters: Record<string, string>;
    try {
      parameters = await readFloppyParameters(floppy);
    } catch (e) {
      this.#failBoot(e instanceof Error ? e.message : String(e));
      return;
    }
    await this.boot({ parameters, macs });
  }

  /**
   * Follows a simulated server: boots when it boots the deploy ramdisk (reading the floppy the
   * iLO fetched), stops when it powers off or boots anything else; `standby.power_off` and
   * `standby.run_image` act on it unless hooks were given. Returns a function that detaches.
   */
  attach(ilo: SimulatedIlo, options: FakeAgentAttachOptions = {}): () => void {
    const server = ilo.server;
    this.#attached = server;
    const isDeployBoot =
      options.isDeployBoot ?? ((boot: SimulatedBoot) => boot.source === 'CDROM' && server.floppy.inserted);
    const offBoot = server.onBoot((boot) => {
      this.stop();
      if (isDeployBoot(boot, server)) void this.#bootFrom(server);
    });
    const offPower = server.onPowerOff(() => this.stop());
    return () => {
      offBoot();
      offPower();
      if (this.#attached === server) this.#attached = undefined;
    };
  }

  /** The ramdisk stops: API down, heartbeats stop, running commands are abandoned. */
  stop(): void {
    this.#session.abort(new Error('the ramdisk stopped'));
    this.#session = new AbortController();
    this.#heartbeats.stop();
    for (const stall of this.#stalls.values()) stall.release();
    this.#stalls.clear();
    this.#state = 'off';
    this.#nodeUuid = undefined;
    this.#server.closeAllConnections();
  }

  /** Makes the next run of `command` (`standby.prepare_image`…) fail with this error. */
  failNext(command: string, failure: FakeAgentFailure = {}): void {
    this.#failures.set(command, failure);
  }

  /** Makes the next run of `command` hang (`RUNNING`; a synchronous one never answers) until {@link FakeAgent.release}. */
  stall(command: string): void {
    let release = () => {};
    const wait = new Promise<void>((resolve) => {
      release = resolve;
    });
    this.#stalls.set(command, { release, wait });
  }

  /** Lets a stalled command go on. */
  release(command: string): void {
    this.#stalls.get(command)?.release();
    this.#stalls.delete(command);
  }

  /** Silent: the agent still answers its API but sends no heartbeat. */
  setSilent(silent: boolean): void {
    this.#heartbeats.silent = silent;
  }

  /** Sends a heartbeat now (when running and not silent). */
  heartbeatNow(): Promise<void> {
    return this.#heartbeats.beat();
  }

  /** Resolves with the next heartbeat sent (after the hook returned); rejects after `timeoutMs` (default 30 000). */
  nextHeartbeat(timeoutMs = 30_000): Promise<FakeAgentHeartbeatRecord> {
    return this.#heartbeats.next(timeoutMs);
  }

  /** Stops the ramdisk and the server, and removes the disk directory the agent made. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.stop();
    if (this.#server.listening) await new Promise<void>((resolve) => this.#server.close(() => resolve()));
    await this.#download.close();
    if (this.#ownedDir !== undefined) await rm(this.#ownedDir, { recursive: true, force: true });
  }

  /** Same as {@link FakeAgent.close}, for `await using`. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  #version(): string {
    return this.#options.version ?? 'ironic-ilo-fake-agent';
  }

  async #bootFrom(server: SimulatedServer): Promise<void> {
    // A power off or another boot while the floppy is read cancels this boot.
    const signal = this.#session.signal;
    const slot = server.floppy;
    const url = slot.inserted ? slot.imageUrl : null;
    const fetch = url === null ? undefined : await slot.fetched();
    if (signal.aborted) return;
    const macs = server.inventory.nics.map((n) => n.mac);
    if (fetch?.data == null || fetch.url !== url) {
      this.#failBoot(url === null ? 'none is inserted' : (fetch?.error ?? 'its image was not fetched'));
      return;
    }
    let parameters: Record<string, string>;
    try {
      parameters = await readFloppyParameters(fetch.data);
    } catch (e) {
      this.#failBoot(e instanceof Error ? e.message : String(e));
      return;
    }
    if (!signal.aborted) await this.boot({ parameters, macs });
  }

  /** Ironic's bash deploy ramdisk: expose the disk, post pass_deploy_info, wait to be powered off. */
  async #bashRamdisk(parameters: Record<string, string>, signal: AbortSignal): Promise<void> {
    const info: FakeAgentDeployInfo = {
      nodeUuid: parameters.deployment_id ?? '',
      address: '127.0.0.1',
      iqn: parameters.iscsi_target_iqn ?? `iqn.2008-10.org.openstack:${parameters.deployment_id}`,
      key: parameters.deployment_key ?? '',
      port: 3260,
      lun: 1,
    };
    const backend = this.#options.iscsiBackend;
    if (backend !== undefined) {
      this.#disk.path = await backend.pathOf({
        address: info.address,
        iqn: info.iqn,
        port: info.port,
        lun: info.lun,
      });
      await this.#disk.ensure();
    }
    if (signal.aborted) return;
    this.#nodeUuid = info.nodeUuid;
    this.#state = 'running';
    this.iscsiTargets.push(info.iqn);
    const record = { ...info };
    this.deployInfos.push(record);
    try {
      await this.#options.passDeployInfo?.({ ...info });
    } catch (e) {
      record.error = e instanceof Error ? e.message : String(e);
    }
  }

  #failBoot(why: string): void {
    this.stop();
    this.bootError = `no usable virtual floppy: ${why}`;
    this.#state = 'failed';
  }

  readonly #gate: CommandGate = async (name) => {
    const failure = this.#failures.get(name);
    if (failure !== undefined) {
      this.#failures.delete(name);
      return new IpaError(
        failure.type ?? 'CommandExecutionError',
        failure.code ?? 500,
        failure.message ?? 'Command execution failed',
        failure.details ?? 'injected failure',
      );
    }
    const stall = this.#stalls.get(name);
    if (stall !== undefined) await stall.wait;
    return undefined;
  };

  #makeContext(): CommandContext {
    return {
      disk: this.#disk,
      http: { dispatcher: this.#download, timeoutMs: this.#options.downloadTimeoutMs ?? 60_000 },
      session: () => this.#session.signal,
      powerOff: () => (this.#options.powerOff ?? (() => this.#attached?.powerOff()))(),
      reboot: () => (this.#options.reboot ?? (() => this.#attached?.reset()))(),
      iscsiBackend: this.#options.iscsiBackend,
      record: {
        partitionUuids: {},
        iscsiTargets: this.iscsiTargets,
        cleanSteps: this.cleanStepsRun,
        bootloaders: this.bootloaders,
        log: [],
      },
    };
  }
}
