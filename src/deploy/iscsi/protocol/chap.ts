/**
 * CHAP with MD5 (RFC 1994 as used by RFC 7143 § 12.1.3): the response to a challenge is
 * MD5(identifier ‖ secret ‖ challenge). Binary values travel as `0x` hex or `0b` base64.
 */
import { createHash, randomBytes } from 'node:crypto';

/** CHAP_A value of MD5, the only algorithm every target supports. */
export const CHAP_MD5 = '5';

/** MD5(identifier ‖ secret ‖ challenge). */
export function chapResponse(identifier: number, secret: string, challenge: Buffer): Buffer {
  return createHash('md5')
    .update(Buffer.from([identifier & 0xff]))
    .update(Buffer.from(secret, 'utf8'))
    .update(challenge)
    .digest();
}

/** Decodes a CHAP binary value (`0x…` hex or `0b…` base64); undefined when malformed. */
export function decodeChapBinary(value: string): Buffer | undefined {
  if (/^0x([0-9a-f]{2})+$/i.test(value)) return Buffer.from(value.slice(2), 'hex');
  if (/^0b[A-Za-z0-9+/]+=*$/.test(value)) return Buffer.from(value.slice(2), 'base64');
  return undefined;
}

/** Encodes a CHAP binary value as `0x` hex. */
export function encodeChapBinary(value: Buffer): string {
  return `0x${value.toString('hex')}`;
}

/** A fresh identifier and challenge for mutual CHAP. */
export function newChallenge(): { identifier: number; challenge: Buffer } {
  const bytes = randomBytes(17);
  return { identifier: bytes[0]!, challenge: bytes.subarray(1) };
}
