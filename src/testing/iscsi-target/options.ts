/**
 * The options of the simulated iSCSI target and their validation: every bad field is named at
 * once (never with a secret's value).
 */
import { type FieldIssue, InvalidParameterValue, type Logger } from '../../index.js';
import type { ChapAccount } from './chap.js';
import type { IscsiTargetNegotiation } from './negotiation.js';

/**
 * One logical unit of a simulated target.
 *
 * @example
 * ```ts
 * const disk: SimulatedLunOptions = { lun: 1, sizeBytes: 3 * 2 ** 40, thin: true }; // sparse 3 TiB
 * ```
 */
export interface SimulatedLunOptions {
  /** Logical unit number, 0–16383 (default: 1 for the first LUN, then the next unused number). */
  lun?: number;
  /** Size in bytes, a multiple of `blockSize`; may be omitted when `path` is an existing file (its size). */
  sizeBytes?: number;
  /** Logical block size (default 512). */
  blockSize?: 512 | 4096;
  /**
   * `'file'` (default): a sparse file — `path`, or a temp file that `close()` removes;
   * `'memory'`: sparse 64 KiB chunks in memory.
   */
  storage?: 'file' | 'memory';
  /**
   * Backing file: used as it is when it exists (extended sparsely to `sizeBytes`, never
   * shortened), created sparse otherwise; never removed.
   */
  path?: string;
  /**
   * Thin provisioning (default false, as tgt): READ CAPACITY(16) reports LBPME and LBPRZ, VPD
   * page 0xB2 advertises UNMAP and WRITE SAME with UNMAP, which then deallocate.
   */
  thin?: boolean;
  /** Writes fail with DATA PROTECT, WRITE PROTECTED (default false). */
  readOnly?: boolean;
  /** INQUIRY vendor identification, up to 8 characters (default `'IRONIC'`). */
  vendor?: string;
  /** INQUIRY product identification, up to 16 characters (default `'SIMULATED DISK'`). */
  product?: string;
  /** INQUIRY product revision, up to 4 characters (default `'0001'`). */
  revision?: string;
  /** Unit serial number (VPD page 0x80), up to 64 characters (default: derived from target and LUN). */
  serial?: string;
}

/**
 * One target (an IQN) of the simulator.
 *
 * @example
 * ```ts
 * const target: SimulatedTargetOptions = {
 *   iqn: 'iqn.2008-10.org.openstack:1be26c0b',
 *   luns: [{ lun: 1, sizeBytes: 10 * 2 ** 30 }],
 *   chap: { username: 'ironic', secret: 'shared-secret-1' },
 * };
 * ```
 */
export interface SimulatedTargetOptions {
  /** The target name: `iqn.…`, `eui.…` or `naa.…`. */
  iqn: string;
  /** `TargetAlias` sent at login. */
  alias?: string;
  /** Its logical units (default: LUN 1, 8 GiB, in a sparse temp file, as the deploy ramdisk exposes the disk). */
  luns?: readonly SimulatedLunOptions[];
  /** CHAP account initiators must log in with; without it, no authentication is asked. */
  chap?: ChapAccount;
  /** The target's own account for mutual CHAP, when the initiator asks the target to prove itself. */
  mutualChap?: ChapAccount;
  /** This target's negotiation settings (default: the simulator's). */
  negotiation?: IscsiTargetNegotiation;
}

/**
 * Options of {@link IscsiTargetSimulator.start}.
 *
 * @example
 * ```ts
 * const options: IscsiTargetSimulatorOptions = {
 *   targets: [{ iqn: 'iqn.2008-10.org.openstack:node-1', luns: [{ sizeBytes: 4 * 2 ** 30 }] }],
 *   negotiation: TGT_NEGOTIATION,
 * };
 * ```
 */
