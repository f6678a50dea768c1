// The human-readable verdict of `acmsim check`: an aligned table (scenario, metric, expected, actual,
// result), then one line per failure saying why, then a closing count.
import type { CheckRow } from './check-row.js';
import type { ScenarioOutcome } from './check.js';

const HEADER = ['scenario', 'metric', 'expected', 'actual', 'result'] as const;

function cells(row: CheckRow): string[] {
  const metric = row.source === 'baseline' ? `${row.metric} (baseline)` : row.metric;
  return [row.scenario, metric, row.expected, row.actual, row.pass ? 'pass' : 'FAIL'];
}

export function formatTable(outcomes: readonly ScenarioOutcome[]): string {
  const rows: string[][] = [[...HEADER]];
  for (const outcome of outcomes) {
    for (const row of outcome.rows) rows.push(cells(row));
    if (outcome.error !== undefined) rows.push([outcome.name, '(run)', 'runs to the end', 'error', 'FAIL']);
  }
  const widths: number[] = HEADER.map(() => 0);
  for (const row of rows) {
    for (let c = 0; c < row.length; c++) widths[c] = Math.max(widths[c] as number, (row[c] as string).length);
  }
  const lines: string[] = [];
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r] as string[];
    // The last column is not padded, so lines carry no trailing spaces.
    lines.push(row.map((cell, c) => (c === row.length - 1 ? cell : cell.padEnd(widths[c] as number))).join('  '));
    if (r === 0) lines.push(widths.map((width) => '-'.repeat(width)).join('  '));
  }
  return lines.join('\n') + '\n';
}

/** One "FAIL <scenario>: <why>" line per failed check or scenario that could not run. */
export function formatFailures(outcomes: readonly ScenarioOutcome[]): string {
  let text = '';
  for (const outcome of outcomes) {
    for (const row of outcome.rows) {
      if (!row.pass) text += `FAIL ${row.scenario}: ${row.message}${row.source === 'baseline' ? ' [baseline]' : ''}\n`;
    }
    if (outcome.error !== undefined) text += `FAIL ${outcome.name}: the run stopped with an error: ${outcome.error}\n`;
  }
  return text;
}
