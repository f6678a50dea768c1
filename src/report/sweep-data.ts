// points.csv of a sweep: one row per (parameter point, metric) with the replicas' count, mean and 95%
// confidence interval. Every column other than the statistics (and `point`, `sd`) names a swept parameter.
import { readCsvTable } from './csv-table.js';
import { ReportInputError } from './errors.js';

export const SWEEP_POINTS_FILE = 'points.csv';

/** The statistic columns; a few spellings are accepted for the interval so a sweep can name it its way. */
export const STAT_COLUMNS = { metric: 'metric', n: 'n', mean: 'mean' } as const;
const CI_LOW_NAMES = ['ciLow', 'ci95Low', 'ciLow95', 'ci_low'];
const CI_HIGH_NAMES = ['ciHigh', 'ci95High', 'ciHigh95', 'ci_high'];

export interface SweepPoint {
  /** Parameter name -> value as written (numbers stay text here; see SweepData.numeric). */
  readonly parameters: Readonly<Record<string, string>>;
  readonly metric: string;
  readonly n: number;
  /** Null when no replica gave a value (n = 0): listed in the tables, not drawn. */
  readonly mean: number | null;
  /** Null when the interval is not given (e.g. a single replica). */
  readonly ciLow: number | null;
  readonly ciHigh: number | null;
}

export interface SweepData {
  /** Parameter columns in file order. */
  readonly parameters: readonly string[];
  /** Parameters that take more than one value: the x axes of the charts. */
  readonly varied: readonly string[];
  /** Parameters whose every value is a number (drawn on a numeric axis). */
  readonly numeric: ReadonlySet<string>;
  /** Metrics in order of first appearance. */
  readonly metrics: readonly string[];
  readonly points: readonly SweepPoint[];
}

export function readSweepPoints(path: string): SweepData {
  const table = readCsvTable(path, [STAT_COLUMNS.metric, STAT_COLUMNS.n, STAT_COLUMNS.mean]);
  const ciLowColumn = CI_LOW_NAMES.find((name) => table.header.includes(name));
  const ciHighColumn = CI_HIGH_NAMES.find((name) => table.header.includes(name));
  if ((ciLowColumn === undefined) !== (ciHighColumn === undefined)) {
    throw new ReportInputError(`${table.file}: line 1: got only one end of the confidence interval, expected both (${CI_LOW_NAMES[0]} and ${CI_HIGH_NAMES[0]})`);
  }
  // `point` (the sweep's label of a parameter point) and `sd` are not parameters either.
  const statistics = new Set<string>([STAT_COLUMNS.metric, STAT_COLUMNS.n, STAT_COLUMNS.mean, 'sd', 'point', ...CI_LOW_NAMES, ...CI_HIGH_NAMES]);
  const parameters = table.header.filter((column) => !statistics.has(column));
  const points = table.rows.map((row): SweepPoint => {
    const metric = row.text(STAT_COLUMNS.metric);
    if (metric === '') throw new ReportInputError(`${table.file}: line ${row.line}, column "metric": got an empty cell, expected a metric name`);
    const values: Record<string, string> = {};
    for (const parameter of parameters) values[parameter] = row.text(parameter);
    return {
      parameters: values, metric, n: row.number(STAT_COLUMNS.n), mean: row.optionalNumber(STAT_COLUMNS.mean),
      ciLow: ciLowColumn === undefined ? null : row.optionalNumber(ciLowColumn),
      ciHigh: ciHighColumn === undefined ? null : row.optionalNumber(ciHighColumn),
    };
  });
  if (points.length === 0) throw new ReportInputError(`${table.file}: no rows; expected one row per (parameter point, metric)`);
  // A list or map set per point (compact JSON in points.csv, e.g. a whole `faults` list that follows the SP count)
  // labels nothing a chart can show: it stays in the tables but is neither an axis nor a series.
  const varied = parameters.filter((parameter) => new Set(points.map((point) => point.parameters[parameter])).size > 1 &&
    !points.every((point) => /^[[{]/.test(point.parameters[parameter] ?? '')));
  const numeric = new Set(parameters.filter((parameter) => points.every((point) => isNumber(point.parameters[parameter] ?? ''))));
  const metrics = [...new Set(points.map((point) => point.metric))];
  return { parameters, varied, numeric, metrics, points };
}

function isNumber(text: string): boolean {
  return text.trim() !== '' && Number.isFinite(Number(text));
}
