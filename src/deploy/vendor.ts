import type { IsoAttacher } from '../boot/index.js';
import { type IloConfig, parseConfig } from '../config/index.js';
import type {
  DriverVendorRoute,
  JsonValue,
  Node,
  OperationOptions,
  PowerInterface,
  PropertyDescriptions,
  Task,
  VendorInterface,
  VendorRoute,
} from '../contracts/index.js';
import { ProvisionState } from '../contracts/index.js';
import {
  InvalidStateRequested,
  MissingParameterValue,
  NodeNotFound,
  NotSupported,
  UnsupportedDriverExtension,
} from '../errors/index.js';
import type { ImageService } from '../store/index.js';
import { requireExclusiveLock } from '../util/index.js';
import { agentNodeView } from './agent/index.js';
import type { AgentHeartbeat, HeartbeatOutcome } from './heartbeat-types.js';
import { checkPassDeployInfo } from './iscsi-write.js';

/**
 * What the vendor routes call on the deploy interface: the agent heartbeat, and for iscsi_ilo
 * and pxe_ilo the bash ramdisk's `pass_deploy_info`.
 *
 * @example
 * ```ts
 * const deploy: VendorDeploy = new AgentDeploy(options);
 * ```
 */
export interface VendorDeploy {
  /** The agent heartbeat. */
  heartbeat(task: Task, beat: AgentHeartbeat, options?: OperationOptions): Promise<HeartbeatOutcome>;
  /** The bash ramdisk's callback (iscsi_ilo, pxe_ilo). */
  passDeployInfo?(
    task: Task,
    args: Record<string, JsonValue | undefined>,
    options?: OperationOptions,
  ): Promise<void>;
}

/**
 * Finds the node whose ports have these MAC addresses (the embedder's port table), for the
 * agent's `lookup`. `undefined` when none (or more than one) matches.
 *
 * @example
 * ```ts
 * const lookupNode: NodeLookup = async (macs) => db.nodeByPortAddresses(macs);
 * ```
 */
export type NodeLookup = (macs: readonly string[], options: OperationOptions) => Promise<Node | undefined>;

/**
 * Options of {@link VendorPassthru}.
 *
 * @example
 * ```ts
 * const vendor = new VendorPassthru({ driver: 'agent_ilo', deploy, power, images, boot, lookupNode });
 * ```
 */
export interface VendorPassthruOptions {
  /** The driver's name, for errors. */
  driver: string;
  /** The deploy interface the heartbeat and `pass_deploy_info` go to. */
  deploy: VendorDeploy;
  /** Reboots the node for `boot_into_iso`. */
  power: Pick<PowerInterface, 'reboot'>;
  /** Checks that a `boot_iso_href` exists. */
  images: Pick<ImageService, 'validateHref'>;
  /** Attaches the ISO of `boot_into_iso` (without it the route throws `NotSupported`). */
  boot?: IsoAttacher;
  /** Finds a node by MAC for `lookup` (without it the route throws `NotSupported`). */
  lookupNode?: NodeLookup;
  /** `[agent] heartbeat_timeout`, told to the agent at lookup. */
  config?: IloConfig;
}

function macsOf(args: Record<string, JsonValue>): string[] {
  const out: string[] = [];
  const add = (v: unknown) => {
    if (typeof v === 'string')
      out.push(
        ...v
          .split(',')
          .map((s) => s.trim().toLowerCase())
          .filter((s) => s !== ''),
      );
  };
  const list = (v: unknown) => (Array.isArray(v) ? v.forEach(add) : add(v));
  list(args.addresses);
  list(args.mac_addresses);
  const interfaces = (args.inventory as { interfaces?: unknown } | null | undefined)?.interfaces;
  if (Array.isArray(interfaces))
    for (const i of interfaces) add((i as { mac_address?: unknown })?.mac_address);
  return [...new Set(out)];
}

