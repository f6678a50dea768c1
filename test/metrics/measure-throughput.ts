// A one-off measurement, not a test (vitest only picks up *.test.ts): records per second into the
// latency histogram and rows per second through the CSV writer. Build and run it with the command in
// test/metrics/README.md; it writes a scratch CSV into the OS temp directory and deletes it.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { RandomStreams, lognormal, pareto, uniformInt } from '../../src/kernel/index.js';
import type { CsvWriterOptions } from '../../src/metrics/csv-writer.js';
import { formatSeconds } from '../../src/metrics/format.js';
import { LatencyHistogram } from '../../src/metrics/histogram.js';
import { OutputDir } from '../../src/metrics/output-dir.js';
import { nearestRank } from '../../src/metrics/stats.js';

/** Worst relative quantile error over q = 0.001 .. 0.999 and the far tail, on 1 M values. */
function worstQuantileError(draw: () => number): number {
  const values = new Float64Array(1_000_000);
  for (let i = 0; i < values.length; i++) values[i] = Math.min(2 ** 43 - 1, Math.round(draw()));
  const histogram = new LatencyHistogram();
  for (const value of values) histogram.record(value);
  values.sort();
  let worst = 0;
  const quantiles = [0.9995, 0.9999];
  for (let i = 1; i < 1000; i++) quantiles.push(i / 1000);
  for (const q of quantiles) {
    const exact = values[nearestRank(q, values.length) - 1] as number;
    if (exact > 0) worst = Math.max(worst, Math.abs(histogram.quantileUs(q) - exact) / exact);
  }
  return worst;
}

const errorStreams = new RandomStreams(1);
const uniformRng = errorStreams.stream('measure/uniform');
const lognormalRng = errorStreams.stream('measure/lognormal');
const paretoRng = errorStreams.stream('measure/pareto');
console.log(`histogram worst quantile error: uniform ${(worstQuantileError(() => uniformInt(uniformRng, 0, 300e6)) * 100).toFixed(3)}%, ` +
  `lognormal ${(worstQuantileError(() => lognormal(lognormalRng, Math.log(40e6), 0.6)) * 100).toFixed(3)}%, ` +
  `pareto ${(worstQuantileError(() => pareto(paretoRng, 1e6, 1.1)) * 100).toFixed(3)}%`);

function measureHistogram(recordCount: number, thresholdsUs: number[]): number {
  // Pre-drawn values, so the figure is the histogram's cost and not the random generator's.
  const rng = new RandomStreams(1).stream('measure/histogram');
  const values = new Float64Array(1 << 20);
  for (let i = 0; i < values.length; i++) values[i] = Math.round(lognormal(rng, Math.log(40e6), 0.8));
  const histogram = new LatencyHistogram({ thresholdsUs });
  const mask = values.length - 1;
  const startMs = performance.now();
  for (let i = 0; i < recordCount; i++) histogram.record(values[i & mask] as number);
  const elapsedS = (performance.now() - startMs) / 1000;
  if (histogram.count !== recordCount) throw new Error('lost records');
  return recordCount / elapsedS;
}

function measureCsv(rowCount: number, options: CsvWriterOptions): { rowsPerS: number; bytes: number } {
  const dir = mkdtempSync(join(tmpdir(), 'acmsim-measure-'));
  try {
    const out = OutputDir.create(join(dir, 'run'));
    const header = ['receiver', 'cluster', 'isp', 'country', 'sizeBytes', 'acceptS', 'deliverS', 'latencyS'];
    const writer = out.openCsv('propagation.csv', header, options);
    const startMs = performance.now();
    for (let i = 0; i < rowCount; i++) {
      const acceptUs = 1_000_000 + i * 12_107;
      const latencyUs = 30_000_000 + ((i * 7_919) % 60_000_000);
      // The shape of a propagation.csv row: small integers, a country code, three formatted times.
      writer.writeRow([i % 250, i % 1_900, i % 1_200, 'US', 512 + (i % 100_000), formatSeconds(acceptUs),
        formatSeconds(acceptUs + latencyUs), formatSeconds(latencyUs)]);
    }
    out.commit();
    const elapsedS = (performance.now() - startMs) / 1000;
    return { rowsPerS: rowCount / elapsedS, bytes: statSync(join(dir, 'run', 'propagation.csv')).size };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const recordCount = Number(process.env['HISTOGRAM_RECORDS'] ?? 200_000_000);
for (let round = 0; round < 3; round++) {
  const none = measureHistogram(recordCount, []);
  const one = measureHistogram(recordCount, [180e6]);
  console.log(`histogram: ${(none / 1e6).toFixed(1)} M records/s without thresholds, ${(one / 1e6).toFixed(1)} M with [180 s]`);
}
const csvConfigs: [string, CsvWriterOptions][] = [
  ['csv-stringify, batches of 1,000', { batchRows: 1_000 }],
  ['csv-stringify, batches of 10,000', { batchRows: 10_000 }],
  ['joinPlainRows, batches of 1,000', { batchRows: 1_000, joinPlainRows: true }],
];
const csvRowCount = Number(process.env['CSV_ROWS'] ?? 3_600_000);
for (let round = 0; round < 3; round++) {
  for (const [label, options] of csvConfigs) {
    const csv = measureCsv(csvRowCount, options);
    console.log(`csv (${label}): ${(csv.rowsPerS / 1e6).toFixed(3)} M rows/s (${csvRowCount} propagation rows, ${(csv.bytes / 1e6).toFixed(0)} MB)`);
  }
}
