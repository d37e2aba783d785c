/** What opening an iSCSI session and running a SCSI command take and give. */
import { hostname } from 'node:os';
import type { Logger, OperationOptions } from '../../../contracts/index.js';
import { type FieldIssue, InvalidParameterValue } from '../../../errors/index.js';
import type { IscsiProposal } from '../protocol/negotiation.js';
import type { Cdb } from '../scsi/cdb.js';
import type { ChapCredentials } from './login.js';

/**
 * Where and how to open a session.
 *
 * @example
 * ```ts
 * const options: IscsiSessionOptions = { host: '10.0.0.5', targetName: 'iqn.2008-10.org.openstack:node-1' };
 * ```
 */
export interface IscsiSessionOptions extends OperationOptions {
  /** Target address (the deploy ramdisk's `address`). */
  host: string;
  /** Target port (default 3260). */
  port?: number | undefined;
  /** Target IQN (the ramdisk's `iqn`). */
  targetName: string;
  /** Our IQN (default {@link defaultInitiatorName}). */
  initiatorName?: string | undefined;
  /** CHAP credentials, when the target wants them. */
  chap?: ChapCredentials | undefined;
  /** Operational proposals (segment and burst lengths, InitialR2T, ImmediateData). */
  proposal?: IscsiProposal | undefined;
  /** Milliseconds for the TCP connect (default 10 000). */
  connectTimeoutMs?: number | undefined;
  /** Milliseconds for the login phase (default 15 000, open-iscsi's `login_timeout`). */
  loginTimeoutMs?: number | undefined;
  /** Milliseconds a command may take, queueing included, before the session is failed (default 60 000). */
  commandTimeoutMs?: number | undefined;
  /** Milliseconds for the logout (default 5 000). */
  logoutTimeoutMs?: number | undefined;
  /** Where protocol events are logged (never CHAP secrets). */
  logger?: Logger | undefined;
}

/**
 * One SCSI command for {@link IscsiSession.execute}.
 *
 * @example
 * ```ts
 * const tur: ScsiRequest = { lun: 1, cdb: { bytes: Buffer.alloc(6), name: 'TEST UNIT READY' } };
 * ```
 */
export interface ScsiRequest {
  /** Logical unit number. */
  lun: number;
  /** The CDB. */
  cdb: Cdb;
  /** Data to send (write commands). */
  dataOut?: Uint8Array | undefined;
  /** Bytes expected back (read commands). */
  dataInLength?: number | undefined;
}

/**
 * How a SCSI command completed.
 *
 * @example
 * ```ts
 * const result: ScsiResult = await session.execute(tur);
 * if (result.status !== 0) console.log(result.sense);
 * ```
 */
export interface ScsiResult {
  /** SCSI status (0 = GOOD). */
  status: number;
  /** Data received (trimmed by the residual count). */
  data: Buffer;
  /** Sense data, when the status came with it. */
  sense: Buffer | undefined;
}

/**
 * The initiator name used when none is given: OpenStack's IQN prefix and this host's name.
 *
 * @example
 * ```ts
 * defaultInitiatorName(); // 'iqn.2008-10.org.openstack:ironic-ilo.conductor-1'
 * ```
 */
export function defaultInitiatorName(): string {
  const host =
    hostname()
      .toLowerCase()
      .replace(/[^a-z0-9.-]/g, '-') || 'localhost';
  return `iqn.2008-10.org.openstack:ironic-ilo.${host}`;
}

const TARGET_NAME = /^(iqn\.\d{4}-\d{2}\.[^\s]+|eui\.[0-9a-f]{16}|naa\.[0-9a-f]{16,32})$/i;

/** Checks where a session (and a LUN) goes, naming every bad field; returns the port (default 3260). */
export function checkSessionTarget(
  options: Pick<IscsiSessionOptions, 'host' | 'port' | 'targetName'> & { lun?: number | undefined },
): number {
  const issues: FieldIssue[] = [];
  if (typeof options.host !== 'string' || options.host === '')
    issues.push({ field: 'address', problem: 'required' });
  if (!TARGET_NAME.test(options.targetName ?? ''))
    issues.push({ field: 'iqn', problem: 'must be an iqn., eui. or naa. name' });
  const port = options.port ?? 3260;
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    issues.push({ field: 'port', problem: 'must be 1–65535' });
  const lun = options.lun ?? 0;
  if (!Number.isInteger(lun) || lun < 0 || lun > 16383)
    issues.push({ field: 'lun', problem: 'must be 0–16383' });
  if (issues.length > 0)
    throw new InvalidParameterValue(
      `Invalid iSCSI target: ${issues.map((i) => `${i.field} ${i.problem}`).join(', ')}`,
      { fields: issues },
    );
  return port;
}
