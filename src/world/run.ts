// One run of a scenario: builds the World from a validated Scenario, runs it, and condenses what it
// measured into a RunResult (the summary plus the rows the CSV files need). No I/O, no wall clock.
import type { Scenario } from '../scenario/types.js';
import { checkFaultTargets, toNetworkFault } from '../scenario/index.js';
import { buildWorkload, mapPublisherCountries } from '../workload/index.js';
import { RandomStreams } from '../kernel/random.js';
import { buildTopology } from '../network/index.js';
import { unitVector } from '../network/geo.js';
import { ExactSeries, LatencyHistogram, SIZE_BUCKET_LABELS, secondsFromUs } from '../metrics/index.js';
import type { FaultTimelineRow } from '../network/faults.js';
import type { ClusterOrganisation } from './cluster/port.js';
import { World, type WorkloadItem, type WorldConfig } from './world.js';
import { WITHIN_180_S_US } from './run-metrics.js';

/**
 * After the scenario's duration the run goes on this long with no new submissions, so that versions
 * accepted in the last minutes can reach every receiver (an assumption: ten poll intervals).
 */
export const DRAIN_US = 5 * 60_000_000;

export interface RunOptions {
  readonly organisation?: ClusterOrganisation;
  /** Record the fingerprint after every event (RunResult.trace), to locate where two runs diverge. */
  readonly traceEvents?: boolean;
  /** Called every ten simulated minutes with the simulated time (for a progress line). */
  readonly onProgress?: (nowUs: number, totalUs: number, events: number) => void;
}

export interface LatencySummary {
  readonly meanS: number; readonly p50S: number; readonly p95S: number; readonly p99S: number; readonly maxS: number;
}

export interface RunResult {
  readonly summary: RunSummary;
  readonly world: World;
  readonly workload: readonly WorkloadItem[];
  readonly faultTimeline: readonly FaultTimelineRow[];
  readonly trace?: { readonly hashes: Uint32Array; readonly timesUs: Float64Array };
}

export interface RunSummary {
  readonly scenario: string;
  readonly seed: number;
  readonly simulatedS: number;
  readonly events: number;
  readonly topology: Record<string, number>;
  readonly submissions: { readonly total: number; readonly accepted: number; readonly failed: number; readonly pending: number };
  readonly acceptance: LatencySummary;
  readonly propagation: LatencySummary & {
    readonly deliveries: number; readonly expectedDeliveries: number; readonly undelivered: number;
    readonly p9995S: number; readonly within180sFraction: number | null;
    readonly unmatchedInstalls: number; readonly deliveriesBeforeAcceptance: number; readonly supersededOnAgreement: number;
  };
  readonly bySize: Record<string, { readonly versions: number; readonly deliveries: number } & Omit<LatencySummary, 'maxS'>>;
  readonly invariants: { readonly checks: number; readonly violations: number; readonly byInvariant: Record<string, number>; readonly firstViolations: readonly string[] };
  readonly caches: { readonly edgeHitRatio: number; readonly parentHitRatio: number };
  readonly spLoad: { readonly requests: number; readonly bytes: number };
  readonly fingerprint: string;
}

export function worldConfigOf(scenario: Scenario, organisation: ClusterOrganisation, fileCount: number): WorldConfig {
  const acms = scenario.acms;
  return {
    seed: scenario.seed,
    topology: scenario.topology,
    spParams: {
      quorum: acms.quorum,
      replicationTimeoutUs: acms.replicationTimeoutUs,
      agreementTimeoutUs: acms.agreementTimeoutUs,
      mergeIntervalUs: acms.mergeIntervalUs,
      maxClockSkewUs: acms.maxClockSkewUs,
      subIndexCount: acms.subIndexCount,
    },
    delivery: {
      pollIntervalUs: acms.pollIntervalUs,
      pollJitter: acms.pollJitterFraction,
      edgeTtlUs: acms.indexTtlUs.edgeUs,
      parentTtlUs: acms.indexTtlUs.parentUs,
      requestTimeoutUs: acms.requestTimeoutUs,
      spBackoffUs: acms.spBackoffUs,
    },
    faults: scenario.faults.map(toNetworkFault),
    network: scenario.network,
    sampleReceivers: scenario.metrics.sampleReceivers,
    organisation,
    fileCount,
    checkTopology: (topology) => checkFaultTargets(scenario, topology),
  };
}

/**
 * Checks what only the built topology can tell (that every fault target exists), so that `validate` and
 * `run` reject such a scenario before anything else happens. Building the topology takes tens of ms.
 */
