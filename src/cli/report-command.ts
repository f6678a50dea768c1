// `acmsim report <dir>`: draws the charts and report.html again from an existing run output directory
// (summary.json and its CSVs) or a sweep directory (points.csv), replacing only the report's own files.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { SWEEP_POINTS_FILE, buildRunReport, buildSweepReport, writeReportFiles } from '../report/index.js';
import { UsageError } from './errors.js';

export async function reportCommand(dir: string, options: { quiet?: boolean }): Promise<void> {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new UsageError(`${dir}: got ${existsSync(dir) ? 'a file' : 'nothing there'}, expected a run output directory (summary.json) or a sweep directory (${SWEEP_POINTS_FILE})`);
  }
  const sweep = existsSync(join(dir, SWEEP_POINTS_FILE));
  if (!sweep && !existsSync(join(dir, 'summary.json'))) {
    throw new UsageError(`${dir}: holds neither summary.json nor ${SWEEP_POINTS_FILE}; expected a run output directory or a sweep directory`);
  }
  const files = sweep ? await buildSweepReport(dir) : await buildRunReport(dir);
  writeReportFiles(dir, files);
  if (options.quiet !== true) process.stdout.write(`${sweep ? 'sweep' : 'run'} report: ${join(dir, 'report.html')} and ${files.size - 1} charts\n`);
}
