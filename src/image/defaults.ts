import { createHash } from 'node:crypto';
import type { OptionIssues } from './issues.js';

/**
 * The timestamp written into images when the caller gives none, so that the same inputs give
 * the same bytes (1980-01-01T00:00:00Z, the FAT epoch, which ISO 9660 can also express).
 */
export const DEFAULT_IMAGE_TIMESTAMP: Date = new Date(Date.UTC(1980, 0, 1));

/** A volume serial number derived from what the image holds, stable across builds. */
export function stableVolumeId(parts: ReadonlyArray<string | number>): number {
  return createHash('sha256').update(JSON.stringify(parts)).digest().readUInt32LE(0);
}

/** Whether a value is a valid `Date`. */
export function isValidDate(value: unknown): value is Date {
  return value instanceof Date && !Number.isNaN(value.getTime());
}

/** Records an issue when a given volume serial number is not an unsigned 32-bit integer. */
export function checkVolumeId(issues: OptionIssues, volumeId: number | undefined): void {
  issues.check(
    volumeId !== undefined && (!Number.isInteger(volumeId) || volumeId < 0 || volumeId > 0xffffffff),
    'volumeId',
    'must be an unsigned 32-bit integer',
  );
}
