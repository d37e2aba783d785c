/** Why `label` cannot be a FAT volume label, or undefined when it can. */
export function invalidFatLabel(label: string): string | undefined {
  if (label.length === 0 || label.length > 11) return 'must be 1 to 11 characters';
  if (!/^[\x20-\x7e]+$/.test(label)) return 'must be printable ASCII';
  if (/["*+,./:;<=>?[\\\]|]/.test(label)) return 'must not contain " * + , . / : ; < = > ? [ \\ ] |';
  return undefined;
}
