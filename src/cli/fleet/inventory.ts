import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, extname, resolve } from 'node:path';
import type { FieldIssue } from '../../index.js';
import type { IloConnectionFlags } from '../ilo-options.js';
import { invalid, portFrom, readPasswordFile, throwIssues } from '../ilo-options.js';
import { parseCsv } from './csv.js';

/** One iLO of an inventory file, as written (before the defaults of the flags apply). */
export interface InventoryEntry {
  /** Where it was written, for messages: `ilos.csv:3`. */
  where: string;
  /** iLO address (host name, IPv4, or IPv6 without brackets). */
  address?: string;
  /** HTTPS port. */
  port?: unknown;
  /** iLO user. */
  username?: unknown;
  /** File holding this iLO's password (relative to the inventory file). */
  passwordFile?: unknown;
  /** CA bundle for this iLO (relative to the inventory file). */
  caFile?: unknown;
  /** Skip TLS verification for this iLO. */
  insecure?: unknown;
}

/** The connection flags fleet mode applies to entries that do not set their own. */
export interface FleetDefaults {
  /** `--port`. */
  port?: number;
  /** `--username`. */
  username: string;
  /** `--password-file` or `ILO_PASSWORD`. */
  password?: string;
  /** `--ca-file`. */
  caFile?: string;
  /** `--insecure`. */
  insecure: boolean;
}

/** One iLO to read, ready to connect to. */
export interface FleetTarget {
  /** Where it was written, for messages. */
  where: string;
  /** `address` or `address:port`, as the results name it. */
  name: string;
  /** How to reach it. */
  connection: IloConnectionFlags;
}

/** The most iLOs one inventory may hold. */
export const MAX_INVENTORY = 20_000;
const MAX_BYTES = 16 * 1024 * 1024;
const KEYS = ['address', 'port', 'username', 'passwordFile', 'caFile', 'insecure'] as const;
const KEY_BY_FOLDED = new Map<string, (typeof KEYS)[number]>(KEYS.map((k) => [k.toLowerCase(), k]));

/** `passwordFile`, `password_file` and `password-file` are one key. */
const fold = (key: string) => key.toLowerCase().replace(/[-_ ]/g, '');

/** Copies an object's known keys into an entry, naming unknown ones (and refusing inline passwords). */
function entryOf(where: string, raw: unknown, issues: FieldIssue[]): InventoryEntry | undefined {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    issues.push({ field: where, problem: 'must be an object with an address' });
    return undefined;
  }
  const entry: Record<string, unknown> = { where };
  for (const [key, value] of Object.entries(raw)) {
    const known = KEY_BY_FOLDED.get(fold(key));
    if (known !== undefined) entry[known] = value;
    else if (fold(key) === 'password')
      issues.push({
        field: `${where} ${key}`,
        problem: 'inventories hold no passwords: put it in a file and name it with passwordFile',
      });
    else issues.push({ field: `${where} ${key}`, problem: `unknown key (known: ${KEYS.join(', ')})` });
  }
  if (typeof entry.address !== 'string' || entry.address.trim() === '') {
    issues.push({ field: `${where} address`, problem: 'required' });
    return undefined;
  }
  return entry as unknown as InventoryEntry;
}

/** `[user@]host[:port]`, `[user@][v6]:port` or a bare IPv6 address. */
function entryOfLine(where: string, line: string, issues: FieldIssue[]): InventoryEntry | undefined {
  const m = /^(?:([^@\s]+)@)?(?:\[([^\]]+)\]|([^:\s]+)|([0-9a-fA-F:]+))(?::(\d+))?$/.exec(line);
  const [, username, v6, host, bareV6, port] = m ?? [];
  const address = v6 ?? host ?? bareV6;
  if (address === undefined) {
    issues.push({ field: where, problem: 'must be [user@]host[:port]' });
    return undefined;
  }
  const entry: InventoryEntry = { where, address };
  if (username !== undefined) entry.username = username;
  if (port !== undefined) entry.port = port;
  return entry;
}

/** The file's text; a typed error when it cannot be read or is too large. */
function readText(path: string): string {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    invalid([{ field: '--file', problem: `cannot read ${path}` }]);
  }
  if (size > MAX_BYTES) invalid([{ field: '--file', problem: `${path} is over 16 MiB` }]);
  return readFileSync(path, 'utf8');
}

function jsonArray(name: string, text: string, issues: FieldIssue[]): Array<InventoryEntry | undefined> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    invalid([{ field: name, problem: `is not JSON: ${(error as Error).message}` }]);
  }
  if (!Array.isArray(parsed)) invalid([{ field: name, problem: 'must be a JSON array of iLOs' }]);
  return parsed.map((raw, i) => entryOf(`${name}[${i}]`, raw, issues));
}

function csvRows(name: string, text: string, issues: FieldIssue[]): Array<InventoryEntry | undefined> {
  const [header, ...rows] = parseCsv(text);
  if (header === undefined) invalid([{ field: name, problem: 'is empty: it needs a header row' }]);
  return rows.map((row) => {
    const pairs = header.cells.map((h, i) => [h, row.cells[i] ?? ''] as const).filter(([, v]) => v !== '');
    return entryOf(`${name}:${row.line}`, Object.fromEntries(pairs), issues);
  });
}

