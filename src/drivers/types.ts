import type { VirtualMediaBoot } from '../boot/index.js';
import type { Driver } from '../contracts/index.js';
import type { AgentDeploy, IscsiDeploy, PxeBoot, PxeDeploy, VendorPassthru } from '../deploy/index.js';
import type { Inspector } from '../inspect/index.js';
import type { IloManagement } from '../management/index.js';
import type { IloPower } from '../power/index.js';

/**
 * An iLO driver: Ironic's interfaces composed as its classic drivers were, with the concrete
 * classes typed. Close it when done (`close()` or `await using`): it closes what it created
 * itself (its iLO client pool, image service, agent client, Swift store), never what was given.
 *
 * @example
 * ```ts
 * await using driver = createAgentIloDriver({ config, store, ports, logger });
 * await driver.deploy.validate(task);
 * ```
 */
export interface IloDriver extends Driver, AsyncDisposable {
  /** `iscsi_ilo`, `agent_ilo` or `pxe_ilo`. */
  readonly name: string;
  /** `IloPower` (re-attaches the boot ISO of an active netboot node before it powers on). */
  readonly power: IloPower;
  /** `IloManagement` with the iLO's clean steps. */
  readonly management: IloManagement;
  /** The vendor routes: `heartbeat`, `boot_into_iso`, `lookup`, and `pass_deploy_info` for the iSCSI drivers. */
  readonly vendor: VendorPassthru;
  /** Out-of-band inspection, when the driver was given a `PortRegistry`. */
  readonly inspect?: Inspector;
  /** Closes what the driver created. Idempotent. */
  close(): Promise<void>;
}

/**
 * The iscsi_ilo driver.
 *
 * @example
 * ```ts
 * const driver: IscsiIloDriver = createIscsiIloDriver({ config, swiftAuth });
 * ```
 */
export interface IscsiIloDriver extends IloDriver {
  /** Virtual-media boot. */
  readonly boot: VirtualMediaBoot;
  /** The iSCSI deploy. */
  readonly deploy: IscsiDeploy;
}

/**
 * The agent_ilo driver.
 *
 * @example
 * ```ts
 * const driver: AgentIloDriver = createAgentIloDriver({ config, swiftAuth });
 * ```
 */
export interface AgentIloDriver extends IloDriver {
  /** Virtual-media boot. */
  readonly boot: VirtualMediaBoot;
  /** The agent deploy. */
  readonly deploy: AgentDeploy;
}

/**
 * The pxe_ilo driver.
 *
 * @example
 * ```ts
 * const driver: PxeIloDriver = createPxeIloDriver({ config, pxe });
 * ```
 */
export interface PxeIloDriver extends IloDriver {
  /** PXE boot through the embedder's `PxeConfigurator`. */
  readonly boot: PxeBoot;
  /** The iSCSI deploy with a PXE-booted ramdisk. */
  readonly deploy: PxeDeploy;
}
