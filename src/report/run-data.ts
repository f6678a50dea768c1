// Everything a run's report is drawn from, read back from its output directory (summary.json, the
// CSVs, propagation-histogram.json, scenario.json), so a report can be rebuilt from old results alone.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LatencyHistogram, WindowedQuantiles, overTimeWindowUs, parseHistogramFile } from '../metrics/index.js';
import type { RunSummary } from '../run/run.js';
import type { ReferenceComparison } from '../run/reference.js';
import { readCsvTable, type CsvTable } from './csv-table.js';
import { ReportInputError } from './errors.js';

/** Where a figure's deliveries come from: every (version, receiver) pair, or propagation.csv's sampled receivers. */
export type DeliverySource = 'all' | 'sample';

export interface OverTimeRow {
  readonly startS: number;
  readonly deliveries: number;
  readonly p50S: number | null;
  readonly p99S: number | null;
}

export interface SpLoadRow {
  readonly minute: number;
  readonly sp: number;
  readonly requests: number;
  readonly bytes: number;
}

export interface FaultRow {
  readonly timeS: number;
  readonly kind: string;
  readonly action: string;
  readonly target: string;
  readonly detail: string;
}

export type SummaryWithReference = RunSummary & { readonly reference?: ReferenceComparison };

export interface RunReportData {
  readonly summary: SummaryWithReference;
  readonly propagation: { readonly histogram: LatencyHistogram; readonly source: DeliverySource };
  /** Always from the sampled receivers (propagation.csv's rows): the run keeps no per-window histogram of every delivery. */
  readonly overTime: { readonly windowS: number; readonly rows: readonly OverTimeRow[] };
  /** Submit-to-accept delays of the accepted submissions, µs, ascending. */
  readonly acceptanceDelaysUs: Float64Array;
  readonly spLoad: readonly SpLoadRow[];
  readonly faults: readonly FaultRow[];
  /** scenario.json: the scenario as it ran; null for outputs written before it existed. */
  readonly scenario: Record<string, unknown> | null;
}

const US_PER_S = 1_000_000;
const microseconds = (seconds: number): number => Math.round(seconds * US_PER_S);

/** Reads a run's output directory. A file written by an older acmsim is replaced by what propagation.csv gives. */
export function readRunData(dir: string): RunReportData {
  const summary = readSummary(join(dir, 'summary.json'));
  const histogramPath = join(dir, 'propagation-histogram.json');
  const overTimePath = join(dir, 'propagation-over-time.csv');
  const fromSample = !existsSync(histogramPath) || !existsSync(overTimePath) ? readSample(dir, summary) : null;
  const propagation = existsSync(histogramPath)
    ? { histogram: parseHistogramFile(readFileSync(histogramPath, 'utf8'), 'propagation-histogram.json'), source: 'all' as const }
    : { histogram: (fromSample as SampleFigures).histogram, source: 'sample' as const };
  const overTime = existsSync(overTimePath) ? readOverTime(readCsvTable(overTimePath, OVER_TIME_COLUMNS)) : (fromSample as SampleFigures).overTime;
  const scenarioPath = join(dir, 'scenario.json');
  return {
    summary,
    propagation,
    overTime,
    acceptanceDelaysUs: readAcceptanceDelays(readCsvTable(join(dir, 'submissions.csv'), ['submitS', 'acceptS', 'outcome'])),
    spLoad: readCsvTable(join(dir, 'sp-load.csv'), ['minute', 'sp', 'requests', 'bytes']).rows.map((row) => ({
      minute: row.number('minute'), sp: row.number('sp'), requests: row.number('requests'), bytes: row.number('bytes'),
    })),
    faults: readCsvTable(join(dir, 'faults.csv'), ['timeS', 'kind', 'action', 'target', 'detail']).rows.map((row) => ({
      timeS: row.number('timeS'), kind: row.text('kind'), action: row.text('action'), target: row.text('target'), detail: row.text('detail'),
    })),
    scenario: existsSync(scenarioPath) ? (readJson(scenarioPath, 'scenario.json') as Record<string, unknown>) : null,
  };
}

function readJson(path: string, name: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ReportInputError(`${name}: cannot be read as JSON (${(error as Error).message})`);
  }
}

/** The fields the report uses must be there; anything else in summary.json is passed through untouched. */
function readSummary(path: string): SummaryWithReference {
  if (!existsSync(path)) throw new ReportInputError(`${path}: not found; expected an acmsim run's output directory (summary.json and its CSVs)`);
  const summary = readJson(path, 'summary.json');
  for (const field of ['scenario', 'seed', 'simulatedS', 'propagation.meanS', 'propagation.within180sFraction', 'acceptance.p50S', 'bySize', 'invariants.violations', 'submissions.total']) {
    let value: unknown = summary;
    for (const key of field.split('.')) value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
    if (value === undefined) throw new ReportInputError(`summary.json: field "${field}" is missing; expected the summary an acmsim run writes`);
  }
  return summary as SummaryWithReference;
}

function readAcceptanceDelays(table: CsvTable): Float64Array {
  const delays: number[] = [];
  for (const row of table.rows) {
    if (row.text('outcome') !== 'accepted') continue;
    delays.push(microseconds(row.number('acceptS')) - microseconds(row.number('submitS')));
  }
  return Float64Array.from(delays).sort();
}

const OVER_TIME_COLUMNS = ['windowStartS', 'windowS', 'deliveries', 'p50S', 'p99S'];

function readOverTime(table: CsvTable): { windowS: number; rows: OverTimeRow[] } {
  const rows = table.rows.map((row) => ({
    startS: row.number('windowStartS'), deliveries: row.number('deliveries'), p50S: row.optionalNumber('p50S'), p99S: row.optionalNumber('p99S'),
  }));
  return { windowS: table.rows[0]?.number('windowS') ?? 600, rows };
}

interface SampleFigures {
  readonly histogram: LatencyHistogram;
  readonly overTime: { windowS: number; rows: OverTimeRow[] };
}

/** For outputs older than propagation-histogram.json: the same figures from the sampled receivers' rows. */
function readSample(dir: string, summary: RunSummary): SampleFigures {
  const table = readCsvTable(join(dir, 'propagation.csv'), ['acceptS', 'latencyS']);
  const histogram = new LatencyHistogram({ thresholdsUs: [180 * US_PER_S] });
  const windows = new WindowedQuantiles(overTimeWindowUs(summary.simulatedS * US_PER_S));
  for (const row of table.rows) {
    const latencyUs = microseconds(row.number('latencyS'));
    histogram.record(latencyUs);
    windows.add(microseconds(row.number('acceptS')), latencyUs);
  }
  // The same cells propagation-over-time.csv would hold (OVER_TIME_CSV_HEADER's order).
  const rows = windows.rows().map(([startS, , deliveries, , p50S, p99S]) => ({
    startS: Number(startS), deliveries: Number(deliveries), p50S: p50S === '' ? null : Number(p50S), p99S: p99S === '' ? null : Number(p99S),
  }));
  return { histogram, overTime: { windowS: windows.windowUs / US_PER_S, rows } };
}
