/**
 * Text keys (RFC 7143 § 6.1): `key=value` pairs, each ended by a NUL byte, in the data segment
 * of Login and Text PDUs.
 */

/** Keys and values in the order they were written. */
export type TextPairs = ReadonlyArray<readonly [key: string, value: string]>;

/** Encodes key=value pairs. */
export function encodeText(pairs: TextPairs): Buffer {
  return Buffer.from(pairs.map(([k, v]) => `${k}=${v}\0`).join(''), 'utf8');
}

/**
 * Decodes key=value pairs. A pair without `=` is kept with an empty value so that negotiation
 * can reject it by name rather than lose it.
 */
export function decodeText(data: Buffer): Map<string, string> {
  const out = new Map<string, string>();
  for (const item of data.toString('utf8').split('\0')) {
    if (item === '') continue;
    const eq = item.indexOf('=');
    if (eq < 0) out.set(item, '');
    else out.set(item.slice(0, eq), item.slice(eq + 1));
  }
  return out;
}
