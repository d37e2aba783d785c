import {
  type IloBootMode,
  type IloSupportedBootMode,
  type IloTaskContext,
  toIloOperationError,
} from '../client/index.js';
import { type IloConfig, instanceCapabilities, parseCapabilities } from '../config/index.js';
import type { Node } from '../contracts/index.js';
import { BootMode } from '../contracts/index.js';
import { IloCommandNotSupported, InvalidParameterValue } from '../errors/index.js';

const GENERIC_TO_ILO: Readonly<Record<BootMode, IloBootMode>> = Object.freeze({
  bios: 'LEGACY',
  uefi: 'UEFI',
});
const ILO_TO_GENERIC: Readonly<Record<string, BootMode>> = Object.freeze({ LEGACY: 'bios', UEFI: 'uefi' });
const SUPPORTED: Readonly<Record<IloSupportedBootMode, readonly BootMode[]>> = Object.freeze({
  'legacy bios only': [BootMode.BIOS],
  'uefi only': [BootMode.UEFI],
  'legacy bios and uefi': [BootMode.BIOS, BootMode.UEFI],
});

/** `mode` as a {@link BootMode}, or `InvalidParameterValue` naming `field`. */
export function checkedBootMode(mode: unknown, field: string): BootMode {
  const lower = typeof mode === 'string' ? mode.toLowerCase() : mode;
  if (lower === BootMode.BIOS || lower === BootMode.UEFI) return lower;
  throw new InvalidParameterValue(
    `Invalid boot mode ${JSON.stringify(mode)} in ${field}: must be bios or uefi.`,
    {
      fields: [{ field, problem: 'must be bios or uefi' }],
    },
  );
}

/**
 * Whether the instance asks for UEFI secure boot: `instance_info.capabilities.secure_boot` is
 * `'true'` (any case). The capabilities may be an object or JSON text; malformed text is an
 * `InvalidParameterValue`.
 *
 * @example
 * ```ts
 * isSecureBootRequested({ instanceInfo: { capabilities: '{"secure_boot": "true"}' } }); // true
 * ```
 */
export function isSecureBootRequested(node: Pick<Node, 'instanceInfo'>): boolean {
  return instanceCapabilities(node.instanceInfo).secure_boot?.toLowerCase() === 'true';
}

/**
 * The boot mode a deploy must use, as Ironic's `get_boot_mode_for_deploy`, or `null` when nothing
 * decides it: `uefi` when secure boot is requested; `bios` when trusted boot is; otherwise the
 * node's `boot_mode` capability (`properties.capabilities`), then `instance_info.deploy_boot_mode`.
 * No I/O.
 *
 * @example
 * ```ts
 * getBootModeForDeploy({ instanceInfo: {}, properties: { capabilities: 'boot_mode:uefi' } }); // 'uefi'
 * ```
 */
export function getBootModeForDeploy(node: Pick<Node, 'instanceInfo' | 'properties'>): BootMode | null {
  const requested = instanceCapabilities(node.instanceInfo);
  if (requested.secure_boot?.toLowerCase() === 'true') return BootMode.UEFI;
  if (requested.trusted_boot?.toLowerCase() === 'true') return BootMode.BIOS;
  const capability = parseCapabilities(node.properties.capabilities).boot_mode;
  if (capability !== undefined && capability !== '')
    return checkedBootMode(capability, 'properties.capabilities.boot_mode');
  const recorded = node.instanceInfo.deploy_boot_mode;
  if (typeof recorded === 'string' && recorded !== '')
    return checkedBootMode(recorded, 'instance_info.deploy_boot_mode');
  return null;
}

/** The pending boot mode, `LEGACY` when the iLO has no boot-mode commands (iLO 3). */
async function pendingBootMode(ctx: IloTaskContext): Promise<string> {
  try {
    return await ctx.ilo.getPendingBootMode(ctx.call);
  } catch (error) {
    if (error instanceof IloCommandNotSupported) return 'LEGACY';
    throw error;
  }
}

