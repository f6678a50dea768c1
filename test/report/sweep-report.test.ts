// The sweep report from a points.csv: one chart per (metric, swept parameter) with the interval
// drawn, the tables, and `acmsim report <sweepdir>` writing it into the directory.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { readSweepPoints } from '../../src/report/sweep-data.js';
import { buildSweepReport, sweepChartFile, sweepChartInputs } from '../../src/report/sweep-report.js';
import { ensureBuilt, runCli } from '../cli/cli-helpers.js';

const FIXTURE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'sweep');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'acmsim-sweep-report-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('sweep report', () => {
  const data = readSweepPoints(path.join(FIXTURE, 'points.csv'));

  it('reads the parameters, the metrics and which parameters vary', () => {
    expect(data.parameters).toEqual(['acms.pollInterval', 'network.pathLossProbability']);
    expect(data.varied).toEqual(['acms.pollInterval', 'network.pathLossProbability']);
    expect(data.metrics).toEqual(['propagation.meanS', 'propagation.within180sFraction']);
    expect(data.points).toHaveLength(12);
  });

  it('draws each metric against each swept parameter, the other as series, with the rows\u2019 own figures', () => {
    const inputs = sweepChartInputs(data);
    expect(inputs.map((input) => `${input.metric} ~ ${input.parameter}`)).toEqual([
      'propagation.meanS ~ acms.pollInterval', 'propagation.meanS ~ network.pathLossProbability',
      'propagation.within180sFraction ~ acms.pollInterval', 'propagation.within180sFraction ~ network.pathLossProbability',
    ]);
    const first = inputs[0];
    expect(first?.seriesTitle).toBe('network.pathLossProbability');
    expect(first?.points.find((point) => point.x === 30 && point.series === '0.001'))
      .toEqual({ x: 30, mean: 46, ciLow: 44.8, ciHigh: 47.2, n: 5, series: '0.001' });
    expect(inputs.map((input) => input.logX)).toEqual([false, false, false, false]);
    expect(first?.points).toHaveLength(6);
  });

  it('draws no chart against a parameter whose values are lists or maps (set whole per point), and keeps it in the tables', () => {
    const csv = ['point,topology.storagePoints,faults,metric,n,mean,sd,ci95Low,ci95High',
      'p1,3,"[{""kind"":""sp-crash""}]",acceptance.p99S,2,10,1,1,19', 'p2,5,"[{""kind"":""sp-crash""},{""kind"":""sp-crash""}]",acceptance.p99S,2,12,1,3,21'];
    const file = path.join(work, 'list-parameter.csv');
    fs.writeFileSync(file, `${csv.join('\n')}\n`);
    const listed = readSweepPoints(file);
    expect(listed.parameters).toEqual(['topology.storagePoints', 'faults']);
    expect(listed.varied).toEqual(['topology.storagePoints']);
    expect(sweepChartInputs(listed).map((input) => [input.parameter, input.seriesTitle])).toEqual([['topology.storagePoints', null]]);
  });

  it('writes one SVG per chart and a page holding them and the tables, the same bytes each time', async () => {
    const files = await buildSweepReport(FIXTURE);
    expect([...files.keys()].sort()).toEqual([sweepChartFile(0), sweepChartFile(1), sweepChartFile(2), sweepChartFile(3), 'report.html'].sort());
    const html = files.get('report.html') ?? '';
    expect(html.match(/<svg /g)).toHaveLength(4);
    expect(html).toContain('<caption>propagation.meanS</caption>');
    expect(html).toContain('95% CI low');
    expect(files.get(sweepChartFile(0))).toMatch(/role-title-text/);
    // The swept values label the axis as written (15, not a rounded "2e+1").
    for (const value of ['15', '30', '60']) expect(files.get(sweepChartFile(0))).toContain(`>${value}</text>`);
    const again = await buildSweepReport(FIXTURE);
    for (const [name, text] of files) expect(again.get(name), name).toBe(text);
  });

  it('reads the points.csv `acmsim sweep` writes: a point label, sd, ci95Low/ci95High, and an empty mean where no run gave a value', () => {
    const dir = path.join(work, 'sweep-shape');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'points.csv'), [
      'point,acms.pollInterval,metric,n,mean,sd,ci95Low,ci95High',
      'p0,15,propagation.meanS,3,31.2,0.5,30.1,32.3',
      'p1,30,propagation.meanS,3,46,0.6,44.8,47.2',
      'p2,60,propagation.meanS,0,,,,',
    ].join('\n') + '\n');
    const shaped = readSweepPoints(path.join(dir, 'points.csv'));
    expect(shaped.parameters).toEqual(['acms.pollInterval']);
    expect(shaped.points[2]?.mean).toBeNull();
    const [input] = sweepChartInputs(shaped);
    expect(input?.points.map((point) => [point.x, point.mean, point.ciLow, point.ciHigh])).toEqual([[15, 31.2, 30.1, 32.3], [30, 46, 44.8, 47.2]]);
  });

  it('is what `acmsim report <sweepdir>` writes, and a points.csv without a mean column is refused', () => {
    ensureBuilt();
    const dir = path.join(work, 'sweep');
    fs.cpSync(FIXTURE, dir, { recursive: true });
    const result = runCli(['report', dir, '--quiet']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(fs.existsSync(path.join(dir, 'report.html'))).toBe(true);
    expect(fs.existsSync(path.join(dir, sweepChartFile(3)))).toBe(true);

    fs.writeFileSync(path.join(dir, 'points.csv'), 'acms.pollInterval,metric,n\n30,propagation.meanS,5\n');
    const bad = runCli(['report', dir]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe('acmsim: points.csv: line 1: got columns [acms.pollInterval, metric, n], expected also mean\n');
  }, 60_000);
});
