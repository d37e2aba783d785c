import { consoleLogger, type Logger, type LogLevel } from '../index.js';

let level: LogLevel = 'warn';

/** Sets the level of {@link cliLogger}: `runCli` passes `debug` for `--debug`. */
export function setCliLogLevel(next: LogLevel): void {
  level = next;
}

/** Whether `--debug` was given. */
export function debugEnabled(): boolean {
  return level === 'debug';
}

/** The CLI's logger: warnings (TLS verification off, retries, ironic.conf oddities) to stderr. */
export function cliLogger(): Logger {
  return consoleLogger(level);
}
