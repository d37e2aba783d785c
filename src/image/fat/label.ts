import { checkVolumeId, isValidDate } from '../defaults.js';
import type { OptionIssues } from '../issues.js';

/** Why `label` cannot be a FAT volume label, or undefined when it can. */
export function invalidFatLabel(label: string): string | undefined {
  if (label.length === 0 || label.length > 11) return 'must be 1 to 11 characters';
  if (!/^[\x20-\x7e]+$/.test(label)) return 'must be printable ASCII';
  if (/["*+,./:;<=>?[\\\]|]/.test(label)) return 'must not contain " * + , . / : ; < = > ? [ \\ ] |';
  return undefined;
}

/** Checks what every FAT builder shares: the label, the timestamp and the volume serial number. */
export function checkFatVolume(
  issues: OptionIssues,
  label: string,
  timestamp: Date,
  volumeId: number | undefined,
): void {
  const labelProblem = invalidFatLabel(label);
  issues.check(labelProblem !== undefined, 'label', labelProblem ?? '');
  issues.check(!isValidDate(timestamp), 'timestamp', 'must be a valid Date');
  checkVolumeId(issues, volumeId);
}