function beatOf(args: Record<string, JsonValue>): AgentHeartbeat {
  const beat: AgentHeartbeat = { agentUrl: typeof args.agent_url === 'string' ? args.agent_url : '' };
  if (typeof args.agent_version === 'string') beat.agentVersion = args.agent_version;
  if (typeof args.agent_token === 'string') beat.agentToken = args.agent_token;
  return beat;
}

/**
 * The iLO drivers' vendor passthru: `heartbeat` (the agent), `pass_deploy_info` (the bash
 * ramdisk; iscsi_ilo and pxe_ilo), `boot_into_iso` (boot an arbitrary ISO for debugging, only in
 * `manageable` or maintenance) and the driver route `lookup` (the agent finds its node by MAC).
 * Routes are typed data with Ironic's metadata (HTTP methods, async, description); the typed
 * methods are the same operations for callers that do not go through HTTP.
 *
 * @example
 * ```ts
 * await vendor.validate(task, 'boot_into_iso', { boot_iso_href: 'http://images/debug.iso' });
 * await vendor.bootIntoIso(task, 'http://images/debug.iso');
 * const found = await vendor.lookup({ addresses: ['52:54:00:12:34:56'] }); // { heartbeat_timeout, node }
 * ```
 */
export class VendorPassthru implements VendorInterface {
  /** Node routes: `heartbeat`, `boot_into_iso`, and `pass_deploy_info` when the deploy has it. */
  readonly routes: readonly VendorRoute[];
  /** Driver routes: `lookup`. */
  readonly driverRoutes: readonly DriverVendorRoute[];
  private readonly options: VendorPassthruOptions;
  private readonly config: IloConfig;

  constructor(options: VendorPassthruOptions) {
    this.options = options;
    this.config = options.config ?? parseConfig();
    const routes: VendorRoute[] = [
      {
        name: 'heartbeat',
        httpMethods: ['POST'],
        async: true,
        description: 'The deploy agent reports that it is alive and where its API listens.',
        attach: false,
        handler: async (task, args, o) => {
          const { action } = await this.heartbeat(task, beatOf(args), o);
          return { action };
        },
      },
      {
        name: 'boot_into_iso',
        httpMethods: ['POST'],
        async: true,
        description: 'Boots the node from an ISO (boot_iso_href) attached as virtual CD, for debugging.',
        attach: false,
        handler: async (task, args, o) => {
          await this.bootIntoIso(task, args.boot_iso_href as string, o);
          return undefined;
        },
      },
    ];
    if (options.deploy.passDeployInfo !== undefined) {
      routes.push({
        name: 'pass_deploy_info',
        httpMethods: ['POST'],
        async: true,
        description: "The bash deploy ramdisk reports the iSCSI target exposing the node's disk.",
        attach: false,
        handler: async (task, args, o) => {
          await this.passDeployInfo(task, args, o);
          return undefined;
        },
      });
    }
    this.routes = routes;
    this.driverRoutes = [
      {
        name: 'lookup',
        httpMethods: ['POST'],
        async: false,
        description: 'The deploy agent finds its node by MAC address.',
        attach: true,
        handler: (args, o) => this.lookup(args, o),
      },
    ];
  }

  /** None. */
  getProperties(): PropertyDescriptions {
    return {};
  }

  /**
   * Checks a call before it runs: an unknown method is `UnsupportedDriverExtension`;
   * `pass_deploy_info` needs a matching `key`, `address` and `iqn`; `heartbeat` an `agent_url`;
   * `boot_into_iso` a node in `manageable` or maintenance (`InvalidStateRequested`) and an existing
   * `boot_iso_href` (`MissingParameterValue` without one).
   */
  async validate(task: Task, method: string, args: Record<string, JsonValue>): Promise<void> {
    switch (method) {
      case 'pass_deploy_info':
        if (this.options.deploy.passDeployInfo === undefined) break;
        checkPassDeployInfo(task, args);
        return;
      case 'heartbeat':
        if (typeof args.agent_url !== 'string' || args.agent_url === '') {
          throw new MissingParameterValue('For heartbeat operation, "agent_url" must be specified.', {
            fields: [{ field: 'agent_url', problem: 'required' }],
          });
        }
        return;
      case 'boot_into_iso':
        await this.validateBootIntoIso(
          task,
          args.boot_iso_href,
          task.signal === undefined ? {} : { signal: task.signal },
        );
        return;
    }
    throw new UnsupportedDriverExtension({
      extension: `vendor method ${method}`,
      driver: this.options.driver,
    });
  }

