/** ISO 9660 field encodings (ECMA-119 § 7 and § 8.4.26.1, § 9.1.5). */

export const BLOCK = 2048;

/** Writes a 16-bit value in both byte orders (§ 7.2.3). */
export function both16(view: DataView, at: number, value: number): void {
  view.setUint16(at, value, true);
  view.setUint16(at + 2, value, false);
}

/** Writes a 32-bit value in both byte orders (§ 7.3.3). */
export function both32(view: DataView, at: number, value: number): void {
  view.setUint32(at, value, true);
  view.setUint32(at + 4, value, false);
}

/** The 7-byte date of a directory record (§ 9.1.5), in UTC. */
export function recordDate(date: Date): Uint8Array {
  return Uint8Array.of(
    date.getUTCFullYear() - 1900,
    date.getUTCMonth() + 1,
    date.getUTCDate(),
    date.getUTCHours(),
    date.getUTCMinutes(),
    date.getUTCSeconds(),
    0,
  );
}

/** The 17-byte date of a volume descriptor (§ 8.4.26.1), in UTC; `undefined` means "not specified". */
export function volumeDate(date: Date | undefined): Uint8Array {
  const out = new Uint8Array(17);
  if (date === undefined) {
    out.fill(0x30, 0, 16);
    return out;
  }
  const p = (n: number, w: number) => String(n).padStart(w, '0');
  const text =
    p(date.getUTCFullYear(), 4) +
    p(date.getUTCMonth() + 1, 2) +
    p(date.getUTCDate(), 2) +
    p(date.getUTCHours(), 2) +
    p(date.getUTCMinutes(), 2) +
    p(date.getUTCSeconds(), 2) +
    p(Math.floor(date.getUTCMilliseconds() / 10), 2);
  out.set(latin1(text));
  return out;
}

/** A string as single bytes (callers pass ASCII). */
export function latin1(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff);
}

/** A string padded with spaces to `length` bytes (a- and d-character fields). */
export function padded(text: string, length: number): Uint8Array {
  return latin1(text.slice(0, length).padEnd(length, ' '));
}

/** UCS-2 big-endian, as Joliet stores names. */
export function ucs2(text: string): Uint8Array {
  const out = new Uint8Array(text.length * 2);
  const view = new DataView(out.buffer);
  for (let i = 0; i < text.length; i++) view.setUint16(i * 2, text.charCodeAt(i), false);
  return out;
}

/** A Joliet descriptor field: UCS-2 padded with UCS-2 spaces to `length` bytes. */
export function ucs2Padded(text: string, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i += 2) out.set([0x00, 0x20], i);
  out.set(ucs2(text.slice(0, Math.floor(length / 2))));
  return out;
}

/** Blocks needed for `bytes`. */
export function blocks(bytes: number): number {
  return Math.ceil(bytes / BLOCK);
}
