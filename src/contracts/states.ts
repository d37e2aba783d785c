/**
 * Power states, as Ironic's `ironic.common.states` spells them.
 *
 * @example
 * ```ts
 * import { PowerState } from 'ironic-ilo';
 * if ((await power.getPowerState(task)) === PowerState.OFF) {
 *   await power.setPowerState(task, PowerState.ON);
 * }
 * ```
 */
export const PowerState = {
  /** The server is on (`'power on'`). */
  ON: 'power on',
  /** The server is off (`'power off'`). */
  OFF: 'power off',
  /** A hard reboot target (`'rebooting'`). */
  REBOOT: 'rebooting',
  /** A graceful (ACPI) power off target (`'soft power off'`). */
  SOFT_POWER_OFF: 'soft power off',
  /** A graceful (ACPI) reboot target (`'soft rebooting'`). */
  SOFT_REBOOT: 'soft rebooting',
  /** The BMC reported something that is neither on nor off (`'error'`). */
  ERROR: 'error',
} as const;

/** One of the {@link PowerState} values. */
export type PowerState = (typeof PowerState)[keyof typeof PowerState];

/**
 * Provision states with their Mitaka names. The embedder owns the state machine; drivers
 * return or request these values exactly as Ironic's drivers did.
 *
 * @example
 * ```ts
 * const next = await driver.deploy.deploy(task); // ProvisionState.DEPLOYWAIT
 * ```
 */
export const ProvisionState = {
  /** Newly enrolled, credentials not yet verified. */
  ENROLL: 'enroll',
  /** Credentials being verified. */
  VERIFYING: 'verifying',
  /** Under operator control; inspection and `boot_into_iso` are allowed here. */
  MANAGEABLE: 'manageable',
  /** Cleaned and ready to be deployed. */
  AVAILABLE: 'available',
  /** Deployed and running its instance. */
  ACTIVE: 'active',
  /** Waiting for the deploy ramdisk to call back (`DEPLOYWAIT`). */
  DEPLOYWAIT: 'wait call-back',
  /** A deploy is under way. */
  DEPLOYING: 'deploying',
  /** The deploy failed. */
  DEPLOYFAIL: 'deploy failed',
  /** The deploy finished (transient). */
  DEPLOYDONE: 'deploy complete',
  /** Tear-down under way. */
  DELETING: 'deleting',
  /** Tear-down finished; returned by `tearDown`. */
  DELETED: 'deleted',
  /** A synchronous clean step is running. */
  CLEANING: 'cleaning',
  /** Waiting for an asynchronous clean step or the cleaning ramdisk. */
  CLEANWAIT: 'clean wait',
  /** Cleaning failed. */
  CLEANFAIL: 'clean failed',
  /** An unrecoverable error. */
  ERROR: 'error',
  /** A rebuild was requested (the node is redeployed with its instance). */
  REBUILD: 'rebuild',
  /** Hardware inspection under way. */
  INSPECTING: 'inspecting',
  /** Hardware inspection failed. */
  INSPECTFAIL: 'inspect failed',
} as const;

/** One of the {@link ProvisionState} values. */
export type ProvisionState = (typeof ProvisionState)[keyof typeof ProvisionState];

/**
 * Events a driver asks the embedder's state machine to process, as Ironic's
 * `task.process_event()` did (`'resume'` when a ramdisk calls back, `'done'`, `'fail'`, …).
 */
export type ProvisionEvent =
  | 'manage'
  | 'provide'
  | 'inspect'
  | 'deploy'
  | 'rebuild'
  | 'delete'
  | 'clean'
  | 'wait'
  | 'resume'
  | 'done'
  | 'fail'
  | 'abort';

/**
 * Boot devices (`ironic.common.boot_devices`). The iLO drivers support `pxe`, `disk` and `cdrom`.
 *
 * @example
 * ```ts
 * await management.setBootDevice(task, BootDevice.CDROM, { persistent: false });
 * ```
 */
export const BootDevice = {
  /** Network boot. */
  PXE: 'pxe',
  /** The local disk. */
  DISK: 'disk',
  /** The (virtual) CD-ROM drive. */
  CDROM: 'cdrom',
  /** The BIOS setup. */
  BIOS: 'bios',
  /** Safe mode. */
  SAFE: 'safe',
  /** WAN boot. */
  WANBOOT: 'wanboot',
  /** iSCSI boot from volume. */
  ISCSIBOOT: 'iscsiboot',
  /** The (virtual) floppy drive. */
  FLOPPY: 'floppy',
  /** UEFI HTTP boot. */
  UEFIHTTP: 'uefihttp',
} as const;

/** One of the {@link BootDevice} values. */
export type BootDevice = (typeof BootDevice)[keyof typeof BootDevice];

/**
 * Boot modes in Ironic's generic spelling. iLO calls them `LEGACY` and `UEFI`.
 *
 * @example
 * ```ts
 * const mode: BootMode = BootMode.UEFI;
 * ```
 */
export const BootMode = {
  /** Legacy BIOS boot (iLO `LEGACY`). */
  BIOS: 'bios',
  /** UEFI boot. */
  UEFI: 'uefi',
} as const;

/** One of the {@link BootMode} values. */
export type BootMode = (typeof BootMode)[keyof typeof BootMode];
