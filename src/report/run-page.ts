// report.html for one run: the verdict and the paper's two figures first, then the scenario, the
// summary, the comparison with published figures, the other charts, the faults and the parameters.
import { SIZE_BUCKET_LABELS } from '../metrics/index.js';
import type { RunReportData } from './run-data.js';
import { count, percent, seconds } from './charts/common.js';
import { escapeHtml, figure, keyValueTable, page, section, table, type Cell } from './html.js';

export interface RunCharts {
  readonly propagationCdf: string;
  readonly bySize: string;
  readonly acceptanceCdf: string;
  readonly overTime: string;
  readonly spLoad: string;
}

/** The file name of each chart in the output directory. */
export const RUN_CHART_FILES: Readonly<Record<keyof RunCharts, string>> = {
  propagationCdf: 'plot-propagation-cdf.svg',
  bySize: 'plot-propagation-by-size.svg',
  acceptanceCdf: 'plot-acceptance-cdf.svg',
  overTime: 'plot-propagation-over-time.svg',
  spLoad: 'plot-sp-load.svg',
};

/** One line: safe or not, how fast against the 3-minute mark and the reference, and what was left undelivered. */
export function verdict(data: RunReportData): { text: string; ok: boolean } {
  const { summary } = data;
  const p = summary.propagation;
  const reference = summary.reference;
  const ref = (metric: string): number | null => reference?.rows.find((row) => row.metric === metric)?.reference ?? null;
  const parts: string[] = [];
  const violations = summary.invariants.violations;
  parts.push(violations === 0
    ? `Safe: no invariant violated in ${count(summary.invariants.checks)} checks`
    : `UNSAFE: ${count(violations)} invariant violations in ${count(summary.invariants.checks)} checks`);
  if (p.within180sFraction !== null) {
    const paperWithin = ref('propagation.within180sFraction');
    const paperMean = ref('propagation.meanS');
    parts.push(
      `${percent(p.within180sFraction)} of updates within 3 minutes${paperWithin === null ? '' : ` (paper ${percent(paperWithin)})`}, ` +
      `mean ${seconds(p.meanS)}${paperMean === null ? '' : ` (paper ${seconds(paperMean)})`}`,
    );
  }
  if (p.undelivered > 0) parts.push(`${count(p.undelivered)} of ${count(p.expectedDeliveries)} pairs undelivered at the end`);
  if (summary.submissions.failed > 0) parts.push(`${count(summary.submissions.failed)} of ${count(summary.submissions.total)} submissions failed`);
  return { text: `${parts.join('; ')}.`, ok: violations === 0 };
}

export function runPage(data: RunReportData, charts: RunCharts): string {
  const { summary } = data;
  const title = `acmsim: ${summary.scenario}, seed ${summary.seed}`;
  const { text, ok } = verdict(data);
  const sampledNote = data.propagation.source === 'sample'
    ? '<p class="note">This output predates propagation-histogram.json: the propagation distribution is drawn from the sampled receivers in propagation.csv, not from every delivery.</p>'
    : '';
  const body = [
    `<h1>${escapeHtml(summary.scenario)}, seed ${summary.seed}</h1>`,
    `<p class="verdict${ok ? '' : ' bad'}">${escapeHtml(text)}</p>`,
    '<nav><a href="#scenario">scenario</a><a href="#summary">summary</a>' + (summary.reference === undefined ? '' : '<a href="#reference">published figures</a>') +
      '<a href="#more">more charts</a><a href="#faults">faults</a><a href="#parameters">parameters</a></nav>',
    sampledNote,
    figure('propagation-cdf', charts.propagationCdf, 'Left: share of deliveries installed within a given time. Right: the same curve as the share later than a given time, where the 3-minute figure is read.'),
    figure('propagation-by-size', charts.bySize, 'Mean and 95th percentile of propagation for each size class of the file delivered (decimal units: 1 KB = 1,000 bytes).'),
    section('scenario', 'Scenario and seed', scenarioTable(data)),
    section('summary', 'Summary', summaryTables(data)),
    summary.reference === undefined ? '' : section('reference', `Beside ${summary.reference.source}`, referenceTable(data)),
    section('more', 'More charts', [
      figure('propagation-over-time', charts.overTime, 'Propagation time of the versions accepted in each window; the bars underneath show when each fault was in force.'),
      figure('acceptance-cdf', charts.acceptanceCdf, 'Time from a publisher\u2019s submission to agreement among the Storage Points.'),
      figure('sp-load', charts.spLoad, 'Index and file responses, and megabytes, served by each Storage Point.'),
    ].join('\n')),
    section('faults', 'Faults', faultsSection(data)),
    section('parameters', 'Parameters of this run', parametersSection(data)),
    `<p class="note">Written by acmsim from the files in this directory (summary.json, submissions.csv, sp-load.csv, faults.csv, propagation-histogram.json, propagation-over-time.csv, scenario.json); <code>acmsim report &lt;dir&gt;</code> draws it again. The wall time of the run is in summary.json, not here, so this page is the same for the same seed.</p>`,
  ].filter((part) => part !== '').join('\n');
  return page(title, body);
}

