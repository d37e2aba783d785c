/**
 * Text keys (RFC 7143 § 6.1): `key=value` items, each ended by a NUL byte, in the data segment
 * of Login and Text PDUs. Keys keep their order; a malformed item is reported by name.
 */

/** Key and value pairs in the order written. */
export type KeyValues = ReadonlyArray<readonly [key: string, value: string]>;

/** Names are at most 63 characters of letters, digits and `.-+@_` (§ 6.1). */
const KEY = /^[A-Za-z0-9.\-+@_]{1,63}$/;

/** Reads key=value items; throws with the offending item when one is malformed or repeated. */
export function parseKeys(data: Buffer): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const seen = new Set<string>();
  for (const item of data.toString('utf8').split('\0')) {
    if (item === '') continue;
    const eq = item.indexOf('=');
    const key = eq < 0 ? item : item.slice(0, eq);
    if (eq < 0 || !KEY.test(key)) throw new Error(`malformed text key "${key.slice(0, 64)}"`);
    if (seen.has(key)) throw new Error(`text key ${key} sent twice`);
    seen.add(key);
    out.push([key, item.slice(eq + 1)]);
  }
  return out;
}

/** Writes key=value items. */
export function encodeKeys(pairs: KeyValues): Buffer {
  return Buffer.from(pairs.map(([k, v]) => `${k}=${v}\0`).join(''), 'utf8');
}
