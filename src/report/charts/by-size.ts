// The paper's second figure: mean and 95th percentile of propagation per file-size class, with the
// run's and the paper's overall means as lines, and any per-class figure the reference names as marks.
import type { TopLevelSpec } from 'vega-lite';
import { MARK_COLOR, PAPER_COLOR, RUN_COLOR, SECOND_COLOR, seconds } from './common.js';

export interface BySizeBar {
  readonly bucket: string;
  readonly statistic: 'mean' | '95th percentile';
  readonly valueS: number;
}

export interface BySizeInput {
  readonly buckets: readonly string[];
  readonly bars: readonly BySizeBar[];
  /** Null when nothing was delivered. */
  readonly overallMeanS: number | null;
  /** Published figures: an overall mean and/or per-class values (bucket + statistic). */
  readonly reference: {
    readonly source: string;
    readonly meanS: number | null;
    readonly byBucket: readonly BySizeBar[];
  } | null;
}

export function bySizeSpec(input: BySizeInput): TopLevelSpec {
  const runMean = `this run: mean of all sizes ${seconds(input.overallMeanS)}`;
  const paperMean = input.reference?.meanS == null ? null : `paper: mean of all sizes ${seconds(input.reference.meanS)}`;
  const paperMarks = input.reference === null || input.reference.byBucket.length === 0 ? null : 'paper, per size class';
  const domain = ['mean', '95th percentile', runMean, ...(paperMean === null ? [] : [paperMean]), ...(paperMarks === null ? [] : [paperMarks])];
  const range = [RUN_COLOR, SECOND_COLOR, MARK_COLOR, ...(paperMean === null ? [] : [PAPER_COLOR]), ...(paperMarks === null ? [] : ['#000'])];
  const color = { field: 'series', type: 'nominal', title: null, scale: { domain, range }, legend: { columns: 3 } };
  const x = { field: 'bucket', type: 'nominal', sort: input.buckets, scale: { domain: input.buckets }, axis: { title: 'file size class', labelAngle: 0 } };
  const y = { field: 'valueS', type: 'quantitative', axis: { title: 'propagation time (s)' } };
  const bars = input.bars.map((bar) => ({ ...bar, series: bar.statistic, text: bar.valueS.toFixed(bar.valueS >= 100 ? 0 : 1) }));
  const lines = [
    ...(input.overallMeanS === null ? [] : [{ valueS: input.overallMeanS, series: runMean }]),
    ...(paperMean === null ? [] : [{ valueS: input.reference?.meanS as number, series: paperMean }]),
  ];
  const layers: unknown[] = [
    {
      data: { values: bars },
      mark: { type: 'bar' },
      encoding: { x, y, xOffset: { field: 'statistic', sort: ['mean', '95th percentile'] }, color },
    },
    {
      data: { values: bars },
      mark: { type: 'text', baseline: 'bottom', dy: -3, fontSize: 11 },
      encoding: { x, y, xOffset: { field: 'statistic', sort: ['mean', '95th percentile'] }, text: { field: 'text' } },
    },
    {
      data: { values: lines },
      mark: { type: 'rule', strokeDash: [6, 4], strokeWidth: 2 },
      encoding: { y, color },
    },
  ];
  if (paperMarks !== null) {
    layers.push({
      data: { values: (input.reference?.byBucket ?? []).map((bar) => ({ ...bar, series: paperMarks })) },
      mark: { type: 'tick', thickness: 3, size: 22 },
      encoding: { x, y, xOffset: { field: 'statistic', sort: ['mean', '95th percentile'] }, color },
    });
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: 'Propagation time by file size: mean and 95th percentile',
      subtitle: input.reference === null ? 'every delivery, by the size of the file' : `every delivery, by the size of the file; beside ${input.reference.source}`,
    },
    width: 680, height: 280,
    layer: layers,
  } as unknown as TopLevelSpec;
}
