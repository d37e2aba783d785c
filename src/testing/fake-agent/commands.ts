/**
 * The commands of the fake agent, with the extensions, names, parameters and results of the
 * Ironic Python Agent (`standby`, `image`, `iscsi`, `clean`, `log`).
 */
import type { Dispatcher } from 'undici';
import type { AgentImageInfo, IscsiTarget, JsonValue } from '../../index.js';
import type { CommandSpec } from './command-log.js';
import { DEVICE, type FakeDisk, type PartitionUuids } from './disk.js';
import { cleaningFailed, executionFailed, invalidParams, versionMismatch } from './ipa-errors.js';
import { logsTarball } from './logs-tarball.js';

/** The generic hardware manager's clean steps (ironic-python-agent). */
export const GENERIC_CLEAN_STEPS: readonly { [key: string]: JsonValue }[] = [
  { step: 'erase_devices', priority: 10, interface: 'deploy', reboot_requested: false, abortable: true },
  {
    step: 'erase_devices_metadata',
    priority: 99,
    interface: 'deploy',
    reboot_requested: false,
    abortable: true,
  },
  { step: 'erase_pstore', priority: 0, interface: 'deploy', reboot_requested: false, abortable: true },
  { step: 'delete_configuration', priority: 0, interface: 'raid', reboot_requested: false, abortable: true },
  { step: 'create_configuration', priority: 0, interface: 'raid', reboot_requested: false, abortable: true },
];

/** The hardware managers' versions the fake agent reports. */
export const HARDWARE_MANAGER_VERSION = { generic_hardware_manager: '1.1' };

/** What the commands read and record. */
export interface CommandContext {
  disk: FakeDisk;
  http: { dispatcher: Dispatcher; timeoutMs: number };
  /** Aborted when the ramdisk stops (power off, reboot, close). */
  session(): AbortSignal;
  powerOff(): void;
  reboot(): void;
  iscsiBackend: { pathOf(target: IscsiTarget): Promise<string> } | undefined;
  record: {
    partitionUuids: PartitionUuids;
    iscsiTargets: string[];
    cleanSteps: string[];
    bootloaders: { [key: string]: JsonValue }[];
    log: string[];
  };
}

function validateImageInfo(params: { [key: string]: JsonValue }): void {
  const info = params.image_info as { [key: string]: JsonValue } | null | undefined;
  for (const field of ['id', 'urls']) {
    if (info === null || typeof info !== 'object' || !(field in info))
      throw invalidParams(`Image is missing '${field}' field.`);
  }
  const image = info as { [key: string]: JsonValue };
  if (!Array.isArray(image.urls) || image.urls.length === 0)
    throw invalidParams("Image 'urls' must be a list with at least one element.");
  const md5 = image.checksum;
  if (md5 !== undefined && md5 !== null && (typeof md5 !== 'string' || md5 === ''))
    throw invalidParams("Image 'checksum' must be a non-empty string.");
  const algo = image.os_hash_algo;
  const value = image.os_hash_value;
  if (algo || value) {
    if (typeof algo !== 'string' || algo === '')
      throw invalidParams("Image 'os_hash_algo' must be a non-empty string.");
    if (typeof value !== 'string' || value === '')
      throw invalidParams("Image 'os_hash_value' must be a non-empty string.");
  }
  if (!(typeof md5 === 'string' && md5 !== '') && !(algo && value)) {
    throw invalidParams(
      "Image checksum is not available, either the 'checksum' field or the 'os_hash_algo' and 'os_hash_value' fields pair must be set for image verification.",
    );
  }
}

function rootUuidMessage(info: AgentImageInfo, uuids: PartitionUuids): string {
  const efi = uuids['efi system partition uuid'];
  const base = `image (${info.id}) written to device ${DEVICE} root_uuid=${uuids['root uuid'] ?? 'None'}`;
  return info.deploy_boot_mode === 'uefi' && info.boot_option === 'local' && efi !== undefined
    ? `${base} efi_system_partition_uuid=${efi}`
    : base;
}

