import type { JsonValue, Node } from '../../contracts/index.js';
import { type FieldIssue, InvalidParameterValue } from '../../errors/index.js';

/** Root device hints the ramdisk understands, and the type of each. */
const HINTS: Readonly<Record<string, 'int' | 'str' | 'bool'>> = {
  size: 'int',
  model: 'str',
  wwn: 'str',
  serial: 'str',
  vendor: 'str',
  wwn_with_extension: 'str',
  wwn_vendor_extension: 'str',
  name: 'str',
  rotational: 'bool',
  hctl: 'str',
  by_path: 'str',
};

/** Python's `urllib.parse.quote` (safe `/`): the ramdisk decodes hints with `unquote`. */
function pythonQuote(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9_.~/-]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function hintProblem(type: 'int' | 'str' | 'bool', value: JsonValue): string | undefined {
  switch (type) {
    case 'int':
      return (typeof value === 'number' && Number.isInteger(value) && value > 0) ||
        (typeof value === 'string' && /^\s*[1-9]\d*\s*$/.test(value))
        ? undefined
        : 'must be a positive integer (GiB)';
    case 'bool':
      return typeof value === 'boolean' || (typeof value === 'string' && /^(true|false)$/i.test(value.trim()))
        ? undefined
        : 'must be true or false';
    case 'str':
      return typeof value === 'string' && value.trim() !== '' ? undefined : 'must be a non-empty string';
  }
}

function formatHint(type: 'int' | 'str' | 'bool', value: JsonValue): string {
  if (type === 'int') return String(Number(value));
  if (type === 'bool') return /^true$/i.test(String(value).trim()) ? 'True' : 'False';
  return pythonQuote(String(value).trim());
}

/**
 * The node's root device hints (`properties.root_device`) flattened for the ramdisk as Ironic's
 * `parse_root_device_hints` did: `key=value` pairs, sorted by key, joined by `,`, string values
 * stripped and percent-encoded (the kernel command line and `parameters.txt` have no room for
 * spaces). `undefined` when the node has no hints. Unknown hints and values of the wrong type are
 * an {@link InvalidParameterValue} naming every one.
 *
 * @example
 * ```ts
 * formatRootDeviceHints({ properties: { root_device: { wwn: '0x4000cca77fc4dba1', size: 100 } } });
 * // 'size=100,wwn=0x4000cca77fc4dba1'
 * ```
 */
export function formatRootDeviceHints(node: Pick<Node, 'properties'>): string | undefined {
  const hints = node.properties.root_device;
  if (hints === undefined || hints === null) return undefined;
  if (typeof hints !== 'object' || Array.isArray(hints)) {
    throw new InvalidParameterValue('Root device hints must be an object.', {
      fields: [{ field: 'properties.root_device', problem: 'must be an object' }],
    });
  }
  const entries = Object.entries(hints).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return undefined;
  const issues: FieldIssue[] = [];
  for (const [key, value] of entries) {
    const type = HINTS[key];
    const problem =
      type === undefined
        ? `is not a valid hint (valid: ${Object.keys(HINTS).join(', ')})`
        : hintProblem(type, value);
    if (problem !== undefined) issues.push({ field: `properties.root_device.${key}`, problem });
  }
  if (issues.length > 0) {
    throw new InvalidParameterValue(
      `Invalid root device hints: ${issues.map((i) => `${i.field} ${i.problem}`).join('; ')}.`,
      { fields: issues },
    );
  }
  return entries
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => `${key}=${formatHint(HINTS[key] as 'int' | 'str' | 'bool', value)}`)
    .join(',');
}