export interface IscsiTargetSimulatorOptions {
  /** Address to listen on (default `'127.0.0.1'`). */
  host?: string;
  /** Port (default 0: an ephemeral port, see {@link IscsiTargetSimulator.port}). */
  port?: number;
  /** Targets to serve from the start; more can be added with `addTarget`. */
  targets?: readonly SimulatedTargetOptions[];
  /** Negotiation settings of every target that has none of its own (default: fast, see `IscsiTargetNegotiation`). */
  negotiation?: IscsiTargetNegotiation;
  /** Send a NOP-In ping this often in every session; one left unanswered until the next drops the connection. */
  nopInIntervalMs?: number;
  /** Directory for temp backing files (default: the OS temp directory). */
  tempDirectory?: string;
  /** Where sessions, refused logins and protocol violations are logged (never CHAP secrets). */
  logger?: Logger;
  /** Cancels the start. */
  signal?: AbortSignal;
}

const TARGET_NAME = /^(iqn\.\d{4}-\d{2}\.[^\s,]+|eui\.[0-9a-f]{16}|naa\.[0-9a-f]{16,32})$/i;
const PRINTABLE = /^[\x20-\x7e]*$/;

const NUMBERS: Record<keyof IscsiTargetNegotiation, [number, number] | 'boolean'> = {
  maxRecvDataSegmentLength: [512, 16777215],
  maxBurstLength: [512, 16777215],
  firstBurstLength: [512, 16777215],
  initialR2T: 'boolean',
  immediateData: 'boolean',
  maxOutstandingR2T: [1, 65535],
  defaultTime2Wait: [0, 3600],
  defaultTime2Retain: [0, 3600],
  targetPortalGroupTag: [0, 65535],
  commandWindow: [1, 65536],
};

const isInteger = (v: unknown, low: number, high: number): boolean =>
  typeof v === 'number' && Number.isSafeInteger(v) && v >= low && v <= high;

/** Throws {@link InvalidParameterValue} naming every bad field. */
export function throwIfIssues(what: string, issues: FieldIssue[]): void {
  if (issues.length === 0) return;
  throw new InvalidParameterValue(
    `Invalid ${what}: ${issues.map((i) => `${i.field} ${i.problem}`).join('; ')}`,
    { fields: issues },
  );
}

/** Throws {@link InvalidParameterValue} for one bad field. */
export function invalid(what: string, field: string, problem: string): never {
  throw new InvalidParameterValue(`Invalid ${what}: ${field} ${problem}`, { fields: [{ field, problem }] });
}

export function negotiationIssues(n: IscsiTargetNegotiation | undefined, at: string): FieldIssue[] {
  if (n === undefined) return [];
  const issues: FieldIssue[] = [];
  for (const [key, rule] of Object.entries(NUMBERS) as Array<
    [keyof IscsiTargetNegotiation, [number, number] | 'boolean']
  >) {
    const v = n[key];
    if (v === undefined) continue;
    if (rule === 'boolean' ? typeof v !== 'boolean' : !isInteger(v, rule[0], rule[1]))
      issues.push({
        field: `${at}.${key}`,
        problem: rule === 'boolean' ? 'must be true or false' : `must be ${rule[0]}–${rule[1]}`,
      });
  }
  if (
    n.firstBurstLength !== undefined &&
    n.maxBurstLength !== undefined &&
    n.firstBurstLength > n.maxBurstLength
  )
    issues.push({ field: `${at}.firstBurstLength`, problem: 'must not exceed maxBurstLength' });
  return issues;
}

function chapIssues(account: ChapAccount | undefined, at: string): FieldIssue[] {
  if (account === undefined) return [];
  const issues: FieldIssue[] = [];
  if (typeof account.username !== 'string' || account.username === '' || !PRINTABLE.test(account.username))
    issues.push({ field: `${at}.username`, problem: 'must be a non-empty printable name' });
  if (typeof account.secret !== 'string' || account.secret === '')
    issues.push({ field: `${at}.secret`, problem: 'must be a non-empty string' });
  return issues;
}

