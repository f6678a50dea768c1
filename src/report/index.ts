// The report package: charts (Vega-Lite rendered to SVG) and self-contained HTML pages for a run's
// output directory and for a sweep's points.csv.
export { buildRunReport, RUN_REPORT_FILE } from './run-report.js';
export { buildSweepReport, SWEEP_REPORT_FILE } from './sweep-report.js';
export { SWEEP_POINTS_FILE } from './sweep-data.js';
export { ReportInputError } from './errors.js';
export { writeReportFiles } from './write-files.js';
