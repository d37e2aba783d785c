/**
 * The three names every file of our ISOs has: the ISO 9660 identifier (upper-case d-characters,
 * for firmware, isolinux and strict readers), the Joliet name (UCS-2, for Windows) and the Rock
 * Ridge name (the real name, for Linux and xorriso).
 */

const D_CHARS = /[^A-Z0-9_]/g;
/** Longest ISO 9660 level-3 identifier (name and extension together, § 7.5.1). */
const ISO_MAX = 30;
/** Longest Joliet name in characters (Joliet specification, § 3.1). */
const JOLIET_MAX = 64;
const JOLIET_FORBIDDEN = /[*/:;?\\]/g;

/** Why a name cannot be stored (Rock Ridge keeps names of up to 255 UTF-8 bytes). */
export function invalidIsoName(name: string): string | undefined {
  if (name.includes('\u0000')) return 'contains a NUL character';
  if (Buffer.byteLength(name) > 255) return 'is longer than 255 bytes';
  return undefined;
}

/** Makes each name unique by replacing its tail with a counter; `split` tells base and suffix. */
function uniquify(
  candidates: readonly string[],
  split: (name: string) => [base: string, suffix: string],
  maxBase: (suffix: string) => number,
  fold: (name: string) => string,
): string[] {
  const taken = new Map<string, number>();
  for (const c of candidates) taken.set(fold(c), (taken.get(fold(c)) ?? 0) + 1);
  const used = new Set<string>();
  return candidates.map((c) => {
    if (taken.get(fold(c)) === 1 && !used.has(fold(c))) {
      used.add(fold(c));
      return c;
    }
    const [base, suffix] = split(c);
    for (let n = 0; ; n++) {
      const tail = String(n).padStart(3, '0');
      const name = base.slice(0, maxBase(suffix) - tail.length) + tail + suffix;
      if (!used.has(fold(name)) && !taken.has(fold(name))) {
        used.add(fold(name));
        return name;
      }
    }
  });
}

function isoSplit(name: string): [string, string] {
  const dot = name.lastIndexOf('.');
  return dot < 0 ? [name, ''] : [name.slice(0, dot), name.slice(dot)];
}

/** ISO 9660 identifiers for the entries of one directory (without the `;1` version suffix). */
export function isoIdentifiers(entries: ReadonlyArray<{ name: string; isDir: boolean }>): string[] {
  const candidates = entries.map(({ name, isDir }) => {
    const upper = name.toUpperCase();
    if (isDir)
      return upper
        .replace(/\./g, '_')
        .replace(D_CHARS, '_')
        .slice(0, ISO_MAX + 1);
    const dot = upper.lastIndexOf('.');
    const base = (dot <= 0 ? upper : upper.slice(0, dot)).replace(/\./g, '_').replace(D_CHARS, '_');
    const ext = (dot <= 0 ? '' : upper.slice(dot + 1)).replace(D_CHARS, '_').slice(0, 8);
    return `${base.slice(0, ISO_MAX - ext.length)}.${ext}`;
  });
  return uniquify(
    candidates,
    isoSplit,
    (suffix) => (suffix === '' ? ISO_MAX + 1 : ISO_MAX + 1 - suffix.length),
    (n) => n,
  );
}

/** Joliet names for the entries of one directory (without `;1`), at most 64 characters. */
export function jolietNames(names: readonly string[]): string[] {
  const candidates = names.map((name) => {
    const clean = [...name.replace(JOLIET_FORBIDDEN, '_')].map((c) => (c < ' ' ? '_' : c)).join('');
    if (clean.length <= JOLIET_MAX) return clean;
    const [base, ext] = isoSplit(clean);
    return ext.length < 16 ? base.slice(0, JOLIET_MAX - ext.length) + ext : clean.slice(0, JOLIET_MAX);
  });
  return uniquify(
    candidates,
    (n) => (n.lastIndexOf('.') > 0 ? isoSplit(n) : [n, '']),
    (suffix) => JOLIET_MAX - suffix.length,
    (n) => n,
  );
}

/** Orders identifiers as ECMA-119 § 9.3 asks: by name, then extension, each padded with spaces. */
export function compareIdentifiers(a: string, b: string): number {
  const [an, ae] = isoSplit(a);
  const [bn, be] = isoSplit(b);
  const width = Math.max(an.length, bn.length);
  const byName = compareText(an.padEnd(width), bn.padEnd(width));
  if (byName !== 0) return byName;
  const extWidth = Math.max(ae.length, be.length);
  return compareText(ae.padEnd(extWidth), be.padEnd(extWidth));
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
