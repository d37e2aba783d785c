import { accessSync, constants, readFileSync } from 'node:fs';
import type { Command } from 'commander';
import {
  consoleLogger,
  type DiskWriteRequest,
  type FieldIssue,
  InvalidParameterValue,
  IscsiDiskWriter,
  type IscsiTarget,
  noopLogger,
} from '../../index.js';
import { chapFromFlags } from '../chap-flags.js';
import { withExamples } from '../help.js';
import { interrupted } from '../interrupt.js';
import { debugEnabled } from '../log.js';
import { withJsonOption } from '../node-task.js';
import { printResult } from '../output.js';

/** What `ironic-ilo iscsi-write` was asked to do, validated. */
export interface IscsiWriteInput {
  /** Where to write. */
  target: IscsiTarget;
  /** What to write. */
  request: DiskWriteRequest;
  /** Our IQN, when given. */
  initiatorName?: string;
}

const int = (v: unknown): number | undefined => {
  if (typeof v !== 'string' || !/^\d+$/.test(v)) return undefined;
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : undefined;
};

function readable(path: unknown): boolean {
  try {
    accessSync(String(path), constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

/** `HOST`, `HOST:PORT` or `[IPv6]:PORT`. */
function parsePortal(value: string): { host: string; port: number } | undefined {
  const m = /^(?:\[([^\]]+)\]|([^:[\]]+))(?::(\d+))?$/.exec(value);
  if (!m) return undefined;
  const port = m[3] === undefined ? 3260 : Number(m[3]);
  return port >= 1 && port <= 65535 ? { host: (m[1] ?? m[2])!, port } : undefined;
}

/**
 * Validates the flags of `iscsi-write`, naming every bad one at once. The CHAP secret comes from
 * `ISCSI_CHAP_SECRET` or `--chap-secret-file`, never from the command line.
 */
export function iscsiWriteInput(
  opts: Record<string, unknown>,
  env: NodeJS.ProcessEnv = process.env,
): IscsiWriteInput {
  const issues: FieldIssue[] = [];
  const bad = (field: string, problem: string) => issues.push({ field, problem });
  const portal = typeof opts.portal === 'string' ? parsePortal(opts.portal) : undefined;
  if (!portal) bad('--portal', 'must be HOST, HOST:PORT or [IPv6]:PORT');
  const lun = int(opts.lun ?? '1');
  if (lun === undefined || lun > 16383) bad('--lun', 'must be an integer 0–16383');
  if (!readable(opts.image)) bad('--image', 'cannot be read');
  const format = opts.imageFormat;
  if (format !== undefined && format !== 'raw' && format !== 'qcow2')
    bad('--image-format', 'must be raw or qcow2');

  const chap = chapFromFlags(opts, env, bad);

  const layoutFlags = ['rootGb', 'swapMb', 'ephemeralGb', 'bootMode', 'configdrive'] as const;
  const flagName = (k: string) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
  let partitions: DiskWriteRequest['partitions'];
  if (opts.partition === true) {
    const rootGb = int(opts.rootGb);
    if (rootGb === undefined || rootGb === 0)
      bad('--root-gb', 'required with --partition, a positive integer');
    const swapMb = int(opts.swapMb ?? '0');
    if (swapMb === undefined) bad('--swap-mb', 'must be a non-negative integer');
    const ephemeralGb = int(opts.ephemeralGb ?? '0');
    if (ephemeralGb === undefined) bad('--ephemeral-gb', 'must be a non-negative integer');
    const bootMode = opts.bootMode ?? 'bios';
    if (bootMode !== 'bios' && bootMode !== 'uefi') bad('--boot-mode', 'must be bios or uefi');
    let configdrive: string | undefined;
    if (opts.configdrive !== undefined) {
      if (readable(opts.configdrive)) configdrive = readFileSync(String(opts.configdrive), 'utf8').trim();
      else bad('--configdrive', 'cannot be read');
    }
    partitions = {
      rootMb: (rootGb ?? 0) * 1024,
      swapMb: swapMb ?? 0,
      ephemeralMb: (ephemeralGb ?? 0) * 1024,
      bootMode: bootMode === 'uefi' ? 'uefi' : 'bios',
      configdrive,
    };
  } else {
    for (const k of layoutFlags) if (opts[k] !== undefined) bad(flagName(k), 'needs --partition');
  }

  if (issues.length > 0)
    throw new InvalidParameterValue(issues.map((i) => `${i.field} ${i.problem}`).join('; '), {
      fields: issues,
    });
  const request: DiskWriteRequest = {
    image: { path: String(opts.image) },
    imageFormat: format as DiskWriteRequest['imageFormat'],
    imageChecksum: typeof opts.checksum === 'string' ? opts.checksum : undefined,
    partitions,
    assumeZeroed: opts.assumeZeroed === true,
  };
  const input: IscsiWriteInput = {
    target: { address: portal!.host, port: portal!.port, iqn: String(opts.iqn), lun: lun!, chap },
    request,
  };
  if (typeof opts.initiatorName === 'string') input.initiatorName = opts.initiatorName;
  return input;
}

/** `ironic-ilo iscsi-write`: writes a disk image to an iSCSI LUN, as iscsi_ilo's deploy does. */
export function registerIscsiWrite(program: Command): void {
  const cmd = program
    .command('iscsi-write')
    .description(
      'write a disk image (raw or qcow2, whole-disk or partition) to an iSCSI LUN with the userspace initiator, as iscsi_ilo does',
    )
    .requiredOption('--portal <host:port>', 'target portal (port 3260 when omitted)')
    .requiredOption('--iqn <iqn>', 'target name')
    .option('--lun <n>', 'logical unit number', '1')
    .requiredOption('--image <file>', 'the image file')
    .option('--image-format <format>', 'raw or qcow2 (default: detected)')
    .option('--checksum <digest>', 'image_checksum: md5 hex, or sha256:… / sha512:…')
    .option('--partition', 'the image is a partition image: partition the disk around it', false)
    .option('--root-gb <n>', 'root partition size in GiB (with --partition)')
    .option('--swap-mb <n>', 'swap partition size in MiB (with --partition)')
    .option('--ephemeral-gb <n>', 'ephemeral partition size in GiB, left unformatted (with --partition)')
    .option('--boot-mode <mode>', 'bios (MBR) or uefi (GPT with an EFI system partition) (with --partition)')
    .option(
      '--configdrive <file>',
      'file holding the config drive as Ironic stores it: gzip+base64 (with --partition)',
    )
    .option(
      '--chap-username <user>',
      'CHAP user; the secret comes from ISCSI_CHAP_SECRET or --chap-secret-file',
    )
    .option('--chap-secret-file <file>', 'read the CHAP secret from this file')
    .option('--initiator-name <iqn>', 'our IQN (default iqn.2008-10.org.openstack:ironic-ilo.<hostname>)')
    .option(
      '--assume-zeroed',
      'the disk reads as zeros already: skip zero runs instead of writing them',
      false,
    )
    .option('--verbose', 'log progress to stderr', false);
  withExamples(
    withJsonOption(cmd),
    'ISCSI_CHAP_SECRET=… ironic-ilo iscsi-write --portal 10.0.0.23 --iqn iqn.2008-10.org.openstack:1be26c0b --chap-username ironic --image disk.qcow2',
    'ironic-ilo iscsi-write --portal 10.0.0.23:3260 --iqn IQN --image root.img --partition --root-gb 10 --swap-mb 512 --boot-mode uefi --json',
  ).action(async (opts: Record<string, unknown>) => {
    const input = iscsiWriteInput(opts);
    const logger =
      opts.verbose === true || debugEnabled() ? consoleLogger(debugEnabled() ? 'debug' : 'info') : noopLogger;
    const writer = new IscsiDiskWriter({ initiatorName: input.initiatorName, logger });
    const r = await writer.write(input.target, input.request, { signal: interrupted });
    printResult(
      {
        rootUuid: r.rootUuid ?? null,
        bytesWritten: r.bytesWritten,
        bytesZeroed: r.bytesZeroed,
        imageSize: r.imageSize,
        imageFormat: r.imageFormat,
        diskIdentifier: r.diskIdentifier ?? null,
        efiSystemPartitionUuid: r.efiSystemPartitionUuid ?? null,
      },
      opts.json === true,
    );
  });
}
