/** One `key = value` line of an INI text, with where it came from. */
export interface IniEntry {
  /** Section name as written (`DEFAULT`, `ilo`, …). */
  section: string;
  /** Option name as written. */
  key: string;
  /** Raw value, surrounding whitespace removed. */
  value: string;
  /** 1-based line number, for error messages. */
  line: number;
}

/**
 * Reads oslo.config-style INI text: `[section]` headers, `key = value` (or `key: value`) lines,
 * `#`/`;` comment lines, and indented continuation lines appended to the previous value.
 * Returns every entry in order; later entries for the same key win when applied.
 */
export function parseIni(text: string): { entries: IniEntry[]; errors: string[] } {
  const entries: IniEntry[] = [];
  const errors: string[] = [];
  let section: string | undefined;
  let last: IniEntry | undefined;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] ?? '';
    const lineNo = i + 1;
    if (/^\s*([#;].*)?$/.test(raw)) {
      last = undefined;
      continue;
    }
    if (/^\s/.test(raw) && last !== undefined) {
      last.value = `${last.value}\n${raw.trim()}`;
      continue;
    }
    const header = /^\[([^\]]+)\]\s*$/.exec(raw.trim());
    if (header) {
      section = header[1]?.trim();
      last = undefined;
      continue;
    }
    const kv = /^([^=:\s][^=:]*?)\s*[=:]\s*(.*)$/.exec(raw.trim());
    if (!kv || section === undefined) {
      errors.push(
        `line ${lineNo}: ${section === undefined ? 'option outside any section' : 'not a key = value line'}`,
      );
      last = undefined;
      continue;
    }
    last = { section, key: kv[1] ?? '', value: (kv[2] ?? '').trim(), line: lineNo };
    entries.push(last);
  }
  return { entries, errors };
}
