import {
  type IloInterfaceOptions,
  type IloTaskContext,
  IloTaskRunner,
  type ServerCapabilities,
} from '../client/index.js';
import { ILO_REQUIRED_PROPERTIES, parseCapabilities } from '../config/index.js';
import type {
  InspectInterface,
  Logger,
  OperationOptions,
  PowerInterface,
  PropertyDescriptions,
  Task,
} from '../contracts/index.js';
import { PowerState, ProvisionState } from '../contracts/index.js';
import { HardwareInspectionFailure, IloError, IloOperationError, MACAlreadyExists } from '../errors/index.js';
import { IloPower } from '../power/index.js';
import { requireExclusiveLock } from '../util/index.js';
import { inspectedCapabilities, mergeInspectedCapabilities, reportedFamilies } from './capabilities.js';
import { type EssentialInspection, type EssentialNodeProperties, essentialProperties } from './essential.js';
import type { PortRegistry } from './ports.js';

/**
 * Options of {@link Inspector}.
 *
 * @example
 * ```ts
 * const inspector = new Inspector({ config, clients, logger, ports: myPortTable, power });
 * ```
 */
export interface InspectorOptions extends IloInterfaceOptions {
  /** Where the discovered ports are created. */
  ports: PortRegistry;
  /** Powers the node on for inspection and off again (default: an `IloPower` with the same options). */
  power?: PowerInterface;
}

/**
 * What an inspection found and recorded.
 *
 * @example
 * ```ts
 * const { properties, capabilities, macs } = await inspector.inspect(task);
 * ```
 */
export interface InspectionResult {
  /** The next provision state: `manageable`. */
  provisionState: ProvisionState;
  /** The scheduling properties now in `node.properties`. */
  properties: EssentialNodeProperties;
  /** The capabilities string now in `node.properties.capabilities`. */
  capabilities: string;
  /** Every MAC address the iLO reported (embedded host ports). */
  macs: string[];
  /** The MACs a port was created for (the others already had one). */
  portsCreated: string[];
  /** Whether the node was off and powered on (and off again) for the inspection. */
  poweredOnForInspection: boolean;
}

/** A task without its signal: cleaning up after a cancelled inspection must still reach the iLO. */
function uncancellable(task: Task): Task {
  return {
    node: task.node,
    ports: task.ports,
    shared: task.shared,
    save: () => task.save(),
    processEvent: (event) => task.processEvent(event),
  };
}

/**
 * Ironic's `IloInspect`: out-of-band hardware inspection. A node that is off is powered on for it
 * and off again afterwards (also when inspection fails). Reads the essential properties
 * (`HardwareInspectionFailure` with Ironic's messages when they are missing or malformed), copies
 * `memory_mb`, `local_gb`, `cpus` and `cpu_arch` into `node.properties` (an existing `local_gb` is
 * kept when the iLO reports 0, as without a RAID volume), merges the capabilities into the
 * `"k:v,k:v"` string keeping the operator's keys, saves the node, and creates a port for each MAC
 * through the {@link PortRegistry} (an existing one is a warning). Needs an exclusive lock.
 *
 * @example
 * ```ts
 * const inspector = new Inspector({ config, clients, logger, ports });
 * const next = await inspector.inspectHardware(task); // 'manageable'
 * console.log(task.node.properties); // { memory_mb: 98304, local_gb: 557, cpus: 24, cpu_arch: 'x86_64', capabilities: '…' }
 * ```
 */
export class Inspector implements InspectInterface {
  private readonly runner: IloTaskRunner;
  private readonly ports: PortRegistry;
  private readonly power: PowerInterface;

  constructor(options: InspectorOptions) {
    this.runner = new IloTaskRunner(options);
    this.ports = options.ports;
    this.power = options.power ?? new IloPower(options);
  }

  /** The iLO credentials. */
  getProperties(): PropertyDescriptions {
    return { ...ILO_REQUIRED_PROPERTIES };
  }

  /** Validates `driver_info` (every bad field at once); no network I/O. */
  async validate(task: Task): Promise<void> {
    this.runner.driverInfo(task);
  }

  /** Inspects the node (see the class description); resolves to `manageable`. */
  async inspectHardware(task: Task, options: OperationOptions = {}): Promise<ProvisionState> {
    return (await this.inspect(task, options)).provisionState;
  }

