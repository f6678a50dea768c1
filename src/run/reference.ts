// Sets a run's figures beside published ones (a scenario's `reference` section, e.g. the paper it
// replays): for each named metric, the published value, the run's value and how far apart they are.
// Informational: nothing passes or fails here (expectations do that, in `expect`).
import type { ReferenceSpec } from '../scenario/types.js';
import { lookupMetric } from './metric-path.js';

export interface ReferenceRow {
  readonly metric: string;
  readonly reference: number;
  /** The run's value; null when the summary has no such number (see note). */
  readonly simulated: number | null;
  /** (simulated - reference) / |reference|; null when either is missing or the reference is 0. */
  readonly relativeDifference: number | null;
  /** Empty, or why there is no simulated value. */
  readonly note: string;
}

export interface ReferenceComparison {
  readonly source: string;
  readonly rows: readonly ReferenceRow[];
}

export function compareWithReference(summary: unknown, reference: ReferenceSpec): ReferenceComparison {
  const rows = reference.values.map((item): ReferenceRow => {
    const lookup = lookupMetric(summary, item.metric);
    if (!lookup.found) return { metric: item.metric, reference: item.value, simulated: null, relativeDifference: null, note: lookup.message };
    if (typeof lookup.value !== 'number') {
      return { metric: item.metric, reference: item.value, simulated: null, relativeDifference: null, note: `"${item.metric}" is not a number in this run` };
    }
    const relativeDifference = item.value === 0 ? null : Math.round(((lookup.value - item.value) / Math.abs(item.value)) * 1e6) / 1e6;
    return { metric: item.metric, reference: item.value, simulated: lookup.value, relativeDifference, note: '' };
  });
  return { source: reference.source, rows };
}

/** The comparison as lines of text: a heading naming the source, then one aligned row per metric. */
export function formatReferenceTable(comparison: ReferenceComparison): string {
  const header = ['metric', 'reference', 'this run', 'difference'];
  const body = comparison.rows.map((row) => [
    row.metric,
    String(row.reference),
    row.simulated === null ? '-' : String(row.simulated),
    row.simulated === null ? row.note : formatDifference(row.relativeDifference),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...body.map((cells) => (cells[column] as string).length)));
  const line = (cells: readonly string[]): string => `  ${cells.map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] as number))).join('  ')}`;
  return [`beside ${comparison.source}:`, line(header), ...body.map(line)].join('\n') + '\n';
}

function formatDifference(relative: number | null): string {
  if (relative === null) return '-';
  const percent = relative * 100;
  return `${percent >= 0 ? '+' : ''}${percent.toFixed(1)}%`;
}
