// One line of `acmsim check`'s verdict: a scenario, the metric checked, what was expected, what the
// run gave, and whether it held. Shared by the table, the JUnit writer and the baseline comparison.

export type CheckSource = 'expectation' | 'baseline';

export interface CheckRow {
  readonly scenario: string;
  /** Where the check comes from: the scenario's `expect` list, or the stored baseline. */
  readonly source: CheckSource;
  /** The metric path as written in the scenario ("propagation.p99S"), or "fingerprint". */
  readonly metric: string;
  /** What was expected, for people: ">= 0.99", "<= 180", "= 0", "baseline 75.1 ±5%". */
  readonly expected: string;
  /** What the run gave, for people ("75.104256", "(missing)"). */
  readonly actual: string;
  readonly pass: boolean;
  /** One sentence saying why the check failed; empty when it passed. */
  readonly message: string;
}

/** Numbers print in JavaScript's shortest round-trip form, so what is shown is what was compared. */
export function formatValue(value: unknown): string {
  if (value === undefined) return '(missing)';
  if (value === null) return 'null';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}
