// Baselines: a stored summary per scenario (DIR/<name>.json) and the metric-by-metric comparison of a
// new run against it, within each expectation's relative tolerance.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { writeAtomically } from './atomic-file.js';
import { join } from 'node:path';
import { stableJson } from '../metrics/json.js';
import type { Expectation } from '../scenario/types.js';
import { formatValue, type CheckRow } from './check-row.js';
import { lookupMetric } from '../run/metric-path.js';

/**
 * File name of a scenario's baseline. Characters other than letters, digits, '.', '_' and '-' become
 * '_' so that a scenario name can never point outside the baseline directory.
 */
export function baselineFileName(scenarioName: string): string {
  return `${scenarioName.replace(/[^A-Za-z0-9._-]/g, '_')}.json`;
}

/**
 * The summary as stored: wall-clock time removed (it differs between identical runs), keys sorted by
 * stableJson so that identical runs give identical bytes.
 */
export function baselineText(summary: object): string {
  const { wallS: _wallS, ...rest } = summary as Record<string, unknown>;
  return stableJson(rest);
}

/** Writes DIR/<name>.json atomically. */
export function writeBaseline(dir: string, scenarioName: string, summary: object): string {
  mkdirSync(dir, { recursive: true });
  const finalPath = join(dir, baselineFileName(scenarioName));
  writeAtomically(finalPath, baselineText(summary));
  return finalPath;
}

export type BaselineRead =
  | { readonly found: true; readonly summary: unknown; readonly path: string }
  | { readonly found: false; readonly message: string; readonly path: string };

export function readBaseline(dir: string, scenarioName: string): BaselineRead {
  const path = join(dir, baselineFileName(scenarioName));
  if (!existsSync(path)) {
    return { found: false, path, message: `no baseline ${path}; create it with --update-baseline` };
  }
  try {
    return { found: true, path, summary: JSON.parse(readFileSync(path, 'utf8')) as unknown };
  } catch (error) {
    return { found: false, path, message: `baseline ${path} is not valid JSON: ${(error as Error).message}` };
  }
}

/** "baseline 75.1", "baseline 75.1 ±5%". */
function describeBaseline(value: unknown, tolerance: number): string {
  const band = tolerance > 0 ? ` ±${formatValue(Math.round(tolerance * 1e6) / 1e4)}%` : '';
  return `baseline ${formatValue(value)}${band}`;
}

/**
 * Compares a run with its baseline: every metric named by an expectation whose value is a number,
 * once per metric (with the largest tolerance any of its expectations gives; 0, exact, by default),
 * and the fingerprint exactly when `compareFingerprint` is set. Metrics that are missing from the
 * run are not compared here: the expectation itself already fails for them.
 */
export function compareWithBaseline(
  scenario: string,
  summary: unknown,
  baseline: unknown,
  expectations: readonly Expectation[],
  compareFingerprint: boolean,
): CheckRow[] {
  const toleranceByMetric = new Map<string, number>();
  for (const expectation of expectations) {
    const previous = toleranceByMetric.get(expectation.metric) ?? 0;
    toleranceByMetric.set(expectation.metric, Math.max(previous, expectation.tolerance ?? 0));
  }
  const rows: CheckRow[] = [];
  for (const [metric, tolerance] of toleranceByMetric) {
    const now = lookupMetric(summary, metric);
    if (!now.found || typeof now.value !== 'number') continue;
    const then = lookupMetric(baseline, metric);
    const base = { scenario, source: 'baseline' as const, metric, actual: formatValue(now.value) };
    if (!then.found || typeof then.value !== 'number') {
      rows.push({ ...base, expected: 'baseline (missing)', pass: false, message: `${metric}: the baseline has no number for it` });
      continue;
    }
    const expected = describeBaseline(then.value, tolerance);
    const pass = Math.abs(now.value - then.value) <= tolerance * Math.abs(then.value);
    rows.push({
      ...base, expected, pass,
      message: pass ? '' : `${metric} = ${formatValue(now.value)}, baseline ${formatValue(then.value)}${tolerance > 0 ? ` (tolerance ±${formatValue(Math.round(tolerance * 1e6) / 1e4)}%)` : ' (exact)'}`,
    });
  }
  if (compareFingerprint) {
    const now = lookupMetric(summary, 'fingerprint');
    const then = lookupMetric(baseline, 'fingerprint');
    const actual = formatValue(now.found ? now.value : undefined);
    const stored = formatValue(then.found ? then.value : undefined);
    const pass = now.found && then.found && now.value === then.value;
    rows.push({
      scenario, source: 'baseline', metric: 'fingerprint', expected: `baseline ${stored}`, actual, pass,
      message: pass ? '' : `fingerprint = ${actual}, baseline ${stored}: the event trajectory differs`,
    });
  }
  return rows;
}
