/**
 * The few DER encodings an X.509 certificate needs (ITU-T X.690). Values are built bottom-up as
 * byte buffers: `seq(int(2n), oid('1.2.840.10045.4.3.2'))`.
 */

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** A tag-length-value with an arbitrary tag byte. */
export function tlv(tag: number, value: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), length(value.length), value]);
}

/** SEQUENCE of the given elements. */
export const seq = (...items: Buffer[]): Buffer => tlv(0x30, Buffer.concat(items));
/** SET of the given elements. */
export const set = (...items: Buffer[]): Buffer => tlv(0x31, Buffer.concat(items));
/** OCTET STRING. */
export const octets = (value: Buffer): Buffer => tlv(0x04, value);
/** UTF8String. */
export const utf8 = (value: string): Buffer => tlv(0x0c, Buffer.from(value, 'utf8'));
/** BOOLEAN. */
export const bool = (value: boolean): Buffer => tlv(0x01, Buffer.from([value ? 0xff : 0x00]));
/** Context-specific explicit (constructed) tag `[n]`. */
export const explicit = (n: number, value: Buffer): Buffer => tlv(0xa0 | n, value);
/** Context-specific implicit primitive tag `[n]`. */
export const implicit = (n: number, value: Buffer): Buffer => tlv(0x80 | n, value);

const evenHex = (hex: string): string => (hex.length % 2 === 0 ? hex : `0${hex}`);

/** INTEGER from a non-negative bigint or big-endian bytes (a leading zero keeps it positive). */
export function int(value: bigint | Buffer): Buffer {
  let bytes = typeof value === 'bigint' ? Buffer.from(evenHex(value.toString(16)), 'hex') : value;
  while (bytes.length > 1 && bytes[0] === 0 && (bytes[1]! & 0x80) === 0) bytes = bytes.subarray(1);
  if ((bytes[0]! & 0x80) !== 0) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return tlv(0x02, bytes);
}

/** OBJECT IDENTIFIER from dotted text. */
export function oid(dotted: string): Buffer {
  const arcs = dotted.split('.').map(Number);
  const out: number[] = [40 * arcs[0]! + arcs[1]!];
  for (const arc of arcs.slice(2)) {
    const chunk: number[] = [arc & 0x7f];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift((v & 0x7f) | 0x80);
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

/** BIT STRING holding whole bytes (signatures, keys). */
export const bits = (value: Buffer): Buffer => tlv(0x03, Buffer.concat([Buffer.from([0]), value]));

/** BIT STRING of named bits (bit 0 is the most significant bit of the first byte), minimally encoded. */
export function namedBits(set: readonly number[]): Buffer {
  const last = Math.max(...set);
  const bytes = Buffer.alloc(Math.floor(last / 8) + 1);
  for (const b of set) bytes[Math.floor(b / 8)]! |= 0x80 >> (b % 8);
  const unused = 7 - (last % 8);
  return tlv(0x03, Buffer.concat([Buffer.from([unused]), bytes]));
}

/** UTCTime (years 1950–2049) or GeneralizedTime, as RFC 5280 requires. */
export function time(date: Date): Buffer {
  const iso = date.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  const year = date.getUTCFullYear();
  return year < 2050 ? tlv(0x17, Buffer.from(`${iso.slice(2)}Z`)) : tlv(0x18, Buffer.from(`${iso}Z`));
}
