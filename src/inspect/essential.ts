import { HardwareInspectionFailure } from '../errors/index.js';

/**
 * The scheduling properties inspection writes into `node.properties`, in Ironic's names.
 *
 * @example
 * ```ts
 * const p: EssentialNodeProperties = { memory_mb: 98304, local_gb: 557, cpus: 24, cpu_arch: 'x86_64' };
 * ```
 */
export interface EssentialNodeProperties {
  /** RAM in MiB. */
  memory_mb: number;
  /** Local disk in GiB (0 when the iLO cannot tell, for example without a RAID volume). */
  local_gb: number;
  /** Logical CPUs. */
  cpus: number;
  /** CPU architecture, `x86_64`. */
  cpu_arch: string;
}

/**
 * The essential properties and MAC addresses of an inspection, validated.
 *
 * @example
 * ```ts
 * const { properties, macs }: EssentialInspection = essentialProperties(node.uuid, answer);
 * ```
 */
export interface EssentialInspection {
  /** The scheduling properties. */
  properties: EssentialNodeProperties;
  /** The MAC addresses, lower case, without duplicates. */
  macs: string[];
}

/** The client's property names and Ironic's. */
const KEYS: ReadonlyArray<[string, keyof EssentialNodeProperties]> = [
  ['memoryMb', 'memory_mb'],
  ['localGb', 'local_gb'],
  ['cpus', 'cpus'],
  ['cpuArch', 'cpu_arch'],
];
const MAC = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/;

const fail = (error: string) => new HardwareInspectionFailure({ error });
const isDict = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isEmpty = (v: unknown) =>
  v === undefined || v === null || v === '' || (typeof v === 'object' && Object.keys(v).length === 0);

function properties(uuid: string, raw: unknown): EssentialNodeProperties {
  if (isEmpty(raw)) throw fail(`The node ${uuid} didn't return 'properties' as the key with inspection.`);
  if (!isDict(raw)) {
    throw fail(
      `Essential properties are expected to be in dictionary format, received ${JSON.stringify(raw)} from node ${uuid}.`,
    );
  }
  const missing = KEYS.filter(([ours, ironic]) => !(ours in raw) && !(ironic in raw)).map(
    ([, ironic]) => ironic,
  );
  if (missing.length > 0) throw fail(`Server didn't return the key(s): ${missing.join(', ')}`);
  const value = (ours: string, ironic: string) => raw[ours] ?? raw[ironic];
  const out = Object.fromEntries(KEYS.map(([ours, ironic]) => [ironic, value(ours, ironic)]));
  const bad = KEYS.map(([, k]) => k).filter((k) =>
    k === 'cpu_arch'
      ? typeof out[k] !== 'string' || out[k] === ''
      : typeof out[k] !== 'number' || !Number.isInteger(out[k]) || (out[k] as number) < 0,
  );
  if (bad.length > 0) throw fail(`Server returned invalid value(s) for: ${bad.join(', ')}`);
  return out as unknown as EssentialNodeProperties;
}

function macs(uuid: string, raw: unknown): string[] {
  if (isEmpty(raw)) throw fail(`The node ${uuid} didn't return 'macs' as the key with inspection.`);
  if (!isDict(raw))
    throw fail(`Node ${uuid} didn't return MACs ${JSON.stringify(raw)} in dictionary format.`);
  const out = Object.values(raw).map((m) => (typeof m === 'string' ? m.toLowerCase() : m));
  const bad = out.filter((m) => typeof m !== 'string' || !MAC.test(m));
  if (bad.length > 0) throw fail(`Node ${uuid} returned invalid MAC address(es): ${JSON.stringify(bad)}`);
  return [...new Set(out as string[])];
}

/**
 * Validates what the iLO answered to `getEssentialProperties()` with Ironic's checks and
 * messages (`HardwareInspectionFailure`): properties present, a dictionary, with `memory_mb`,
 * `local_gb`, `cpus` and `cpu_arch` (non-negative integers and a name); MACs present, a
 * dictionary of valid addresses. Accepts the client's camel-cased keys or Ironic's.
 *
 * @example
 * ```ts
 * const { properties, macs } = essentialProperties(node.uuid, await ilo.getEssentialProperties());
 * ```
 */
export function essentialProperties(uuid: string, data: unknown): EssentialInspection {
  const d = isDict(data) ? data : {};
  return { properties: properties(uuid, d.properties), macs: macs(uuid, d.macs) };
}
