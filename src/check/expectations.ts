// Evaluates a scenario's `expect` list against its run summary: min, max and equals on metric paths.
import type { Expectation } from '../scenario/types.js';
import { formatValue, type CheckRow } from './check-row.js';
import { lookupMetric } from '../run/metric-path.js';

/** The bound an expectation states, for people: ">= 0.99", "<= 180", ">= 1, <= 5", "= 0". */
export function describeExpectation(expectation: Expectation): string {
  if (expectation.equals !== undefined) return `= ${formatValue(expectation.equals)}`;
  const parts: string[] = [];
  if (expectation.min !== undefined) parts.push(`>= ${formatValue(expectation.min)}`);
  if (expectation.max !== undefined) parts.push(`<= ${formatValue(expectation.max)}`);
  return parts.join(', ');
}

/** One row per expectation, in the scenario's order. */
export function evaluateExpectations(scenario: string, summary: unknown, expectations: readonly Expectation[]): CheckRow[] {
  const rows: CheckRow[] = [];
  for (const expectation of expectations) rows.push(evaluateOne(scenario, summary, expectation));
  return rows;
}

export function evaluateOne(scenario: string, summary: unknown, expectation: Expectation): CheckRow {
  const expected = describeExpectation(expectation);
  const base = { scenario, source: 'expectation' as const, metric: expectation.metric, expected };
  const lookup = lookupMetric(summary, expectation.metric);
  if (!lookup.found) return { ...base, actual: '(missing)', pass: false, message: lookup.message };
  const actual = lookup.value;
  if (actual === null) {
    // A figure over an empty series (nothing accepted, nothing delivered) is absent: it satisfies no bound.
    return {
      ...base, actual: '(absent)', pass: false,
      message: `${expectation.metric} is absent (null: it is measured over an empty series, e.g. nothing was accepted or delivered), so ${expected} cannot hold`,
    };
  }
  const shown = formatValue(actual);
  const failed = (why: string): CheckRow => ({ ...base, actual: shown, pass: false, message: `${expectation.metric} = ${shown}, ${why}` });

  if (expectation.equals !== undefined) {
    // Exact, including for numbers: "equals" is for counts and flags, min/max for measured values.
    return actual === expectation.equals ? { ...base, actual: shown, pass: true, message: '' } : failed(`expected ${expected}`);
  }
  if (typeof actual !== 'number' || !Number.isFinite(actual)) {
    return failed(`expected a number ${expected}`);
  }
  if (expectation.min !== undefined && actual < expectation.min) return failed(`expected ${expected} (below the minimum)`);
  if (expectation.max !== undefined && actual > expectation.max) return failed(`expected ${expected} (above the maximum)`);
  return { ...base, actual: shown, pass: true, message: '' };
}
