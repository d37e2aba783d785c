import { InvalidParameterValue } from '../errors/index.js';
import { isXmlSafe } from './ribcl/request.js';

/** Checks a value against a closed set, for callers that are not type-checked. */
export function oneOf<T extends string>(value: unknown, allowed: readonly T[], field: string): T {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  const problem = `must be one of ${allowed.map((a) => `'${a}'`).join(', ')}`;
  throw new InvalidParameterValue(`Invalid ${field} ${JSON.stringify(value)}: ${problem}.`, {
    fields: [{ field, problem }],
  });
}

/** Checks that a secret is a non-empty string an XML attribute can carry, without echoing it. */
export function secretText(value: unknown, field: string): string {
  if (typeof value !== 'string' || value === '' || !isXmlSafe(value)) {
    const problem = 'must be a non-empty string without control characters';
    throw new InvalidParameterValue(`Invalid ${field}: ${problem}.`, { fields: [{ field, problem }] });
  }
  return value;
}

/** Checks that a URL is absolute http(s) and carries no characters an iLO script cannot hold. */
export function imageUrl(value: unknown, field = 'url'): string {
  let ok = typeof value === 'string' && isXmlSafe(value) && !/\s/.test(value);
  if (ok) {
    try {
      ok = ['http:', 'https:'].includes(new URL(value as string).protocol);
    } catch {
      ok = false;
    }
  }
  if (!ok) {
    const problem = 'must be an absolute http or https URL';
    throw new InvalidParameterValue(`Invalid ${field}: ${problem}.`, { fields: [{ field, problem }] });
  }
  return value as string;
}
