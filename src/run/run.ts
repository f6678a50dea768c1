// One run of a scenario, as one straight line: scenario -> topology (built once, fault targets checked
// against it) -> workload -> world -> summary. The integrator: the only place that knows both the
// scenario format and the world, so that src/world/ never imports src/scenario/. No I/O, no wall clock.
import type { Scenario } from '../scenario/types.js';
import { checkFaultTargets, toNetworkFault, workloadOptionsOf } from '../scenario/index.js';
import { buildWorkload, mapPublisherCountries } from '../workload/index.js';
import { RandomStreams } from '../kernel/random.js';
import { buildTopology, type Topology } from '../network/index.js';
import { unitVector } from '../network/geo.js';
import type { FaultTimelineRow } from '../network/faults.js';
import type { ClusterOrganisation } from '../world/cluster/port.js';
import { World } from '../world/world.js';
import type { WorkloadItem, WorldConfig } from '../world/config.js';
import { summarize, type RunSummary } from './summary.js';

export type { LatencySummary, RunSummary } from './summary.js';
/**
 * After the scenario's duration the run goes on this long with no new submissions, so that versions
 * accepted in the last minutes can reach every receiver (an assumption: ten poll intervals).
 */
export const DRAIN_US = 5 * 60_000_000;

export interface RunOptions {
  readonly organisation?: ClusterOrganisation;
  /** Record the fingerprint after every event (RunResult.trace), to locate where two runs diverge. */
  readonly traceEvents?: boolean;
  /** Tests: hold every settled parent answer the host gives to the parent's machine (WorldConfig.checkParentAnswers). */
  readonly checkParentAnswers?: boolean;
}

/** Each figure is null when the series is empty: no latency was measured, and 0 would read as "instant". */
export interface RunResult {
  readonly summary: RunSummary;
  readonly world: World;
  readonly workload: readonly WorkloadItem[];
  readonly faultTimeline: readonly FaultTimelineRow[];
  readonly trace?: { readonly hashes: Uint32Array; readonly timesUs: Float64Array };
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
    cacheForwarding: scenario.cacheForwarding,
    sampleReceivers: scenario.metrics.sampleReceivers,
    organisation,
    fileCount,
    frontend: {
      design: scenario.design.frontend,
      primaryBackup: scenario.design.frontend === 'primary-backup'
        ? { heartbeatIntervalUs: scenario.design.heartbeatIntervalUs, heartbeatTimeoutUs: scenario.design.heartbeatTimeoutUs }
        : {},
    },
    deliveryDesign: scenario.design.delivery === 'push'
      ? { design: 'push', pushPollIntervalUs: scenario.design.pushPollIntervalUs }
      : { design: scenario.design.delivery, pushPollIntervalUs: 0 },
  };
}

let topologiesBuilt = 0;

/** How many topologies this process has built (a test keeps it at one per run). */
export function topologyBuildCount(): number {
  return topologiesBuilt;
}

/**
 * The scenario's topology, with every fault target checked against it (a country it lacks is a
 * ScenarioError). Streams are forked by name, so this is the very topology the world runs on.
 */
export function topologyOf(scenario: Scenario): Topology {
  topologiesBuilt++;
  const topology = buildTopology(new RandomStreams(scenario.seed), scenario.topology);
  checkFaultTargets(scenario, topology);
  return topology;
}

/**
 * Checks what only the built topology can tell (that every fault target exists), so that `validate`
 * rejects such a scenario without running it. Building the topology takes tens of ms.
 */
export function checkScenarioAgainstTopology(scenario: Scenario): void {
  topologyOf(scenario);
}

/** A run that has been set up and can be advanced in bounded steps (so a CLI can stay responsive to signals). */
export interface RunInProgress {
  readonly world: World;
  readonly totalUs: number;
  finish(): RunResult;
}

export function runScenario(scenario: Scenario, options: RunOptions = {}): RunResult {
  const run = startRun(scenario, options);
  // One loop over the kernel: the CLI steps it itself (src/cli/run-command.ts) to stay responsive to signals.
  run.world.run(run.totalUs);
  return run.finish();
}

export function startRun(scenario: Scenario, options: RunOptions = {}): RunInProgress {
  const topology = topologyOf(scenario);
  const workload = workloadOf(scenario, topology);
  const config = {
    ...worldConfigOf(scenario, options.organisation ?? 'engine', fileCountOf(workload)),
    ...(options.checkParentAnswers === true ? { checkParentAnswers: true } : {}),
  };
  const world = new World(config, topology, workload);
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

/** The scenario's submissions, with trace rows that name a country given that country's publisher site. */
function workloadOf(scenario: Scenario, topology: Topology): readonly WorkloadItem[] {
  const submissions = buildWorkload(workloadOptionsOf(scenario), new RandomStreams(scenario.seed).stream('workload'));
  if (!submissions.some((submission) => submission.publisher < 0)) return submissions;
  return mapPublisherCountries(submissions, (code) => firstPublisherIn(topology.countryIndex(code), topology));
}

/** Files the workload names (receivers subscribe to all of them); at least one. */
function fileCountOf(workload: readonly WorkloadItem[]): number {
  let fileCount = 0;
  for (const submission of workload) fileCount = Math.max(fileCount, submission.fileId + 1);
  return Math.max(1, fileCount);
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

