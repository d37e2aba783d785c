/**
 * FAT directory names: 8.3 short names (what DOS and firmware read) and the VFAT long-name
 * entries that carry the real name when it is not a plain upper-case 8.3 name.
 */

/** Characters a short name may hold besides A–Z and 0–9 (FAT specification, "Directory Entry"). */
const SHORT_EXTRA = new Set("$%'-_@~`!(){}^#&");
/** Characters no long name may hold. */
const LONG_FORBIDDEN = /["*/:<>?\\|]/;

/** Why a long name cannot be stored in a FAT directory, or undefined when it can. */
export function invalidFatName(name: string): string | undefined {
  if (name === '' || name === '.' || name === '..') return 'is empty or a dot entry';
  if (name.length > 255) return 'is longer than 255 characters';
  if (LONG_FORBIDDEN.test(name) || hasControlCharacter(name))
    return 'contains a character FAT forbids (" * / : < > ? \\ | or a control)';
  if (/[ .]$/.test(name)) return 'ends with a space or a dot, which FAT drops';
  return undefined;
}

function isShortChar(c: string): boolean {
  return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || SHORT_EXTRA.has(c);
}

/** The 11-byte short name when `name` already is a valid upper-case 8.3 name. */
function exactShortName(name: string): string | undefined {
  const dot = name.lastIndexOf('.');
  const base = dot < 0 ? name : name.slice(0, dot);
  const ext = dot < 0 ? '' : name.slice(dot + 1);
  if (base.length === 0 || base.length > 8 || ext.length > 3) return undefined;
  if (![...base, ...ext].every(isShortChar)) return undefined;
  return base.padEnd(8) + ext.padEnd(3);
}

/** Upper-cases and replaces what a short name cannot hold; `lossy` when information was lost. */
function squash(part: string): { text: string; lossy: boolean } {
  let text = '';
  let lossy = false;
  for (const c of part.toUpperCase()) {
    if (c === ' ' || c === '.') lossy = true;
    else if (isShortChar(c)) text += c;
    else {
      text += '_';
      lossy = true;
    }
  }
  return { text, lossy };
}

/** A directory's names: the 11-byte short name, and whether long-name entries must precede it. */
export interface FatName {
  /** The long name as given. */
  readonly long: string;
  /** The 8.3 name as stored: 8 + 3 characters, space-padded. */
  readonly short: string;
  /** Whether VFAT long-name entries are needed to keep `long`. */
  readonly needsLfn: boolean;
}

/**
 * Assigns short names to the entries of one directory: exact 8.3 names are kept, others get a
 * basis name with a numeric tail (`PARAME~1.TXT`), unique within the directory.
 */
export function assignShortNames(names: readonly string[]): FatName[] {
  const taken = new Set<string>();
  const exact = names.map(exactShortName);
  for (const s of exact) if (s !== undefined) taken.add(s);
  return names.map((long, i) => {
    const short = exact[i];
    if (short !== undefined) return { long, short, needsLfn: false };
    const dot = long.lastIndexOf('.');
    const hasExt = dot > 0;
    const base = squash((hasExt ? long.slice(0, dot) : long).replace(/^\.+/, ''));
    const ext = squash(hasExt ? long.slice(dot + 1) : '');
    const ext3 = ext.text.slice(0, 3).padEnd(3);
    const lossy = base.lossy || ext.lossy || base.text.length > 8 || ext.text.length > 3;
    const stem = base.text === '' ? '_' : base.text;
    if (!lossy) {
      // Only the case differs: the short name is exact, a long entry keeps the case.
      const candidate = stem.padEnd(8) + ext3;
      if (!taken.has(candidate)) {
        taken.add(candidate);
        return { long, short: candidate, needsLfn: true };
      }
    }
    for (let n = 1; ; n++) {
      const tail = `~${n}`;
      const candidate = (stem.slice(0, 8 - tail.length) + tail).padEnd(8) + ext3;
      if (!taken.has(candidate)) {
        taken.add(candidate);
        return { long, short: candidate, needsLfn: true };
      }
    }
  });
}

/** The checksum of a short name that every long-name entry of it carries. */
export function shortNameChecksum(short: Uint8Array): number {
  let sum = 0;
  for (const byte of short) sum = (((sum & 1) << 7) + (sum >> 1) + byte) & 0xff;
  return sum;
}

/** Byte offsets of the 13 UTF-16 characters inside a long-name entry. */
export const LFN_CHAR_OFFSETS = [1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30] as const;

/** The long-name entries for `long`, in on-disk order (last part first). */
export function longNameEntries(long: string, checksum: number): Uint8Array[] {
  const units: number[] = [];
  for (let i = 0; i < long.length; i++) units.push(long.charCodeAt(i));
  const count = Math.ceil(units.length / 13);
  if (units.length % 13 !== 0) units.push(0);
  while (units.length < count * 13) units.push(0xffff);
  const entries: Uint8Array[] = [];
  for (let seq = count; seq >= 1; seq--) {
    const entry = new Uint8Array(32);
    const view = new DataView(entry.buffer);
    entry[0] = seq === count ? seq | 0x40 : seq;
    entry[11] = 0x0f;
    entry[13] = checksum;
    LFN_CHAR_OFFSETS.forEach((offset, k) => {
      view.setUint16(offset, units[(seq - 1) * 13 + k]!, true);
    });
    entries.push(entry);
  }
  return entries;
}

/** Whether a name holds a character below U+0020. */
export function hasControlCharacter(name: string): boolean {
  for (let i = 0; i < name.length; i++) if (name.charCodeAt(i) < 0x20) return true;
  return false;
}
