// A sweep's report from its points.csv: each metric against each swept parameter with its 95%
// confidence interval, then the tables. Input is the plain table, so any sweep that writes it can use it.
import { join } from 'node:path';
import { sweepMetricSpec, type SweepMetricInput } from './charts/sweep-metric.js';
import { escapeHtml, figure, page, section, table, type Cell } from './html.js';
import { renderSvg } from './render-svg.js';
import { SWEEP_POINTS_FILE, readSweepPoints, type SweepData } from './sweep-data.js';

export const SWEEP_REPORT_FILE = 'report.html';

/** What each chart shows: for every metric and every swept parameter, the points grouped by the other parameters. */
export function sweepChartInputs(data: SweepData): SweepMetricInput[] {
  const inputs: SweepMetricInput[] = [];
  for (const metric of data.metrics) {
    const rows = data.points.filter((point) => point.metric === metric && point.mean !== null);
    for (const parameter of data.varied) {
      const others = data.varied.filter((other) => other !== parameter);
      const numericX = data.numeric.has(parameter);
      const values = rows.map((point) => Number(point.parameters[parameter]));
      const logX = numericX && values.every((value) => value > 0) && Math.max(...values) / Math.min(...values) >= 100;
      const points = rows.map((point) => {
        const raw = point.parameters[parameter] ?? '';
        return {
          x: numericX ? Number(raw) : raw, mean: point.mean as number, ciLow: point.ciLow, ciHigh: point.ciHigh, n: point.n,
          // One other parameter: its value alone (the legend's title names it); more: name=value pairs.
          series: others.length === 1 ? (point.parameters[others[0] as string] ?? '') : others.map((other) => `${other}=${point.parameters[other] ?? ''}`).join(', '),
        };
      });
      if (numericX) points.sort((a, b) => (a.series < b.series ? -1 : a.series > b.series ? 1 : (a.x as number) - (b.x as number)));
      inputs.push({ metric, parameter, numericX, logX, points, seriesTitle: others.length === 0 ? null : others.join(', ') });
    }
  }
  return inputs;
}

export function sweepChartFile(index: number): string {
  return `plot-sweep-${String(index + 1).padStart(2, '0')}.svg`;
}

/** Files name -> text for the sweep directory `dir` (which holds points.csv). */
export async function buildSweepReport(dir: string): Promise<Map<string, string>> {
  const data = readSweepPoints(join(dir, SWEEP_POINTS_FILE));
  const inputs = sweepChartInputs(data);
  const files = new Map<string, string>();
  const figures: string[] = [];
  for (const [index, input] of inputs.entries()) {
    const svg = await renderSvg(sweepMetricSpec(input));
    files.set(sweepChartFile(index), `${svg}\n`);
    figures.push(figure(`sweep-${index + 1}`, svg, `${input.metric} at each value of ${input.parameter}` + (input.seriesTitle === null ? '' : `, one line per value of ${input.seriesTitle}`) + '.'));
  }
  files.set(SWEEP_REPORT_FILE, sweepPage(data, figures));
  return files;
}

function sweepPage(data: SweepData, figures: readonly string[]): string {
  const replicas = [...new Set(data.points.map((point) => point.n))].sort((a, b) => a - b);
  const pointCount = new Set(data.points.map((point) => data.parameters.map((parameter) => point.parameters[parameter]).join('\u0000'))).size;
  const summary = `${pointCount} parameter points, ${data.metrics.length} metrics, ${replicas.join(' to ')} replicas per point; ` +
    (data.varied.length === 0 ? 'no parameter varies.' : `swept: ${data.varied.join(', ')}.`);
  const tables = data.metrics.map((metric) => table(
    [...data.parameters, 'n', 'mean', '95% CI low', '95% CI high'],
    data.points.filter((point) => point.metric === metric)
      .map((point): Cell[] => [...data.parameters.map((parameter) => point.parameters[parameter] ?? ''), point.n, point.mean, point.ciLow, point.ciHigh]),
    metric,
  ));
  const body = [
    '<h1>Sweep</h1>',
    `<p class="verdict">${escapeHtml(summary)}</p>`,
    figures.length === 0 ? '<p>No parameter takes more than one value, so there is nothing to draw against; the tables follow.</p>' : figures.join('\n'),
    section('tables', 'Tables (points.csv)', tables.join('\n')),
    '<p class="note">Written by acmsim from points.csv in this directory; <code>acmsim report &lt;dir&gt;</code> draws it again.</p>',
  ].join('\n');
  return page('acmsim: sweep', body);
}