function lunIssues(l: SimulatedLunOptions, at: string): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const bad = (field: string, problem: string) => issues.push({ field: `${at}.${field}`, problem });
  const blockSize = l.blockSize ?? 512;
  if (blockSize !== 512 && blockSize !== 4096) bad('blockSize', 'must be 512 or 4096');
  if (l.lun !== undefined && !isInteger(l.lun, 0, 16383)) bad('lun', 'must be 0–16383');
  if (l.storage !== undefined && l.storage !== 'file' && l.storage !== 'memory')
    bad('storage', "must be 'file' or 'memory'");
  if (l.storage === 'memory' && l.path !== undefined) bad('path', "cannot be given with storage 'memory'");
  if (l.path !== undefined && (typeof l.path !== 'string' || l.path === ''))
    bad('path', 'must be a file path');
  if (l.sizeBytes === undefined) {
    if (l.path === undefined) bad('sizeBytes', 'required (unless path names an existing file)');
  } else if (!isInteger(l.sizeBytes, blockSize, Number.MAX_SAFE_INTEGER) || l.sizeBytes % blockSize !== 0) {
    bad('sizeBytes', `must be a positive multiple of the block size (${blockSize})`);
  }
  const widths: Array<[keyof SimulatedLunOptions, number]> = [
    ['vendor', 8],
    ['product', 16],
    ['revision', 4],
    ['serial', 64],
  ];
  for (const [key, width] of widths) {
    const v = l[key];
    if (v !== undefined && (typeof v !== 'string' || v.length > width || !PRINTABLE.test(v)))
      bad(key, `must be printable ASCII, at most ${width} characters`);
  }
  for (const key of ['thin', 'readOnly'] as const)
    if (l[key] !== undefined && typeof l[key] !== 'boolean') bad(key, 'must be true or false');
  return issues;
}

/** Problems of one target's options; `at` is its field path (`targets[0]`). */
export function targetIssues(t: SimulatedTargetOptions, at: string): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (typeof t.iqn !== 'string' || !TARGET_NAME.test(t.iqn) || t.iqn.length > 223)
    issues.push({ field: `${at}.iqn`, problem: 'must be an iqn., eui. or naa. name of at most 223 bytes' });
  if (t.alias !== undefined && (typeof t.alias !== 'string' || !PRINTABLE.test(t.alias)))
    issues.push({ field: `${at}.alias`, problem: 'must be printable text' });
  issues.push(...chapIssues(t.chap, `${at}.chap`), ...chapIssues(t.mutualChap, `${at}.mutualChap`));
  if (t.mutualChap !== undefined && t.chap === undefined)
    issues.push({ field: `${at}.mutualChap`, problem: 'needs chap: the initiator authenticates first' });
  // RFC 7143 § 12.1.3: the two directions must not share a secret.
  if (t.mutualChap !== undefined && t.chap !== undefined && t.mutualChap.secret === t.chap.secret)
    issues.push({ field: `${at}.mutualChap.secret`, problem: 'must differ from chap.secret' });
  issues.push(...negotiationIssues(t.negotiation, `${at}.negotiation`));
  const numbers = new Set<number>();
  (t.luns ?? []).forEach((l, i) => {
    issues.push(...lunIssues(l, `${at}.luns[${i}]`));
    if (l.lun !== undefined) {
      if (numbers.has(l.lun))
        issues.push({ field: `${at}.luns[${i}].lun`, problem: `LUN ${l.lun} given twice` });
      numbers.add(l.lun);
    }
  });
  return issues;
}

/** Problems of the simulator's own options (targets included). */
export function simulatorIssues(o: IscsiTargetSimulatorOptions): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (o.host !== undefined && (typeof o.host !== 'string' || o.host === ''))
    issues.push({ field: 'host', problem: 'must be an address' });
  if (o.port !== undefined && !isInteger(o.port, 0, 65535))
    issues.push({ field: 'port', problem: 'must be 0–65535' });
  if (o.nopInIntervalMs !== undefined && !isInteger(o.nopInIntervalMs, 1, 2 ** 31 - 1))
    issues.push({ field: 'nopInIntervalMs', problem: 'must be a positive number of milliseconds' });
  issues.push(...negotiationIssues(o.negotiation, 'negotiation'));
  const names = new Set<string>();
  (o.targets ?? []).forEach((t, i) => {
    issues.push(...targetIssues(t, `targets[${i}]`));
    if (names.has(t.iqn)) issues.push({ field: `targets[${i}].iqn`, problem: 'names a target given twice' });
    names.add(t.iqn);
  });
  return issues;
}
