import type { LogFields, Logger } from '../../src/index.js';

/** A logger that records every line as text (message and fields), for assertions. */
export interface CaptureLogger extends Logger {
  lines: string[];
}

/** Creates a {@link CaptureLogger}. */
export function captureLogger(): CaptureLogger {
  const lines: string[] = [];
  const write = (level: string) => (message: string, fields?: LogFields) => {
    lines.push(`${level} ${message}${fields === undefined ? '' : ` ${JSON.stringify(fields)}`}`);
  };
  return { lines, debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}
