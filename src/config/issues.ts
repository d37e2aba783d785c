import type { z } from 'zod';
import type { FieldIssue } from '../errors/index.js';

/** Turns zod issues into field issues named with `prefix` and the issue's path. */
export function fieldIssuesOf(
  error: z.ZodError,
  name: (path: readonly PropertyKey[]) => string,
): FieldIssue[] {
  const out: FieldIssue[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys)
        out.push({ field: name([...issue.path, key]), problem: 'unknown option' });
      continue;
    }
    out.push({ field: name(issue.path), problem: issue.message });
  }
  return out;
}

/** `a.b.c` for a zod path. */
export function dottedPath(path: readonly PropertyKey[]): string {
  return path.map(String).join('.');
}

/** `field: problem; field: problem` for an error message. */
export function describeIssues(issues: readonly FieldIssue[]): string {
  return issues.map((i) => `${i.field}: ${i.problem}`).join('; ');
}
