import type { FieldIssue } from '../errors/index.js';
import { InvalidParameterValue } from '../errors/index.js';

/** Collects every bad option of one call, then throws them together. */
export class OptionIssues {
  readonly #issues: FieldIssue[] = [];

  constructor(private readonly what: string) {}

  /** Records `problem` for `field` when `bad` holds. */
  check(bad: boolean, field: string, problem: string): void {
    if (bad) this.#issues.push({ field, problem });
  }

  /** Throws {@link InvalidParameterValue} naming every recorded field, if any. */
  throwIfAny(): void {
    if (this.#issues.length === 0) return;
    const list = this.#issues.map((i) => `${i.field} ${i.problem}`).join('; ');
    throw new InvalidParameterValue(`Invalid ${this.what} options: ${list}`, { fields: this.#issues });
  }
}
