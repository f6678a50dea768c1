// The report of a run, end to end through the CLI: what each chart shows equals the summary's figures,
// the page is self-contained and the same for the same seed, `acmsim report <dir>` draws it again byte
// for byte, and --no-report leaves it out.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { builtCliAndWorkDir, fixture, readCsvTable, runCli, type CliResult } from '../cli/cli-helpers.js';
import { readRunData } from '../../src/report/run-data.js';
import { runChartInputs } from '../../src/report/run-charts.js';
import { RUN_CHART_FILES } from '../../src/report/run-page.js';

const SMALL = fixture('small.yaml');
const REPORT_FILES = [...Object.values(RUN_CHART_FILES), 'report.html'];
const workDir = builtCliAndWorkDir('acmsim-report-');

function mustSucceed(result: CliResult): CliResult {
  if (result.status !== 0) throw new Error(`acmsim exited ${result.status}:\n${result.stdout}\n${result.stderr}`);
  return result;
}

let first = '';
let second = '';
let bare = '';
let withReference = '';
const REFERENCE = '{source: "a test paper", values: [{metric: propagation.meanS, value: 55}, ' +
  '{metric: propagation.within180sFraction, value: 0.9995}, {metric: "bySize.<1 KB.p95S", value: 70}]}';

beforeAll(() => {
  first = path.join(workDir(), 'first');
  second = path.join(workDir(), 'second');
  bare = path.join(workDir(), 'bare');
  mustSucceed(runCli(['run', SMALL, '--out', first, '--quiet']));
  mustSucceed(runCli(['run', SMALL, '--out', second, '--quiet']));
  mustSucceed(runCli(['run', SMALL, '--out', bare, '--quiet', '--no-report']));
  withReference = path.join(workDir(), 'with-reference');
  mustSucceed(runCli(['run', SMALL, '--out', withReference, '--quiet', '--set', `reference=${REFERENCE}`]));
}, 240_000);

const read = (dir: string, name: string): string => fs.readFileSync(path.join(dir, name), 'utf8');

