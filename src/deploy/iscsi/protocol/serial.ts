/**
 * Serial number arithmetic on 32-bit sequence numbers (RFC 1982, as RFC 7143 § 4.2.2.1 requires
 * for CmdSN, StatSN and DataSN): comparisons that stay right when the numbers wrap.
 */

/** `a + n` modulo 2^32. */
export function serialAdd(a: number, n: number): number {
  return (a + n) >>> 0;
}

/** Whether `a` comes before `b`. */
export function serialLessThan(a: number, b: number): boolean {
  return a !== b && (b - a) >>> 0 < 0x80000000;
}

/** Whether `a` comes before `b` or is `b`. */
export function serialAtMost(a: number, b: number): boolean {
  return a === b || serialLessThan(a, b);
}