/** The commands, by full name. */
export function agentCommands(ctx: CommandContext): Record<string, CommandSpec> {
  return {
    'standby.prepare_image': {
      async: true,
      validate: validateImageInfo,
      run: async (p) => {
        const info = p.image_info as unknown as AgentImageInfo;
        const configdrive = typeof p.configdrive === 'string' ? p.configdrive : undefined;
        const { uuids } = await ctx.disk.writeImage(info, configdrive, ctx.http, ctx.session());
        ctx.record.partitionUuids = uuids;
        const message = rootUuidMessage(info, uuids);
        ctx.record.log.push(message);
        return { result: `prepare_image: ${message}` };
      },
    },
    'standby.get_partition_uuids': { async: false, run: () => ({ ...ctx.record.partitionUuids }) },
    'standby.sync': {
      async: false,
      run: async () => {
        await ctx.disk.sync();
        return null;
      },
    },
    'standby.power_off': {
      async: true,
      run: async () => {
        await ctx.disk.sync();
        // The answer must be recorded before the machine goes dark.
        setTimeout(() => ctx.powerOff(), 5);
        return null;
      },
    },
    'standby.run_image': {
      async: true,
      run: async () => {
        await ctx.disk.sync();
        setTimeout(() => ctx.reboot(), 5);
        return null;
      },
    },
    'image.install_bootloader': {
      async: true,
      validate: (p) => {
        if (typeof p.root_uuid !== 'string' || p.root_uuid === '')
          throw invalidParams('root_uuid is required.');
      },
      run: (p) => {
        const written = ctx.record.partitionUuids['root uuid'];
        if (written !== p.root_uuid)
          throw executionFailed(`No root partition with UUID ${String(p.root_uuid)} on ${DEVICE}`);
        ctx.record.bootloaders.push({ ...p });
        return null;
      },
    },
    'iscsi.start_iscsi_target': {
      async: false,
      validate: (p) => {
        if (typeof p.iqn !== 'string' || p.iqn === '') throw invalidParams('iqn is required.');
      },
      run: async (p) => {
        const iqn = p.iqn as string;
        const port = typeof p.portal_port === 'number' ? p.portal_port : 3260;
        if (ctx.iscsiBackend !== undefined) {
          ctx.disk.path = await ctx.iscsiBackend.pathOf({ address: '127.0.0.1', iqn, port, lun: 1 });
          await ctx.disk.ensure();
        }
        if (p.wipe_disk_metadata === true) await ctx.disk.eraseMetadata();
        ctx.record.iscsiTargets.push(iqn);
        return { iscsi_target_iqn: iqn };
      },
    },
    'clean.get_clean_steps': {
      async: false,
      run: () => ({
        clean_steps: { GenericHardwareManager: structuredClone(GENERIC_CLEAN_STEPS) as JsonValue[] },
        hardware_manager_version: { ...HARDWARE_MANAGER_VERSION },
      }),
    },
    'clean.execute_clean_step': {
      async: true,
      run: async (p) => {
        const version = p.clean_version;
        if (
          version !== null &&
          version !== undefined &&
          JSON.stringify(version) !== JSON.stringify(HARDWARE_MANAGER_VERSION)
        )
          throw versionMismatch(JSON.stringify(HARDWARE_MANAGER_VERSION), JSON.stringify(version));
        const step = p.step as { [key: string]: JsonValue } | null;
        if (step === null || typeof step !== 'object' || typeof step.step !== 'string')
          throw executionFailed(`Malformed clean_step, no "step" key: ${JSON.stringify(step)}`);
        await runCleanStep(ctx, step.step);
        ctx.record.cleanSteps.push(step.step);
        return { clean_result: null, clean_step: step };
      },
    },
    'log.collect_system_logs': {
      async: false,
      run: () => ({ system_logs: logsTarball('fake-agent.log', ctx.record.log.join('\n')) }),
    },
  };
}

async function runCleanStep(ctx: CommandContext, step: string): Promise<void> {
  switch (step) {
    case 'erase_devices':
      return ctx.disk.erase();
    case 'erase_devices_metadata':
      return ctx.disk.eraseMetadata();
    case 'erase_pstore':
    case 'delete_configuration':
    case 'create_configuration':
      return;
    default:
      throw cleaningFailed(`Error performing clean_step ${step}: no hardware manager supports it`);
  }
}