function lines(name: string, text: string, json: boolean, issues: FieldIssue[]) {
  const out: Array<InventoryEntry | undefined> = [];
  for (const [i, raw] of text.split(/\r?\n/).entries()) {
    const line = (json ? raw : raw.replace(/#.*/, '')).trim();
    if (line === '' || line.startsWith('#')) continue;
    const where = `${name}:${i + 1}`;
    if (!json) {
      out.push(entryOfLine(where, line, issues));
      continue;
    }
    try {
      out.push(entryOf(where, JSON.parse(line) as unknown, issues));
    } catch {
      issues.push({ field: where, problem: 'is not a JSON object' });
    }
  }
  return out;
}

/**
 * The entries of an inventory file, by extension: `.json` (an array of objects), `.jsonl` /
 * `.ndjson` (an object per line), `.csv` (a header row naming the keys), anything else one
 * `[user@]host[:port]` per line (`#` starts a comment). Bad entries are added to `issues`; a file
 * that cannot be read or parsed at all throws.
 */
export function readInventory(path: string, issues: FieldIssue[]): InventoryEntry[] {
  const name = basename(path);
  const text = readText(path);
  const ext = extname(path).toLowerCase();
  const entries =
    ext === '.json'
      ? jsonArray(name, text, issues)
      : ext === '.csv'
        ? csvRows(name, text, issues)
        : lines(name, text, ext === '.jsonl' || ext === '.ndjson', issues);
  const found = entries.filter((e): e is InventoryEntry => e !== undefined);
  if (found.length === 0 && issues.length === 0) issues.push({ field: name, problem: 'lists no iLO' });
  if (found.length > MAX_INVENTORY) issues.push({ field: name, problem: `lists over ${MAX_INVENTORY} iLOs` });
  return found;
}

const flag = (value: unknown): boolean | undefined => {
  if (value === undefined || value === '') return undefined;
  if (value === true || value === false) return value;
  const v = String(value).toLowerCase();
  return ['true', 'yes', '1'].includes(v) ? true : ['false', 'no', '0'].includes(v) ? false : undefined;
};

/**
 * Resolves entries against the flags' defaults: ports, users, password files (read once each;
 * relative to the inventory), CA files, duplicates. Problems are added to `issues`; only the
 * entries without any become targets.
 */
export function fleetTargets(
  inventoryPath: string,
  entries: readonly InventoryEntry[],
  defaults: FleetDefaults,
  issues: FieldIssue[],
): FleetTarget[] {
  const base = dirname(resolve(inventoryPath));
  const passwords = new Map<string, string | undefined>();
  const seen = new Map<string, string>();
  const targets: FleetTarget[] = [];
  for (const e of entries) {
    const before = issues.length;
    const at = (key: string) => `${e.where} ${key}`;
    const address = e.address!.trim();
    const port = e.port === undefined ? defaults.port : portFrom(e.port, at('port'), issues);
    const username = e.username === undefined ? defaults.username : String(e.username);
    let password = defaults.password;
    if (e.passwordFile !== undefined) {
      const file = resolve(base, String(e.passwordFile));
      if (!passwords.has(file)) passwords.set(file, readPasswordFile(file, at('passwordFile'), issues));
      password = passwords.get(file);
    } else if (password === undefined) {
      issues.push({
        field: at('passwordFile'),
        problem: 'none, and neither ILO_PASSWORD nor --password-file',
      });
    }
    const insecure = e.insecure === undefined ? defaults.insecure : flag(e.insecure);
    if (insecure === undefined) issues.push({ field: at('insecure'), problem: 'must be true or false' });
    const caFile = e.caFile === undefined ? defaults.caFile : resolve(base, String(e.caFile));
    if (caFile !== undefined && !existsSync(caFile))
      issues.push({ field: at('caFile'), problem: `${caFile} does not exist` });
    if (caFile !== undefined && insecure === true)
      issues.push({ field: at('insecure'), problem: 'cannot be combined with a CA file' });
    const name = port === undefined ? address : `${address}:${port}`;
    const first = seen.get(name.toLowerCase());
    if (first !== undefined)
      issues.push({ field: e.where, problem: `${name} is listed twice (first at ${first})` });
    seen.set(name.toLowerCase(), e.where);
    if (issues.length > before || password === undefined) continue;
    const connection: IloConnectionFlags = { address, username, password, insecure: insecure === true };
    if (port !== undefined) connection.port = port;
    if (caFile !== undefined) connection.caFile = caFile;
    targets.push({ where: e.where, name, connection });
  }
  return targets;
}

/**
 * The iLOs of an inventory file, ready to connect to. Every problem of every entry is reported
 * in one `InvalidParameterValue`, before any iLO is contacted.
 */
export function loadInventory(path: string, defaults: FleetDefaults): FleetTarget[] {
  const issues: FieldIssue[] = [];
  const targets = fleetTargets(path, readInventory(path, issues), defaults, issues);
  throwIssues(issues);
  return targets;
}