  /** The agent heartbeat, handed to the deploy interface. */
  heartbeat(task: Task, beat: AgentHeartbeat, options: OperationOptions = {}): Promise<HeartbeatOutcome> {
    return this.options.deploy.heartbeat(task, beat, options);
  }

  /** The bash ramdisk's `pass_deploy_info`, handed to the deploy interface. */
  async passDeployInfo(
    task: Task,
    args: Record<string, JsonValue | undefined>,
    options: OperationOptions = {},
  ): Promise<void> {
    const handler = this.options.deploy.passDeployInfo;
    if (handler === undefined) {
      throw new UnsupportedDriverExtension({
        extension: 'vendor method pass_deploy_info',
        driver: this.options.driver,
      });
    }
    await handler.call(this.options.deploy, task, args, options);
  }

  /**
   * Ironic's `boot_into_iso`: checked as {@link VendorPassthru.validate} says, the ISO attached
   * as the CD with a one-time boot from it, and the node rebooted. Needs an exclusive lock.
   */
  async bootIntoIso(task: Task, bootIsoHref: string, options: OperationOptions = {}): Promise<void> {
    requireExclusiveLock(task);
    await this.validateBootIntoIso(task, bootIsoHref, options);
    const attacher = this.options.boot;
    if (attacher === undefined) {
      throw new NotSupported({
        feature: `boot_into_iso on driver ${this.options.driver}`,
        reason: 'the driver was built without virtual media',
      });
    }
    await attacher.attachBootableIso(task, bootIsoHref, options);
    await this.options.power.reboot(task, options);
  }

  /**
   * The agent's lookup: the node whose ports have one of the MAC addresses (`addresses`,
   * `mac_addresses`, or `inventory.interfaces[].mac_address`), as
   * `{ heartbeat_timeout, node }` with its passwords, keys and tokens masked. `NodeNotFound` when
   * none matches.
   */
  async lookup(args: Record<string, JsonValue>, options: OperationOptions = {}): Promise<JsonValue> {
    const macs = macsOf(args);
    if (macs.length === 0) {
      throw new MissingParameterValue('The lookup needs the MAC addresses of the node.', {
        fields: [{ field: 'addresses', problem: 'required' }],
      });
    }
    if (this.options.lookupNode === undefined) {
      throw new NotSupported({
        feature: 'lookup',
        reason: 'the driver was built without a lookupNode function',
      });
    }
    const node = await this.options.lookupNode(macs, options);
    if (node === undefined) throw new NodeNotFound({ node: macs.join(',') });
    return { heartbeat_timeout: this.config.agent.heartbeatTimeout, node: agentNodeView(node) };
  }

  private async validateBootIntoIso(task: Task, href: unknown, options: OperationOptions): Promise<void> {
    const node = task.node;
    if (node.provisionState !== ProvisionState.MANAGEABLE && !node.maintenance) {
      throw new InvalidStateRequested({
        message: `The requested action 'boot_into_iso' can be performed only when node ${node.uuid} is in manageable state or in 'maintenance' mode`,
      });
    }
    if (typeof href !== 'string' || href === '') {
      throw new MissingParameterValue(
        "Error validating input for boot_into_iso vendor passthru. Some parameters were not provided: ['boot_iso_href']",
        { fields: [{ field: 'boot_iso_href', problem: 'required' }] },
      );
    }
    await this.options.images.validateHref(href, options);
  }
}