export function checkScenarioAgainstTopology(scenario: Scenario): void {
  checkFaultTargets(scenario, buildTopology(new RandomStreams(scenario.seed), scenario.topology));
}

/** A run that has been set up and can be advanced in slices (so a CLI can stay responsive to signals). */
export interface RunInProgress {
  readonly world: World;
  readonly totalUs: number;
  finish(): RunResult;
}

export function runScenario(scenario: Scenario, options: RunOptions = {}): RunResult {
  const run = startRun(scenario, options);
  run.world.run(run.totalUs, options.onProgress === undefined
    ? undefined
    : (nowUs) => options.onProgress?.(nowUs, run.totalUs, run.world.sim.eventsProcessed));
  return run.finish();
}

export function startRun(scenario: Scenario, options: RunOptions = {}): RunInProgress {
  const streams = new RandomStreams(scenario.seed);
  let submissions = buildWorkload(scenario, streams.stream('workload'));
  let fileCount = 0;
  for (const submission of submissions) fileCount = Math.max(fileCount, submission.fileId + 1);
  const config = worldConfigOf(scenario, options.organisation ?? 'engine', Math.max(1, fileCount));
  const world = new World(config, (topology) => {
    if (submissions.some((submission) => submission.publisher < 0)) {
      submissions = mapPublisherCountries(submissions, (code) => firstPublisherIn(topology.countryIndex(code), topology));
    }
    return submissions;
  });
  const totalUs = scenario.durationUs + DRAIN_US;
  if (options.traceEvents === true) world.sim.enableTrace();
  return {
    world,
    totalUs,
    finish: () => {
      const trace = world.sim.trace;
      return {
        summary: summarize(scenario, world, totalUs), world, workload: world.workload, faultTimeline: world.faults.timeline,
        ...(trace === null ? {} : { trace: trace.snapshot() }),
      };
    },
  };
}

/**
 * The publisher site for a trace row's country: the first one placed in that country, or else the one
 * nearest to the country's centre (a submission from a country without a publisher site enters at the
 * nearest one). The trace parser has made sure the country is one of the topology's.
 */
function firstPublisherIn(country: number, topology: World['topology']): number {
  for (let p = 0; p < topology.publisherCount; p++) {
    if (topology.nodeCountry[topology.publisherAddress(p)] === country) return p;
  }
  const centre = topology.countries[country];
  if (centre === undefined) return 0;
  const unit = new Float64Array(3);
  unitVector(centre.latDeg, centre.lonDeg, unit);
  let best = 0;
  let bestDot = -2;
  for (let p = 0; p < topology.publisherCount; p++) {
    const a = topology.publisherAddress(p);
    const dot = (unit[0] as number) * (topology.nodeUnitX[a] as number) + (unit[1] as number) * (topology.nodeUnitY[a] as number) + (unit[2] as number) * (topology.nodeUnitZ[a] as number);
    if (dot > bestDot) {
      bestDot = dot;
      best = p;
    }
  }
  return best;
}

/** Mean, percentiles and maximum, in seconds, of a set of microsecond values (zeros when empty). */
function summaryOf(count: number, meanUs: number, quantileUs: (q: number) => number, maxUs: number): LatencySummary {
  if (count === 0) return { meanS: 0, p50S: 0, p95S: 0, p99S: 0, maxS: 0 };
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

function ratio(numerator: number, denominator: number): number {
  return denominator === 0 ? 0 : Math.round((numerator / denominator) * 1e6) / 1e6;
}

function summarize(scenario: Scenario, world: World, simulatedUs: number): RunSummary {
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
  let parentHits = 0;
  let parentMisses = 0;
  for (const cache of world.parentCaches) {
    parentHits += cache.hits;
    parentMisses += cache.misses;
  }
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
    acceptance: exactSummary(acceptance),
    propagation: {
      deliveries: propagation.count,
      expectedDeliveries,
      undelivered: expectedDeliveries - propagation.count,
      ...latencySummary(propagation),
      p9995S: propagation.count === 0 ? 0 : secondsFromUs(propagation.quantileUs(0.9995)),
      // Over every pair that should have been delivered (an undelivered pair is not within 180 s); null when there is none.
      within180sFraction: expectedDeliveries === 0
        ? null
        : ratio(propagation.count === 0 ? 0 : propagation.fractionAtOrBelow(WITHIN_180_S_US) * propagation.count, expectedDeliveries),
      unmatchedInstalls: metrics.unmatchedInstalls,
      deliveriesBeforeAcceptance: metrics.deliveriesBeforeAcceptance,
      supersededOnAgreement: metrics.supersededOnAgreement,
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
