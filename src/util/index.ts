/**
 * Small shared pieces: loggers, secret redaction, the system clock.
 *
 * @module
 */
export { raceAbort } from './abort.js';
export { systemClock } from './clock.js';
export { collectIssues, throwIssues } from './issues.js';
export { requireExclusiveLock } from './lock.js';
export type { LogLevel } from './log.js';
export { consoleLogger, noopLogger, redactingLogger } from './log.js';
export { REDACTED, redact, redactUrl } from './redact.js';
