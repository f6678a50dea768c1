// Builds the sweep's tables from the stored runs: runs.csv (one row per run and metric), points.csv
// (per point and metric: n, mean, sd and a 95% Student t interval across seeds) and sweep.json.
// Rows follow the plan's order, never the order runs finished in, so the bytes depend only on the results.
import { writeFileSync } from 'node:fs';
import { CsvWriter, stableJson, type CsvCell } from '../metrics/index.js';
import { summariseSample } from '../metrics/student-t.js';
import { lookupMetric } from '../run/metric-path.js';
import { portableScenario, type SweepPlan, type SweepRun } from './plan.js';
import type { SweepDir } from './sweep-dir.js';

export interface CollectReport {
  readonly complete: number;
  readonly missing: readonly SweepRun[];
  readonly failed: readonly { readonly run: SweepRun; readonly message: string }[];
}

/** Significant digits of the statistics in points.csv: far beyond what seeds can resolve, and stable text. */
const STAT_DIGITS = 10;

export function writeTables(plan: SweepPlan, dir: SweepDir, acmsimVersion: string): CollectReport {
  const missing: SweepRun[] = [];
  const failed: { run: SweepRun; message: string }[] = [];
  /** values[point][metric]: the metric's numbers across the point's complete runs, in seed order. */
  const values = plan.points.map(() => plan.file.metrics.map((): number[] => []));
  const runRows: CsvCell[][] = [];
  for (const run of plan.runs) {
    const stored = dir.read(run);
    if (stored.state === 'missing' || stored.state === 'stale') {
      missing.push(run);
      continue;
    }
    if (stored.state === 'failed') {
      failed.push({ run, message: stored.message });
      continue;
    }
    const prefix = paramCells(plan, run.pointIndex);
    plan.file.metrics.forEach((metric, metricIndex) => {
      const lookup = lookupMetric(stored.summary, metric);
      const value = lookup.found ? lookup.value : null;
      if (typeof value === 'number' && Number.isFinite(value)) values[run.pointIndex]?.[metricIndex]?.push(value);
      runRows.push([(plan.points[run.pointIndex] as { id: string }).id, ...prefix, run.seed, metric, cellOf(value)]);
    });
  }

  const header = ['point', ...plan.parameters];
  writeCsv(dir, 'runs.csv', [...header, 'seed', 'metric', 'value'], runRows);
  const pointRows: CsvCell[][] = [];
  plan.points.forEach((point, pointIndex) => {
    plan.file.metrics.forEach((metric, metricIndex) => {
      const stats = summariseSample(values[pointIndex]?.[metricIndex] ?? []);
      pointRows.push([point.id, ...paramCells(plan, pointIndex), metric, stats.n, round(stats.mean), round(stats.sd), round(stats.ciLow), round(stats.ciHigh)]);
    });
  });
  writeCsv(dir, 'points.csv', [...header, 'metric', 'n', 'mean', 'sd', 'ci95Low', 'ci95High'], pointRows);

  const report: CollectReport = { complete: plan.runs.length - missing.length - failed.length, missing, failed };
  dir.writeFileAtomically('sweep.json', (temp) => writeText(temp, stableJson(sweepJson(plan, report, acmsimVersion), { keyOrder: 'insertion' })));
  return report;
}

function sweepJson(plan: SweepPlan, report: CollectReport, acmsimVersion: string): unknown {
  const file = plan.file;
  return {
    acmsim: { version: acmsimVersion },
    sweep: {
      name: file.name,
      ...(file.description === '' ? {} : { description: file.description }),
      scenario: file.scenarioAsWritten,
      set: Object.fromEntries(file.set),
      vary: Object.fromEntries(file.vary),
      points: file.points.map((point) => Object.fromEntries(point)),
      seeds: file.seeds,
      metrics: file.metrics,
    },
    scenario: portableScenario(plan.baseScenario, file),
    points: plan.points.map((point) => ({ id: point.id, params: Object.fromEntries(point.params), overrides: point.overrides })),
    runs: { total: plan.runs.length, complete: report.complete },
    missing: report.missing.map((run) => run.id),
    failed: report.failed.map(({ run, message }) => ({ run: run.id, error: message })),
  };
}

function paramCells(plan: SweepPlan, pointIndex: number): CsvCell[] {
  const params = new Map((plan.points[pointIndex] as { params: readonly (readonly [string, unknown])[] }).params);
  return plan.parameters.map((key) => (params.has(key) ? cellOf(params.get(key)) : ''));
}

/** Strings as written, numbers as JavaScript prints them, anything else (lists, maps) as compact JSON. */
function cellOf(value: unknown): CsvCell {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string' || typeof value === 'number') return value;
  if (typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

function round(value: number | null): CsvCell {
  return value === null ? '' : Number(value.toPrecision(STAT_DIGITS));
}

function writeCsv(dir: SweepDir, name: string, header: readonly string[], rows: readonly (readonly CsvCell[])[]): void {
  dir.writeFileAtomically(name, (temp) => {
    const writer = CsvWriter.open(temp, header);
    for (const row of rows) writer.writeRow(row);
    writer.close();
  });
}

function writeText(filePath: string, text: string): void {
  writeFileSync(filePath, text);
}