/**
 * Ironic's `set_boot_mode`: requests `mode` for the next reset unless it is already pending.
 * Failures are `IloOperationError("Setting <mode> as boot mode")`.
 */
export async function requestBootMode(ctx: IloTaskContext, mode: BootMode): Promise<void> {
  try {
    const pending = await pendingBootMode(ctx);
    if (ILO_TO_GENERIC[pending] === mode) {
      ctx.log.info(`Node ${ctx.task.node.uuid} pending boot mode is already ${mode}`);
      return;
    }
    await ctx.ilo.setPendingBootMode(GENERIC_TO_ILO[mode], ctx.call);
  } catch (error) {
    throw toIloOperationError(error, `Setting ${mode} as boot mode`);
  }
  ctx.log.info(`Node ${ctx.task.node.uuid} boots in ${mode} mode from its next reset`);
}

/** The boot mode the server runs in; `bios` on iLO 3, whose servers boot legacy BIOS only. */
export async function readBootMode(ctx: IloTaskContext): Promise<BootMode | null> {
  try {
    return ILO_TO_GENERIC[await ctx.ilo.getCurrentBootMode(ctx.call)] ?? null;
  } catch (error) {
    if (error instanceof IloCommandNotSupported) return BootMode.BIOS;
    throw toIloOperationError(error, 'Get current boot mode');
  }
}

/** The boot modes the hardware supports; `bios` only on iLO 3. */
export async function readSupportedBootModes(ctx: IloTaskContext): Promise<readonly BootMode[]> {
  try {
    return SUPPORTED[await ctx.ilo.getSupportedBootMode(ctx.call)];
  } catch (error) {
    if (error instanceof IloCommandNotSupported) return SUPPORTED['legacy bios only'];
    throw toIloOperationError(error, 'Get supported boot modes');
  }
}

/** Records the boot mode chosen for the deploy in `instance_info.deploy_boot_mode` and saves. */
export async function recordDeployBootMode(ctx: IloTaskContext, mode: BootMode): Promise<void> {
  const node = ctx.task.node;
  node.instanceInfo = { ...node.instanceInfo, deploy_boot_mode: mode };
  await ctx.task.save();
}

/**
 * Ironic's `update_boot_mode`, run before a deploy and before booting the instance: the mode
 * {@link getBootModeForDeploy} decides is requested from the iLO; otherwise `[ilo]
 * default_boot_mode` when it is `bios` or `uefi` (requested and recorded); otherwise the pending
 * mode is kept and recorded, `UNKNOWN` pending meaning UEFI is requested (the iLO answers it
 * mostly on UEFI-capable servers), and an iLO without boot-mode commands meaning `bios`.
 */
export async function updateDeployBootMode(ctx: IloTaskContext, config: IloConfig): Promise<BootMode> {
  const node = ctx.task.node;
  const decided = getBootModeForDeploy(node);
  if (decided !== null) {
    await requestBootMode(ctx, decided);
    return decided;
  }
  const fallback = config.ilo.defaultBootMode;
  if (fallback === BootMode.BIOS || fallback === BootMode.UEFI) {
    await requestBootMode(ctx, fallback);
    await recordDeployBootMode(ctx, fallback);
    return fallback;
  }
  let pending: string;
  try {
    pending = await pendingBootMode(ctx);
  } catch (error) {
    throw toIloOperationError(error, 'Get pending boot mode');
  }
  if (pending === 'UNKNOWN') {
    ctx.log.info(`Node ${node.uuid} pending boot mode is unknown: requesting uefi`);
    try {
      await ctx.ilo.setPendingBootMode('UEFI', ctx.call);
    } catch (error) {
      throw toIloOperationError(error, 'Setting uefi as boot mode');
    }
  }
  const mode = ILO_TO_GENERIC[pending] ?? BootMode.UEFI;
  await recordDeployBootMode(ctx, mode);
  return mode;
}