function scenarioTable(data: RunReportData): string {
  const { summary } = data;
  const topology = summary.topology ?? {};
  const file = typeof data.scenario?.['file'] === 'string' ? (data.scenario['file'] as string) : null;
  return keyValueTable([
    ['scenario', summary.scenario],
    ...(file === null ? [] : [['file', file] as [string, string]]),
    ['seed', summary.seed],
    ['simulated time', `${count(summary.simulatedS)} s (${(summary.simulatedS / 3600).toFixed(2)} h, drain included)`],
    ['topology', Object.entries(topology).map(([key, value]) => `${key} ${count(value)}`).join(', ')],
    ['kernel events', count(summary.events)],
    ['fingerprint', summary.fingerprint],
  ]);
}

/** Seconds on the page: one decimal (the CSVs and summary.json keep every digit); a dash for none. */
function s1(value: number | null | undefined): Cell {
  return value === undefined || value === null ? null : value.toFixed(1);
}

type Figure = number | null;

function ratio(value: Figure): string {
  return value === null ? '-' : percent(value, 1);
}

function latencyRow(name: string, figures: { meanS: Figure; p50S: Figure; p95S: Figure; p99S: Figure; maxS?: Figure }): Cell[] {
  return [name, s1(figures.meanS), s1(figures.p50S), s1(figures.p95S), s1(figures.p99S), s1(figures.maxS)];
}

function summaryTables(data: RunReportData): string {
  const { summary } = data;
  const p = summary.propagation;
  const s = summary.submissions;
  const counts = keyValueTable([
    ['submissions', `${count(s.total)} (${count(s.accepted)} accepted, ${count(s.failed)} failed, ${count(s.pending)} pending)`],
    ['deliveries', `${count(p.deliveries)} of ${count(p.expectedDeliveries)} (version, receiver) pairs; ${count(p.undelivered)} undelivered`],
    ['within 3 minutes', p.within180sFraction === null ? '-' : `${percent(p.within180sFraction, 3)} of pairs`],
    ['propagation p99.95', p.p9995S === null ? '-' : `${p.p9995S.toFixed(1)} s`],
    ['invariants', `${count(summary.invariants.violations)} violations in ${count(summary.invariants.checks)} checks`],
    ...(summary.caches === undefined ? [] : [['cache hit ratios', `edge ${ratio(summary.caches.edgeHitRatio)}, parent ${ratio(summary.caches.parentHitRatio)}`] as [string, string]]),
    ...(summary.spLoad === undefined ? [] : [['SP load', `${count(summary.spLoad.requests)} requests, ${count(Math.round(summary.spLoad.bytes / 1e6))} MB`] as [string, string]]),
  ]);
  const latencies = table(['seconds', 'mean', 'p50', 'p95', 'p99', 'max'], [
    latencyRow('acceptance delay', summary.acceptance),
    latencyRow('propagation', p),
  ]);
  const bySize = table(['size class', 'versions', 'deliveries', 'mean (s)', 'p50 (s)', 'p95 (s)', 'p99 (s)'],
    SIZE_BUCKET_LABELS.flatMap((label) => {
      const row = summary.bySize[label];
      return row === undefined ? [] : [[label, count(row.versions), count(row.deliveries), s1(row.meanS), s1(row.p50S), s1(row.p95S), s1(row.p99S)] as Cell[]];
    }), 'Propagation by file size (by-size.csv)');
  return [counts, latencies, bySize].join('\n');
}

