/**
 * System Use Sharing Protocol (SUSP 1.10) and Rock Ridge (RRIP 1.10, identifier `RRIP_1991A`)
 * entries: what lets Linux and xorriso see real names, modes and times on our ISOs.
 */
import { both32, latin1, recordDate } from './encoding.js';

/** POSIX file-type bits that PX carries with the permission bits. */
export const S_IFDIR = 0o040000;
export const S_IFREG = 0o100000;

function entry(signature: string, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + body.length);
  out.set(latin1(signature));
  out[2] = out.length;
  out[3] = 1;
  out.set(body, 4);
  return out;
}

/** `SP`: marks SUSP in use; only in the root directory's `.` record. */
export function sp(): Uint8Array {
  return entry('SP', Uint8Array.of(0xbe, 0xef, 0));
}

/** `RR` (RRIP 1.09): which Rock Ridge entries follow; old readers look for it. */
export function rr(): Uint8Array {
  // PX, NM and TF.
  return entry('RR', Uint8Array.of(0x01 | 0x08 | 0x80));
}

/** `PX`: mode, link count, owner and group (RRIP 1.10 form, 36 bytes). */
export function px(mode: number, links: number): Uint8Array {
  const body = new Uint8Array(32);
  const view = new DataView(body.buffer);
  both32(view, 0, mode);
  both32(view, 8, links);
  return entry('PX', body);
}

/** `TF`: modification and access times in the 7-byte form. */
export function tf(date: Date): Uint8Array {
  const stamp = recordDate(date);
  const body = new Uint8Array(1 + 2 * stamp.length);
  body[0] = 0x02 | 0x04;
  body.set(stamp, 1);
  body.set(stamp, 1 + stamp.length);
  return entry('TF', body);
}

/** `NM` entries for a name (UTF-8), split into pieces with the CONTINUE flag when long. */
export function nm(name: string): Uint8Array[] {
  const bytes = new TextEncoder().encode(name);
  const pieces: Uint8Array[] = [];
  const room = 250;
  for (let at = 0; at < bytes.length || pieces.length === 0; at += room) {
    const part = bytes.subarray(at, at + room);
    const body = new Uint8Array(1 + part.length);
    body[0] = at + room < bytes.length ? 0x01 : 0;
    body.set(part, 1);
    pieces.push(entry('NM', body));
  }
  return pieces;
}

/** `CE`: where the rest of a record's system use entries continue. */
export function ce(block: number, offset: number, length: number): Uint8Array {
  const body = new Uint8Array(24);
  const view = new DataView(body.buffer);
  both32(view, 0, block);
  both32(view, 8, offset);
  both32(view, 16, length);
  return entry('CE', body);
}

/** Length of a `CE` entry. */
export const CE_LENGTH = 28;

const RRIP_ID = 'RRIP_1991A';
const RRIP_DESCRIPTION =
  'THE ROCK RIDGE INTERCHANGE PROTOCOL PROVIDES SUPPORT FOR POSIX FILE SYSTEM SEMANTICS';
const RRIP_SOURCE =
  'PLEASE CONTACT DISC PUBLISHER FOR SPECIFICATION SOURCE.  SEE PUBLISHER IDENTIFIER IN PRIMARY VOLUME DESCRIPTOR FOR CONTACT INFORMATION.';

/** `ER`: declares the Rock Ridge extension; in the root's `.` record (usually continued). */
export function er(): Uint8Array {
  const id = latin1(RRIP_ID);
  const description = latin1(RRIP_DESCRIPTION);
  const source = latin1(RRIP_SOURCE);
  const body = new Uint8Array(4 + id.length + description.length + source.length);
  body.set([id.length, description.length, source.length, 1]);
  body.set(id, 4);
  body.set(description, 4 + id.length);
  body.set(source, 4 + id.length + description.length);
  return entry('ER', body);
}
