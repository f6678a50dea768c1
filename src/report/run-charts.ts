// From a run's data to the inputs of its five charts: what each chart shows, before any drawing, so a
// test can hold every figure against the summary.
import { SIZE_BUCKET_LABELS } from '../metrics/index.js';
import type { ReferenceComparison } from '../run/reference.js';
import { cdfPoints, faultIntervals, sortedQuantile, spLoadPoints, timeUnitOf } from './chart-data.js';
import type { RunReportData } from './run-data.js';
import type { AcceptanceCdfInput } from './charts/acceptance-cdf.js';
import type { BySizeBar, BySizeInput } from './charts/by-size.js';
import type { OverTimeInput } from './charts/over-time.js';
import type { PropagationCdfInput } from './charts/propagation-cdf.js';
import type { SpLoadInput } from './charts/sp-load.js';

export interface RunChartInputs {
  readonly propagationCdf: PropagationCdfInput;
  readonly bySize: BySizeInput;
  readonly acceptanceCdf: AcceptanceCdfInput;
  readonly overTime: OverTimeInput;
  readonly spLoad: SpLoadInput;
}

/** A reference value by metric path, or null. */
export function referenceValue(reference: ReferenceComparison | undefined, metric: string): number | null {
  return reference?.rows.find((row) => row.metric === metric)?.reference ?? null;
}

const STATISTICS: ReadonlyArray<readonly [BySizeBar['statistic'], 'meanS' | 'p95S']> = [['mean', 'meanS'], ['95th percentile', 'p95S']];

export function runChartInputs(data: RunReportData): RunChartInputs {
  const { summary } = data;
  const reference = summary.reference;
  const histogram = data.propagation.histogram;
  const within = referenceValue(reference, 'propagation.within180sFraction');
  const buckets = SIZE_BUCKET_LABELS.filter((label) => (summary.bySize[label]?.deliveries ?? 0) > 0);
  // A class with deliveries has its figures (null only over an empty series).
  const bars = buckets.flatMap((bucket) => STATISTICS.map(([statistic, key]) => ({ bucket, statistic, valueS: summary.bySize[bucket]?.[key] as number })));
  const referenceBars = buckets.flatMap((bucket) => STATISTICS.flatMap(([statistic, key]) => {
    const valueS = referenceValue(reference, `bySize.${bucket}.${key}`);
    return valueS === null ? [] : [{ bucket, statistic, valueS }];
  }));
  const referenceMean = referenceValue(reference, 'propagation.meanS');
  const delays = data.acceptanceDelaysUs;
  const timeUnit = timeUnitOf(summary.simulatedS);
  const spLoad = spLoadPoints(data.spLoad);
  const sampleReceivers = data.scenario === null ? null : (data.scenario['metrics'] as { sampleReceivers?: number } | undefined)?.sampleReceivers ?? null;
  return {
    propagationCdf: {
      points: cdfPoints(histogram.count, (q) => histogram.quantileUs(q)),
      deliveries: histogram.count,
      sampled: data.propagation.source === 'sample',
      within180sFraction: summary.propagation.within180sFraction,
      reference: within === null || reference === undefined ? null : { within180sFraction: within, source: reference.source },
    },
    bySize: {
      buckets, bars, overallMeanS: summary.propagation.meanS,
      reference: reference === undefined || (referenceMean === null && referenceBars.length === 0)
        ? null : { source: reference.source, meanS: referenceMean, byBucket: referenceBars },
    },
    acceptanceCdf: {
      points: cdfPoints(delays.length, (q) => sortedQuantile(delays, q)),
      accepted: summary.submissions.accepted, failed: summary.submissions.failed,
      p50S: summary.acceptance.p50S, p99S: summary.acceptance.p99S,
    },
    overTime: {
      rows: data.overTime.rows, windowS: data.overTime.windowS, faults: faultIntervals(data.faults, summary.simulatedS),
      timeUnit, endS: summary.simulatedS, sampleReceivers,
    },
    spLoad: { ...spLoad, timeUnit, endS: summary.simulatedS },
  };
}
