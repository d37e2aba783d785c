import { type IloTaskContext, toIloOperationError } from '../client/index.js';
import type { IloConfig } from '../config/index.js';
import { BootMode } from '../contracts/index.js';
import { IloOperationNotSupported } from '../errors/index.js';
import {
  getBootModeForDeploy,
  isSecureBootRequested,
  recordDeployBootMode,
  updateDeployBootMode,
} from './boot-mode.js';

/**
 * Ironic's `get_secure_boot_mode`: `false` without asking when the server does not boot UEFI;
 * otherwise the iLO's answer. A command the hardware lacks is `IloOperationNotSupported`.
 */
export async function readSecureBoot(ctx: IloTaskContext): Promise<boolean> {
  try {
    if ((await ctx.ilo.getCurrentBootMode(ctx.call)) !== 'UEFI') return false;
    return await ctx.ilo.getSecureBootMode(ctx.call);
  } catch (error) {
    throw toIloOperationError(error, `Get secure boot mode for node ${ctx.task.node.uuid}.`, {
      notSupported: true,
    });
  }
}

/** Ironic's `set_secure_boot_mode`: takes effect at the next boot. */
export async function writeSecureBoot(ctx: IloTaskContext, enable: boolean): Promise<void> {
  try {
    await ctx.ilo.setSecureBootMode(enable, ctx.call);
  } catch (error) {
    throw toIloOperationError(error, `Setting secure boot to ${enable} for node ${ctx.task.node.uuid}.`, {
      notSupported: true,
    });
  }
  ctx.log.info(
    `Node ${ctx.task.node.uuid} secure boot ${enable ? 'enabled' : 'disabled'} from its next boot`,
  );
}

/** Ironic's `update_secure_boot_mode`: changes secure boot only when the instance asks for it. */
export async function updateRequestedSecureBoot(ctx: IloTaskContext, enable: boolean): Promise<boolean> {
  if (!isSecureBootRequested(ctx.task.node)) return false;
  await writeSecureBoot(ctx, enable);
  return true;
}

/**
 * Ironic's `_disable_secure_boot_if_supported` (tear-down): turns requested secure boot off,
 * swallowing `IloOperationNotSupported` with a warning so that a node wrongly flagged for secure
 * boot can still be torn down.
 */
export async function disableRequestedSecureBoot(ctx: IloTaskContext): Promise<void> {
  try {
    await updateRequestedSecureBoot(ctx, false);
  } catch (error) {
    if (!(error instanceof IloOperationNotSupported)) throw error;
    ctx.log.warn(`Secure boot cannot be disabled on node ${ctx.task.node.uuid}: ${error.message}`);
  }
}

/**
 * Ironic's `_disable_secure_boot`: turns secure boot off when it is on. Returns whether it did;
 * `false` when it was off or the hardware has no secure boot.
 */
export async function disableSecureBootIfOn(ctx: IloTaskContext): Promise<boolean> {
  let on: boolean;
  try {
    on = await readSecureBoot(ctx);
  } catch (error) {
    if (error instanceof IloOperationNotSupported) return false;
    throw error;
  }
  if (!on) return false;
  await writeSecureBoot(ctx, false);
  return true;
}

/**
 * The boot-mode part of Ironic's `_prepare_node_for_deploy` (after the power off, which is the
 * caller's): secure boot is turned off when on; then, because secure boot and boot mode cannot
 * change together, the boot mode is left alone and `uefi` recorded when nothing else decides
 * the mode; otherwise the deploy boot mode is updated.
 */
export async function prepareDeployBootMode(ctx: IloTaskContext, config: IloConfig): Promise<BootMode> {
  if (await disableSecureBootIfOn(ctx)) {
    const decided = getBootModeForDeploy(ctx.task.node);
    if (decided !== null) return decided;
    await recordDeployBootMode(ctx, BootMode.UEFI);
    return BootMode.UEFI;
  }
  return updateDeployBootMode(ctx, config);
}
