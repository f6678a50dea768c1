// Condenses what a finished World measured into the run's summary (summary.json): counts, latency
// figures (null over an empty series), invariant checks, cache hit ratios, SP load, the fingerprint.
import type { Scenario } from '../scenario/types.js';
import { ExactSeries, LatencyHistogram, SIZE_BUCKET_LABELS, secondsFromUs } from '../metrics/index.js';
import type { World } from '../world/world.js';
import { WITHIN_180_S_US } from '../world/run-metrics.js';
import type { SubmissionRow } from '../world/submission-log.js';

/** Acceptance availability's bound (issue 17): a submission counts as available service if accepted within 1 minute. */
export const ACCEPTED_WITHIN_60_S_US = 60_000_000;

export interface LatencySummary {
  readonly meanS: number | null; readonly p50S: number | null; readonly p95S: number | null; readonly p99S: number | null; readonly maxS: number | null;
}

export interface RunSummary {
  readonly scenario: string;
  readonly seed: number;
  readonly simulatedS: number;
  readonly events: number;
  readonly topology: Record<string, number>;
  readonly submissions: { readonly total: number; readonly accepted: number; readonly failed: number; readonly pending: number };
  readonly acceptance: LatencySummary & { readonly within60sFraction: number | null };
  readonly propagation: LatencySummary & {
    readonly deliveries: number; readonly expectedDeliveries: number; readonly undelivered: number;
    readonly p9995S: number | null; readonly within180sFraction: number | null;
    readonly unmatchedInstalls: number; readonly deliveriesBeforeAcceptance: number; readonly supersededOnAgreement: number; readonly supersededInstalls: number;
  };
  readonly bySize: Record<string, { readonly versions: number; readonly deliveries: number } & Omit<LatencySummary, 'maxS'>>;
  readonly invariants: { readonly checks: number; readonly violations: number; readonly byInvariant: Record<string, number>; readonly firstViolations: readonly string[] };
  readonly caches: { readonly edgeHitRatio: number | null; readonly parentHitRatio: number | null };
  readonly spLoad: { readonly requests: number; readonly bytes: number };
  readonly fingerprint: string;
}

/** Mean, percentiles and maximum, in seconds, of a set of microsecond values (nulls when empty). */
function summaryOf(count: number, meanUs: number, quantileUs: (q: number) => number, maxUs: number): LatencySummary {
  if (count === 0) return { meanS: null, p50S: null, p95S: null, p99S: null, maxS: null };
  return {
    meanS: secondsFromUs(meanUs),
    p50S: secondsFromUs(quantileUs(0.5)),
    p95S: secondsFromUs(quantileUs(0.95)),
    p99S: secondsFromUs(quantileUs(0.99)),
    maxS: secondsFromUs(maxUs),
  };
}

function latencySummary(histogram: LatencyHistogram): LatencySummary {
  return summaryOf(histogram.count, histogram.meanUs, (q) => histogram.quantileUs(q), histogram.maxUs);
}

function exactSummary(series: ExactSeries): LatencySummary {
  return summaryOf(series.count, series.mean, (q) => series.quantile(q), series.max);
}

/**
 * The share of all submissions accepted at most `limitUs` after they were submitted: failed and still
 * pending ones count as not accepted in time (an acceptance availability). Null with no submissions.
 */
export function shareAcceptedWithin(rows: readonly SubmissionRow[], limitUs: number): number | null {
  let inTime = 0;
  for (const row of rows) if (row.outcome === 'accepted' && row.acceptUs - row.submitUs <= limitUs) inTime++;
  return ratio(inTime, rows.length);
}

/** Null when there is nothing to divide by (no requests: a hit ratio is not 0, it is undefined). */
function ratio(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : Math.round((numerator / denominator) * 1e6) / 1e6;
}

export function summarize(scenario: Scenario, world: World, simulatedUs: number): RunSummary {
  const metrics = world.metrics;
  const topology = world.topology;
  let accepted = 0;
  let failed = 0;
  const acceptance = new ExactSeries();
  for (const row of world.submissions.rows) {
    if (row.outcome === 'accepted') {
      accepted++;
      acceptance.add(row.acceptUs - row.submitUs);
    } else if (row.outcome === 'failed') failed++;
  }
  const expectedDeliveries = metrics.versions.length * topology.edgeServerCount;
  const propagation = metrics.propagation;
  const bySize: RunSummary['bySize'] = {};
  for (let b = 0; b < SIZE_BUCKET_LABELS.length; b++) {
    const histogram = metrics.propagationBySize[b] as LatencyHistogram;
    const { maxS: _maxS, ...rest } = latencySummary(histogram);
    const versions = metrics.versions.filter((version) => version.sizeBucket === b).length;
    bySize[SIZE_BUCKET_LABELS[b] as string] = { versions, deliveries: histogram.count, ...rest };
  }
  let edgeHits = 0;
  let edgeMisses = 0;
  for (const cluster of world.clusters) {
    edgeHits += cluster.cacheHits;
    edgeMisses += cluster.cacheMisses;
  }
  const { hits: parentHits, misses: parentMisses } = world.parentCacheCounts;
  const checker = world.checker;
  return {
    scenario: scenario.name,
    seed: scenario.seed,
    simulatedS: secondsFromUs(simulatedUs),
    events: world.sim.eventsProcessed,
    topology: {
      countries: topology.countryCount, isps: topology.ispCount, clusters: topology.clusterCount,
      edgeServers: topology.edgeServerCount, storagePoints: topology.storagePointCount, parentSites: topology.parentSiteCount,
    },
    submissions: { total: world.submissions.rows.length, accepted, failed, pending: world.submissions.rows.length - accepted - failed },
    acceptance: { ...exactSummary(acceptance), within60sFraction: shareAcceptedWithin(world.submissions.rows, ACCEPTED_WITHIN_60_S_US) },
    propagation: {
      deliveries: propagation.count,
      expectedDeliveries,
      undelivered: expectedDeliveries - propagation.count,
      ...latencySummary(propagation),
      p9995S: propagation.count === 0 ? null : secondsFromUs(propagation.quantileUs(0.9995)),
      // Over every pair that should have been delivered (an undelivered pair is not within 180 s); null when there is none.
      within180sFraction: expectedDeliveries === 0
        ? null
        : ratio(propagation.count === 0 ? 0 : propagation.fractionAtOrBelow(WITHIN_180_S_US) * propagation.count, expectedDeliveries),
      unmatchedInstalls: metrics.unmatchedInstalls,
      deliveriesBeforeAcceptance: metrics.deliveriesBeforeAcceptance,
      supersededOnAgreement: metrics.supersededOnAgreement,
      supersededInstalls: metrics.supersededInstalls,
    },
    bySize,
    invariants: {
      checks: checker.checks,
      violations: checker.violations,
      byInvariant: { ...checker.violationsByInvariant },
      firstViolations: checker.reports.slice(0, 10).map((report) => report.message),
    },
    caches: { edgeHitRatio: ratio(edgeHits, edgeHits + edgeMisses), parentHitRatio: ratio(parentHits, parentHits + parentMisses) },
    spLoad: world.spLoadTotals,
    fingerprint: world.sim.fingerprint.toString(16).padStart(8, '0'),
  };
}
