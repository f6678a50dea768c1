// Draws a run's charts and report.html from its output directory: the same files whether called at the
// end of `acmsim run` (on the directory before it is committed) or later by `acmsim report <dir>`.
import { acceptanceCdfSpec } from './charts/acceptance-cdf.js';
import { bySizeSpec } from './charts/by-size.js';
import { overTimeSpec } from './charts/over-time.js';
import { propagationCdfSpec } from './charts/propagation-cdf.js';
import { spLoadSpec } from './charts/sp-load.js';
import { renderSvg } from './render-svg.js';
import { runChartInputs } from './run-charts.js';
import { readRunData } from './run-data.js';
import { RUN_CHART_FILES, runPage, type RunCharts } from './run-page.js';

export const RUN_REPORT_FILE = 'report.html';

/** The report's files, name -> text: one SVG per chart and report.html holding them all inline. */
export async function buildRunReport(dir: string): Promise<Map<string, string>> {
  const data = readRunData(dir);
  const inputs = runChartInputs(data);
  const charts: RunCharts = {
    propagationCdf: await renderSvg(propagationCdfSpec(inputs.propagationCdf)),
    bySize: await renderSvg(bySizeSpec(inputs.bySize)),
    acceptanceCdf: await renderSvg(acceptanceCdfSpec(inputs.acceptanceCdf)),
    overTime: await renderSvg(overTimeSpec(inputs.overTime)),
    spLoad: await renderSvg(spLoadSpec(inputs.spLoad)),
  };
  const files = new Map<string, string>();
  for (const key of Object.keys(RUN_CHART_FILES) as Array<keyof RunCharts>) files.set(RUN_CHART_FILES[key], `${charts[key]}\n`);
  files.set(RUN_REPORT_FILE, runPage(data, charts));
  return files;
}