function referenceTable(data: RunReportData): string {
  const reference = data.summary.reference;
  if (reference === undefined) return '';
  return table(['metric', 'published', 'this run', 'difference'], reference.rows.map((row) => [
    // Six significant digits: 41.1364 s, 0.99619; summary.json keeps every digit.
    row.metric, row.reference, row.simulated === null ? null : Number(row.simulated.toPrecision(6)),
    row.relativeDifference === null ? (row.note === '' ? null : row.note) : `${row.relativeDifference >= 0 ? '+' : ''}${(row.relativeDifference * 100).toFixed(1)}%`,
  ]));
}

/** faults.csv can hold thousands of rows (random outages over 48 hours): the page shows the first ones. */
const MAX_FAULT_ROWS = 100;

function faultsSection(data: RunReportData): string {
  const configured = Array.isArray(data.scenario?.['faults']) ? (data.scenario['faults'] as unknown[]) : null;
  const parts: string[] = [];
  if (configured !== null) {
    parts.push(configured.length === 0 ? '<p>The scenario has no faults.</p>'
      : table(['#', 'fault as configured'], configured.map((fault, index) => [index, describeFault(fault)]), 'In the scenario'));
  }
  const rows = data.faults;
  if (rows.length > 0) {
    const shown = rows.slice(0, MAX_FAULT_ROWS).map((row): Cell[] => [row.timeS, row.kind, row.action, row.target, row.detail]);
    parts.push(table(['time (s)', 'kind', 'action', 'target', 'detail'], shown,
      rows.length > MAX_FAULT_ROWS ? `As they happened (the first ${MAX_FAULT_ROWS} of ${count(rows.length)} rows; all in faults.csv)` : 'As they happened (faults.csv)'));
  } else if (configured === null) {
    parts.push('<p>No fault happened in this run.</p>');
  }
  return parts.join('\n');
}

/** Seconds as a reader says them: 2592000 -> "30 d", 1200 -> "20 min", 90 -> "90 s". */
function duration(seconds: unknown): string {
  if (typeof seconds !== 'number') return String(seconds);
  for (const [unit, size] of [['d', 86_400], ['h', 3_600], ['min', 60]] as const) {
    if (seconds >= size && seconds % size === 0) return `${seconds / size} ${unit}`;
  }
  return `${seconds} s`;
}

/** A configured fault (scenario.json) as a phrase: kind, when, whom, and its own settings. */
function describeFault(fault: unknown): string {
  const { kind, timing, target, index: _index, ...settings } = (fault ?? {}) as Record<string, unknown>;
  const t = (timing ?? {}) as Record<string, unknown>;
  const when = t['mode'] === 'random'
    ? `random on each target: mean time between failures ${duration(t['mtbfS'])}, to repair ${duration(t['mttrS'])}`
    : `at ${duration(t['atS'])}` + (t['forS'] === null || t['forS'] === undefined ? ', to the end' : ` for ${duration(t['forS'])}`);
  const { by, ...what } = (target ?? {}) as Record<string, unknown>;
  const whom = `${String(by)} ${Object.values(what).map((value) => (Array.isArray(value) ? value.join(', ') : String(value))).join(' ')}`;
  const extra = Object.entries(settings).map(([key, value]) => `${key} ${String(value)}`).join(', ');
  return `${String(kind)}, ${when}, target ${whom}${extra === '' ? '' : `; ${extra}`}`;
}

function parametersSection(data: RunReportData): string {
  if (data.scenario === null) return '<p class="note">This output predates scenario.json: the parameters are not recorded here.</p>';
  const rows: Array<[string, string | number]> = [];
  const walk = (prefix: string, value: unknown): void => {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const key of Object.keys(value).sort()) walk(prefix === '' ? key : `${prefix}.${key}`, (value as Record<string, unknown>)[key]);
      return;
    }
    rows.push([prefix, typeof value === 'string' || typeof value === 'number' ? value : JSON.stringify(value)]);
  };
  // Shown elsewhere on the page: the faults in their section, the name, file and seed at the top.
  const { faults: _faults, expect: _expect, reference: _reference, name: _name, file: _file, seed: _seed, ...rest } = data.scenario;
  walk('', rest);
  return '<p class="note">Every value the run used, defaults included (scenario.json). Names ending in S are seconds, in Us microseconds; base.yaml and the README say where each default comes from.</p>\n' +
    keyValueTable(rows);
}