  /** Inspects the node and says what it found and recorded. */
  async inspect(task: Task, options: OperationOptions = {}): Promise<InspectionResult> {
    requireExclusiveLock(task);
    parseCapabilities(task.node.properties.capabilities);
    this.runner.driverInfo(task);
    const log = this.runner.nodeLogger(task);
    const poweredOn = await this.powerOnIfOff(task, options, log);
    try {
      const result = await this.runner.run(task, options, (ctx) => this.discover(ctx));
      if (poweredOn) await this.powerOff(task, options, log);
      return { ...result, poweredOnForInspection: poweredOn };
    } catch (error) {
      if (poweredOn) await this.powerOffAfterFailure(task, log);
      throw error;
    }
  }

  private async powerOnIfOff(task: Task, options: OperationOptions, log: Logger): Promise<boolean> {
    let state: PowerState;
    try {
      state = await this.power.getPowerState(task, options);
    } catch (error) {
      if (!(error instanceof IloOperationError)) throw error;
      throw new IloOperationError({
        operation: `Inspecting hardware (get_power_state) on ${task.node.uuid}`,
        error: error.message,
        cause: error,
      });
    }
    if (state === PowerState.ON) return false;
    log.info(`The node ${task.node.uuid} is not powered on. Powering on the node for inspection.`);
    await this.power.setPowerState(task, PowerState.ON, options);
    task.node.powerState = PowerState.ON;
    return true;
  }

  private async powerOff(task: Task, options: OperationOptions, log: Logger): Promise<void> {
    await this.power.setPowerState(task, PowerState.OFF, options);
    task.node.powerState = PowerState.OFF;
    await task.save();
    log.info(
      `The node ${task.node.uuid} was powered on for inspection. Powered off the node as inspection completed.`,
    );
  }

  private async powerOffAfterFailure(task: Task, log: Logger): Promise<void> {
    try {
      await this.powerOff(uncancellable(task), {}, log);
    } catch (error) {
      log.warn(`Node ${task.node.uuid} stays on after a failed inspection: powering it off failed`, {
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }

  private async discover(ctx: IloTaskContext): Promise<Omit<InspectionResult, 'poweredOnForInspection'>> {
    const { task, ilo, call, log } = ctx;
    const node = task.node;
    let essential: EssentialInspection;
    try {
      essential = essentialProperties(node.uuid, await ilo.getEssentialProperties(call));
    } catch (error) {
      if (!(error instanceof IloError)) throw error;
      throw new HardwareInspectionFailure({ error: error.message, cause: error });
    }
    const properties = { ...essential.properties };
    const known = node.properties.local_gb;
    if (properties.local_gb === 0 && typeof known === 'number' && known > 0) {
      log.warn(`The iLO of node ${node.uuid} reports no local disk: keeping local_gb ${known}`);
      properties.local_gb = known;
    }
    let caps: ServerCapabilities | undefined;
    try {
      caps = await ilo.getServerCapabilities(call);
    } catch (error) {
      if (!(error instanceof IloError)) throw error;
      log.debug(`Node ${node.uuid} did not return any additional capabilities.`, { error: error.message });
    }
    const capabilities =
      caps === undefined
        ? (node.properties.capabilities ?? '')
        : mergeInspectedCapabilities(
            node.properties.capabilities,
            inspectedCapabilities(caps),
            reportedFamilies(caps),
          );
    node.properties = { ...node.properties, ...properties, ...(capabilities === '' ? {} : { capabilities }) };
    await task.save();
    const portsCreated = await this.createPorts(ctx, essential.macs);
    log.info(`Node ${node.uuid} inspected.`, { properties });
    return {
      provisionState: ProvisionState.MANAGEABLE,
      properties,
      capabilities,
      macs: essential.macs,
      portsCreated,
    };
  }

  private async createPorts({ task, call, log }: IloTaskContext, macs: readonly string[]): Promise<string[]> {
    const created: string[] = [];
    for (const mac of macs) {
      try {
        await this.ports.createPort(task, mac, call);
        created.push(mac);
        log.info(`Port created for MAC address ${mac} for node ${task.node.uuid}`);
      } catch (error) {
        if (!(error instanceof MACAlreadyExists)) throw error;
        log.warn(`Port already exists for MAC address ${mac} for node ${task.node.uuid}`);
      }
    }
    return created;
  }
}
