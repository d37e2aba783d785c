import { type IloConfig, parseConfig } from '../../config/index.js';
import type {
  BootInterface,
  Clock,
  Logger,
  OperationOptions,
  PowerInterface,
  RamdiskParams,
  Task,
} from '../../contracts/index.js';
import type { ImageService } from '../../store/index.js';
import { noopLogger, redactingLogger, systemClock } from '../../util/index.js';
import type { AgentClient } from '../agent/index.js';
import type { DeployManagement } from './node.js';

/**
 * A boot interface that can re-publish and re-attach what a dead conductor published
 * (`VirtualMediaBoot.takeOver`).
 *
 * @example
 * ```ts
 * const boot: BootInterface & TakeOverBoot = new VirtualMediaBoot({ store, images });
 * ```
 */
export interface TakeOverBoot {
  /** Publishes the floppy (from `params`) or the boot ISO again and re-attaches them, when needed. */
  takeOver(task: Task, params: RamdiskParams | undefined, options?: OperationOptions): Promise<void>;
}

/**
 * What every deploy interface of this library is built with; the driver factories fill it in.
 *
 * @example
 * ```ts
 * const options: DeployInterfaceOptions = { boot, power, management, images, agent, config, logger };
 * const deploy = new AgentDeploy(options);
 * ```
 */
export interface DeployInterfaceOptions {
  /** How the ramdisk and the instance boot (`VirtualMediaBoot`, or `PxeBoot` for pxe_ilo). */
  boot: BootInterface & Partial<TakeOverBoot>;
  /** Power control (`IloPower`). */
  power: PowerInterface;
  /** Boot device, boot mode and secure boot (`IloManagement`). */
  management: DeployManagement;
  /** Resolves and downloads the node's image references. */
  images: ImageService;
  /** Talks to the Ironic Python Agent on the node (deploy and in-band cleaning). */
  agent: AgentClient;
  /** ironic.conf options (default: every default). */
  config?: IloConfig;
  /** Where to log; passwords, deploy keys and agent tokens are removed first. */
  logger?: Logger;
  /** Time of the waits (default: the system clock). */
  clock?: Clock;
}

/** {@link DeployInterfaceOptions} with the defaults filled in. */
export interface DeployContext extends Required<DeployInterfaceOptions> {
  /** The logger for lines about this task's node, its secrets removed. */
  logFor(task: Pick<Task, 'node'>): Logger;
}

/** Every secret a node carries: passwords, the deploy key, the agent token. */
function nodeSecrets(task: Pick<Task, 'node'>): string[] {
  const { driverInfo, instanceInfo, driverInternalInfo } = task.node;
  const out: string[] = [];
  for (const [k, v] of Object.entries(driverInfo))
    if (/password|secret|token/i.test(k) && typeof v === 'string') out.push(v);
  for (const v of [instanceInfo.deploy_key, driverInternalInfo.agent_secret_token])
    if (typeof v === 'string' && v !== '') out.push(v);
  return out;
}

/** Fills in the defaults of {@link DeployInterfaceOptions}. */
export function deployContext(options: DeployInterfaceOptions): DeployContext {
  const logger = options.logger ?? noopLogger;
  return {
    ...options,
    config: options.config ?? parseConfig(),
    logger,
    clock: options.clock ?? systemClock,
    logFor: (task) => (logger === noopLogger ? logger : redactingLogger(logger, () => nodeSecrets(task))),
  };
}

/** The task's and the caller's signals as one `{ signal }`. */
export function callOf(task: Pick<Task, 'signal'>, options: OperationOptions): OperationOptions {
  const signals = [task.signal, options.signal].filter((s): s is AbortSignal => s !== undefined);
  if (signals.length === 0) return {};
  return { signal: signals.length === 1 ? (signals[0] as AbortSignal) : AbortSignal.any(signals) };
}