describe('run report: files', () => {
  it('writes the five charts and report.html beside the CSVs, and none with --no-report', () => {
    for (const name of REPORT_FILES) expect(fs.existsSync(path.join(first, name)), name).toBe(true);
    for (const name of REPORT_FILES) expect(fs.existsSync(path.join(bare, name)), name).toBe(false);
    expect(fs.readdirSync(bare).filter((name) => name.endsWith('.csv') || name.endsWith('.json')).sort())
      .toEqual(fs.readdirSync(first).filter((name) => name.endsWith('.csv') || name.endsWith('.json')).sort());
  });

  it('gives byte-identical SVG and HTML for the same seed', () => {
    for (const name of REPORT_FILES) expect(read(second, name), name).toBe(read(first, name));
  });

  it('holds every chart inline, titles and legends inside, and nothing to fetch', () => {
    const html = read(first, 'report.html');
    expect(html.match(/<svg /g)).toHaveLength(5);
    for (const name of Object.values(RUN_CHART_FILES)) {
      const svg = read(first, name);
      expect(html).toContain(svg.trimEnd());
      expect(svg).toMatch(/role-title-text/);
    }
    expect(read(first, RUN_CHART_FILES.overTime)).toMatch(/role-legend/);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(/i);
    // The only URLs are XML namespace names, which nothing fetches.
    const urls = [...html.matchAll(/https?:\/\/[^\s"')]+/g)].map((match) => match[0]);
    expect(new Set(urls)).toEqual(new Set(['http://www.w3.org/2000/svg', 'http://www.w3.org/1999/xlink']));
    expect(html).not.toContain('wallS');
  });

  it('opens with the verdict and the paper\u2019s two figures, then the tables', () => {
    const html = read(first, 'report.html');
    const order = ['class="verdict', 'id="propagation-cdf"', 'id="propagation-by-size"', 'id="scenario"', 'id="summary"', 'id="more"', 'id="faults"', 'id="parameters"'];
    const positions = order.map((marker) => html.indexOf(marker));
    expect(positions.every((position) => position > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(html).toContain('partition, at 2 min for 1 min, target countries US');
  });
});

describe('run report: the charts show the summary\u2019s figures', () => {
  it('propagation CDF, by-size bars, acceptance CDF, SP load and over-time rows', () => {
    const data = readRunData(first);
    const summary = data.summary;
    const inputs = runChartInputs(data);
    const at = (points: ReadonlyArray<{ q: number; valueS: number }>, q: number): number | undefined => points.find((point) => point.q === q)?.valueS;
    expect(inputs.propagationCdf.deliveries).toBe(summary.propagation.deliveries);
    expect(at(inputs.propagationCdf.points, 0.5)).toBe(summary.propagation.p50S);
    expect(at(inputs.propagationCdf.points, 0.95)).toBe(summary.propagation.p95S);
    expect(at(inputs.propagationCdf.points, 0.99)).toBe(summary.propagation.p99S);
    expect(at(inputs.propagationCdf.points, 0.9995)).toBe(summary.propagation.p9995S);
    expect(at(inputs.propagationCdf.points, 1)).toBe(summary.propagation.maxS);
    expect(inputs.propagationCdf.within180sFraction).toBe(summary.propagation.within180sFraction);

    for (const bar of inputs.bySize.bars) {
      const row = summary.bySize[bar.bucket];
      expect(bar.valueS).toBe(bar.statistic === 'mean' ? row?.meanS : row?.p95S);
    }
    expect(inputs.bySize.bars.length).toBe(2 * Object.values(summary.bySize).filter((row) => row.deliveries > 0).length);
    expect(inputs.bySize.overallMeanS).toBe(summary.propagation.meanS);

    expect(at(inputs.acceptanceCdf.points, 0.5)).toBe(summary.acceptance.p50S);
    expect(at(inputs.acceptanceCdf.points, 0.99)).toBe(summary.acceptance.p99S);
    expect(at(inputs.acceptanceCdf.points, 1)).toBe(summary.acceptance.maxS);

    const requests = inputs.spLoad.points.reduce((sum, point) => sum + point.requestsPerMinute * inputs.spLoad.windowMinutes, 0);
    expect(requests).toBe(summary.spLoad.requests);

    const sampled = readCsvTable(path.join(first, 'propagation.csv')).rows.length;
    expect(inputs.overTime.rows.reduce((sum, row) => sum + row.deliveries, 0)).toBe(sampled);
    expect(inputs.overTime.faults).toEqual([{ lane: 'partition: countries=US', kind: 'partition', startS: 120, endS: 180 }]);
  });
});

describe('run report: beside published figures', () => {
  it('draws the reference’s figures on both of the paper’s charts and lists them in a table', () => {
    const inputs = runChartInputs(readRunData(withReference));
    expect(inputs.propagationCdf.reference).toEqual({ within180sFraction: 0.9995, source: 'a test paper' });
    expect(inputs.bySize.reference).toEqual({ source: 'a test paper', meanS: 55, byBucket: [{ bucket: '<1 KB', statistic: '95th percentile', valueS: 70 }] });
    expect(read(withReference, RUN_CHART_FILES.propagationCdf)).toContain('paper: 99.95% within 3 min');
    expect(read(withReference, RUN_CHART_FILES.bySize)).toContain('paper: mean of all sizes 55.0 s');
    expect(read(withReference, RUN_CHART_FILES.bySize)).toContain('paper, per size class');
    const html = read(withReference, 'report.html');
    expect(html).toContain('<h2>Beside a test paper</h2>');
    expect(html).toMatch(/within 3 minutes \(paper 99\.95%\), mean [\d.]+ s \(paper 55\.0 s\)/);
    expect(read(first, 'report.html')).not.toContain('id="reference"');
  });
});

describe('acmsim report <dir>', () => {
  it('draws the same files again from the output directory', () => {
    const copy = path.join(workDir(), 'redrawn');
    fs.cpSync(first, copy, { recursive: true });
    for (const name of REPORT_FILES) fs.rmSync(path.join(copy, name));
    mustSucceed(runCli(['report', copy, '--quiet']));
    for (const name of REPORT_FILES) expect(read(copy, name), name).toBe(read(first, name));
    expect(fs.readdirSync(copy).filter((name) => name.includes('.tmp'))).toEqual([]);
  }, 60_000);

  it('draws an output written before the histogram file from the sampled receivers, and says so', () => {
    const old = path.join(workDir(), 'old');
    fs.cpSync(bare, old, { recursive: true });
    for (const name of ['propagation-histogram.json', 'propagation-over-time.csv', 'scenario.json']) fs.rmSync(path.join(old, name));
    mustSucceed(runCli(['report', old, '--quiet']));
    const html = read(old, 'report.html');
    expect(html).toContain('predates propagation-histogram.json');
    expect(html).toContain('predates scenario.json');
    // The over-time rows come from the sampled receivers either way: the same rows.
    expect(readRunData(old).overTime.rows).toEqual(readRunData(first).overTime.rows);
    expect(readRunData(old).propagation.histogram.count).toBe(readCsvTable(path.join(first, 'propagation.csv')).rows.length);
    // The report's files joined the directory's list, so a run may replace the directory again.
    mustSucceed(runCli(['run', SMALL, '--out', old, '--quiet', '--no-report']));
    expect(fs.existsSync(path.join(old, 'report.html'))).toBe(false);
  }, 60_000);

  it('refuses bad input with one line and exit code 2, and replaces no file it did not write', () => {
    const missing = runCli(['report', path.join(workDir(), 'nowhere')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/^acmsim: .*nowhere: got nothing there, expected a run output directory \(summary\.json\) or a sweep directory \(points\.csv\)\n$/);

    const foreign = path.join(workDir(), 'foreign');
    fs.mkdirSync(foreign);
    fs.copyFileSync(path.join(first, 'summary.json'), path.join(foreign, 'summary.json'));
    const empty = runCli(['report', foreign]);
    expect(empty.status).toBe(2);
    expect(empty.stderr).toMatch(/^acmsim: cannot read .*propagation\.csv \(ENOENT/);

    for (const name of fs.readdirSync(bare)) if (!name.startsWith('.')) fs.copyFileSync(path.join(bare, name), path.join(foreign, name));
    fs.writeFileSync(path.join(foreign, 'report.html'), '<p>my own notes</p>');
    const refused = runCli(['report', foreign]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/refusing to replace .*report\.html: not written by acmsim/);
    expect(read(foreign, 'report.html')).toBe('<p>my own notes</p>');

    fs.writeFileSync(path.join(foreign, 'sp-load.csv'), 'minute,startS,sp,requests,bytes\n0,0,0,"12,0\n');
    fs.rmSync(path.join(foreign, 'report.html'));
    const badCsv = runCli(['report', foreign]);
    expect(badCsv.status).toBe(2);
    expect(badCsv.stderr).toBe('acmsim: sp-load.csv: line 2, column 7: expected a closing quote for this quoted field\n');
  }, 60_000);
});
