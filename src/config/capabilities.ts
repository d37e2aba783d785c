import type { InstanceInfo, JsonValue } from '../contracts/index.js';
import { InvalidParameterValue } from '../errors/index.js';

/**
 * Parses Ironic's capabilities string `"k1:v1,k2:v2"` (split on `,`, then on the first `:`).
 *
 * @example
 * ```ts
 * parseCapabilities('boot_mode:uefi,secure_boot:true'); // { boot_mode: 'uefi', secure_boot: 'true' }
 * ```
 */
export function parseCapabilities(text: string | undefined | null): Record<string, string> {
  const out: Record<string, string> = {};
  if (text === undefined || text === null || text.trim() === '') return out;
  for (const pair of text.split(',')) {
    const at = pair.indexOf(':');
    if (at <= 0)
      throw new InvalidParameterValue(`Invalid capabilities string '${text}'.`, {
        fields: [{ field: 'capabilities', problem: 'must be "key:value,key:value"' }],
      });
    out[pair.slice(0, at).trim()] = pair.slice(at + 1).trim();
  }
  return out;
}

/**
 * Formats capabilities as `"k1:v1,k2:v2"`.
 *
 * @example
 * ```ts
 * formatCapabilities({ boot_mode: 'uefi' }); // 'boot_mode:uefi'
 * ```
 */
export function formatCapabilities(capabilities: Record<string, string>): string {
  return Object.entries(capabilities)
    .map(([k, v]) => `${k}:${v}`)
    .join(',');
}

/**
 * Merges new capabilities into an existing string, keeping unrelated keys (Ironic's
 * `get_updated_capabilities`). A malformed existing string is an {@link InvalidParameterValue}.
 *
 * @example
 * ```ts
 * mergeCapabilities('foo:bar', { boot_mode: 'uefi' }); // 'foo:bar,boot_mode:uefi'
 * ```
 */
export function mergeCapabilities(
  current: string | undefined | null,
  updates: Record<string, string>,
): string {
  return formatCapabilities({ ...parseCapabilities(current), ...updates });
}

/**
 * Reads `instance_info.capabilities`, which may be a dict or a JSON string; values become strings.
 *
 * @example
 * ```ts
 * instanceCapabilities({ capabilities: '{"secure_boot": "true"}' }); // { secure_boot: 'true' }
 * ```
 */
export function instanceCapabilities(
  instanceInfo: Pick<InstanceInfo, 'capabilities'>,
): Record<string, string> {
  let caps: JsonValue | undefined = instanceInfo.capabilities;
  if (caps === undefined || caps === null || caps === '') return {};
  if (typeof caps === 'string') {
    try {
      caps = JSON.parse(caps) as JsonValue;
    } catch {
      throw new InvalidParameterValue('Invalid capabilities in instance_info: not valid JSON.', {
        fields: [{ field: 'instance_info.capabilities', problem: 'must be a JSON object' }],
      });
    }
  }
  if (typeof caps !== 'object' || caps === null || Array.isArray(caps)) {
    throw new InvalidParameterValue('Invalid capabilities in instance_info: expected an object.', {
      fields: [{ field: 'instance_info.capabilities', problem: 'must be an object' }],
    });
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(caps)) out[k] = typeof v === 'string' ? v : JSON.stringify(v);
  return out;
}
