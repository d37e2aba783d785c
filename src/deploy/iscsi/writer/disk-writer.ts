/**
 * `DiskWriter`: what the iscsi_ilo deploy calls once the deploy ramdisk has exposed its disk
 * (`pass_deploy_info` posts `address`, `iqn`, `port`, `lun`), and its iSCSI implementation.
 */
import type { Logger } from '../../../contracts/index.js';
import { noopLogger, redactingLogger } from '../../../util/index.js';
import type { ChapCredentials } from '../initiator/login.js';
import { IscsiLun } from '../initiator/lun.js';
import type { IscsiProposal } from '../protocol/negotiation.js';
import { checkDiskWriteRequest } from './check-request.js';
import type { DiskWriteOptions, DiskWriteRequest, DiskWriteResult } from './types.js';
import { writeDiskImage } from './write-disk-image.js';

/**
 * Where the deploy ramdisk exposes the node's disk: what it posts to `pass_deploy_info`.
 *
 * @example
 * ```ts
 * const target: IscsiTarget = { address: '10.0.0.23', port: 3260, iqn: 'iqn.2008-10.org.openstack:1be26c0b', lun: 1 };
 * ```
 */
export interface IscsiTarget {
  /** The node's address on the provisioning network. */
  address: string;
  /** iSCSI port (default 3260). */
  port?: number | undefined;
  /** The target name (`iscsi_target_iqn` given to the ramdisk). */
  iqn: string;
  /** Logical unit number (default 1). */
  lun?: number | undefined;
  /** CHAP credentials for this target (overrides the writer's). */
  chap?: ChapCredentials | undefined;
}

/**
 * Writes an image onto a node's disk. The deploy driver depends on this interface; tests swap
 * in `FileDiskWriter` from `ironic-ilo/testing`.
 *
 * @example
 * ```ts
 * const writer: DiskWriter = new IscsiDiskWriter({ logger });
 * const { rootUuid, diskIdentifier } = await writer.write(
 *   { address, iqn, port: 3260, lun: 1 },
 *   { image: { path: cachedImage }, imageChecksum, partitions: { rootMb: rootGb * 1024, swapMb, bootMode } },
 *   { signal: task.signal },
 * );
 * ```
 */
export interface DiskWriter {
  /** Writes the image; resolves with the root UUID (partition image) or disk identifier (whole disk). */
  write(target: IscsiTarget, request: DiskWriteRequest, options?: DiskWriteOptions): Promise<DiskWriteResult>;
}

/**
 * Options of {@link IscsiDiskWriter}: the initiator's identity, credentials, timeouts and
 * queueing.
 *
 * @example
 * ```ts
 * const options: IscsiDiskWriterOptions = { initiatorName: 'iqn.2008-10.org.openstack:conductor-1', queueDepth: 8 };
 * ```
 */
export interface IscsiDiskWriterOptions {
  /** Our IQN (default `iqn.2008-10.org.openstack:ironic-ilo.<hostname>`). */
  initiatorName?: string | undefined;
  /** CHAP credentials used for every target that has none of its own. */
  chap?: ChapCredentials | undefined;
  /** Milliseconds for the TCP connect (default 10 000). */
  connectTimeoutMs?: number | undefined;
  /** Milliseconds for the login (default 15 000). */
  loginTimeoutMs?: number | undefined;
  /** Milliseconds any one command may take before the write fails (default 60 000). */
  commandTimeoutMs?: number | undefined;
  /** Writes kept in flight (default 16). */
  queueDepth?: number | undefined;
  /** Largest write in bytes (default 1 MiB). */
  maxTransferBytes?: number | undefined;
  /** Operational proposals for the login. */
  proposal?: IscsiProposal | undefined;
  /** Where the writer logs (CHAP secrets are redacted). */
  logger?: Logger | undefined;
}

/**
 * The iSCSI {@link DiskWriter}: a userspace initiator (no iscsiadm, no kernel module, no root)
 * logs in to the ramdisk's target, writes the image, flushes, and logs out — also when the write
 * fails.
 *
 * @example
 * ```ts
 * const writer = new IscsiDiskWriter({ logger: consoleLogger('info') });
 * const result = await writer.write(
 *   { address: '10.0.0.23', iqn: 'iqn.2008-10.org.openstack:1be26c0b' },
 *   { image: { path: '/var/lib/ironic/images/1be26c0b/disk' }, imageChecksum: 'd41d8cd98f00b204e9800998ecf8427e' },
 * );
 * console.log(result.diskIdentifier);
 * ```
 */
export class IscsiDiskWriter implements DiskWriter {
  constructor(private readonly options: IscsiDiskWriterOptions = {}) {}

  async write(
    target: IscsiTarget,
    request: DiskWriteRequest,
    options: DiskWriteOptions = {},
  ): Promise<DiskWriteResult> {
    // A bad request is refused before a login is spent on it.
    await checkDiskWriteRequest(request);
    const chap = target.chap ?? this.options.chap;
    const logger = redactingLogger(options.logger ?? this.options.logger ?? noopLogger, () => [
      chap?.secret,
      chap?.mutual?.secret,
    ]);
    const lun = await IscsiLun.open({
      host: target.address,
      port: target.port,
      targetName: target.iqn,
      lun: target.lun,
      chap,
      initiatorName: this.options.initiatorName,
      connectTimeoutMs: this.options.connectTimeoutMs,
      loginTimeoutMs: this.options.loginTimeoutMs,
      commandTimeoutMs: this.options.commandTimeoutMs,
      queueDepth: this.options.queueDepth,
      maxTransferBytes: this.options.maxTransferBytes,
      proposal: this.options.proposal,
      logger,
      signal: options.signal,
    });
    try {
      return await writeDiskImage(lun, request, { ...options, logger });
    } finally {
      await lun.close();
    }
  }
}
