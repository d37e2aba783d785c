/** One CSV record and the line it starts on. */
export interface CsvRow {
  /** 1-based line number of the record's first line. */
  line: number;
  /** The fields, unquoted and trimmed. */
  cells: string[];
}

/**
 * Parses RFC 4180 CSV: commas, double-quoted fields (with `""` for a quote, and line breaks
 * inside quotes), CRLF or LF. Blank lines and lines starting with `#` are skipped.
 */
export function parseCsv(text: string): CsvRow[] {
  const rows: CsvRow[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  let atRecordStart = true;
  const endRecord = () => {
    cells.push(cell.trim());
    if (!(cells.length === 1 && cells[0] === '')) rows.push({ line: start, cells });
    cells = [];
    cell = '';
    atRecordStart = true;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (atRecordStart) {
      start = line;
      atRecordStart = false;
      if (c === '#') {
        while (i < text.length && text[i] !== '\n') i++;
        line++;
        atRecordStart = true;
        continue;
      }
    }
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else {
        if (c === '\n') line++;
        cell += c;
      }
    } else if (c === '"' && cell.trim() === '') {
      cell = '';
      quoted = true;
    } else if (c === ',') {
      cells.push(cell.trim());
      cell = '';
    } else if (c === '\n') {
      endRecord();
      line++;
    } else if (c !== '\r') cell += c;
  }
  if (!atRecordStart || cell !== '' || cells.length > 0) endRecord();
  return rows;
}
