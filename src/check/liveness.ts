// Liveness after the heal, read from a finished run: every SP shows every agreed version, every
// receiver holds every accepted version, and no publisher is still waiting, each within a bound
// derived from the protocol's timers (see livenessBounds). Read-only over what RunResult exposes.
import type { Scenario } from '../scenario/types.js';
import { defaultPublisherParams, defaultStoragePointParams } from '../acms/frontend-params.js';
import { DRAIN_US, type RunResult } from '../run/run.js';

export interface LivenessReport {
  /** False when some fault never heals (no `for`, or an mtbf/mttr process): then nothing below is checked. */
  readonly applicable: boolean;
  /** When the last fault ends (0 without faults), and when the run ends and the state is read. */
  readonly healedAtS: number;
  readonly checkedAtS: number;
  /** Bounds for a 1 KB file (they grow with size: see livenessBounds). */
  readonly boundsS: { readonly storagePoints: number; readonly receivers: number; readonly publishers: number };
  /** Versions whose deadline had passed when the state was read, and (SP, version) pairs still behind then. */
  readonly storagePoints: { readonly checked: number; readonly behind: number };
  /** Versions due, and (receiver, version) pairs still missing. */
  readonly receivers: { readonly checked: number; readonly behind: number };
  /** Submissions due (see livenessBounds), and those still pending. */
  readonly publishers: { readonly checked: number; readonly waiting: number };
  readonly violations: number;
  readonly firstViolations: readonly string[];
}

export interface LivenessBounds {
  readonly storagePointsUs: (sizeBytes: number) => number;
  readonly receiversUs: (sizeBytes: number) => number;
  readonly publishersUs: (sizeBytes: number) => number;
  readonly publishersHardUs: (sizeBytes: number) => number;
}

/** Rates under which the host abandons a download (src/world/world.ts): a slower transfer is a failure. */
const SLOWEST_PARENT_DOWNLOAD_BYTES_PER_S = 100_000;
const SLOWEST_CLUSTER_DOWNLOAD_BYTES_PER_S = 50_000;

/**
 * The bounds, from the timers (all after the heal, or after acceptance/submission when that is later):
 * - SP: round-robin merging reaches every peer within S-1 rounds of at most mergeInterval x (1 + jitter);
 *   the peer's answer may be lost to a fault still in flight, and a fetch not answered is re-sent after
 *   fetchTimeout at the next round; then the file crosses at no less than the slowest accepted rate.
 *   So (S + 1) rounds + fetchTimeout + size / 50 KB/s.
 * - Receiver: once every SP shows the version, a request in flight at that moment may be wasted (it times out,
 *   the upstream is backed off), so two full chains: poll interval x (1 + jitter), the edge and parent index
 *   TTLs, spBackoff, and both caches' request allowances (requestTimeout x 3 + size at their slowest rates).
 * - Publisher, always: every submission is decided within the publisher's own timers, faults or not: at most
 *   maxAttempts attempts of submitTimeout + size / allowance each, with at most backoffMax x (1 + jitter)
 *   between them, counted from the submission (publishersHardUs).
 * - Publisher, after the heal, for a file that one healthy attempt can take even at the slowest accepted
 *   rate (upload and replication at 50 KB/s plus an agreement timeout within both the replication timeout
 *   and the attempt's own timeout): the attempt in flight at the heal may still time out, then one maximal
 *   back-off, then the next attempt succeeds. So two attempt timeouts + one back-off (publishersUs; Infinity
 *   for a larger file). Without that size condition the next attempt can fail with no fault at all: the
 *   fuzzer found an 85 MB file with quorum 6 of 6 whose replication outlasts the replication timeout.
 */
export function livenessBounds(scenario: Scenario): LivenessBounds {
  const acms = scenario.acms;
  const sp = defaultStoragePointParams(scenario.topology.storagePoints, { mergeIntervalUs: acms.mergeIntervalUs });
  const publisher = defaultPublisherParams();
  const roundUs = sp.mergeIntervalUs * (1 + sp.mergeJitterFraction);
  const storagePointsUs = (sizeBytes: number): number =>
    (sp.spCount + 1) * roundUs + sp.fetchTimeoutUs + (sizeBytes * 1e6) / SLOWEST_CLUSTER_DOWNLOAD_BYTES_PER_S;
  // Under push a Receiver whose notification was lost waits for its fall-back poll.
  const pollIntervalUs = scenario.design.delivery === 'push' ? scenario.design.pushPollIntervalUs : acms.pollIntervalUs;
  const chainUs = (sizeBytes: number): number =>
    pollIntervalUs * (1 + acms.pollJitterFraction) + acms.indexTtlUs.edgeUs + acms.indexTtlUs.parentUs + acms.spBackoffUs +
    3 * acms.requestTimeoutUs + (sizeBytes * 1e6) / SLOWEST_PARENT_DOWNLOAD_BYTES_PER_S + (sizeBytes * 1e6) / SLOWEST_CLUSTER_DOWNLOAD_BYTES_PER_S;
  const attemptUs = (sizeBytes: number): number => publisher.submitTimeoutUs + (sizeBytes * 1e6) / publisher.submitAllowanceBytesPerS;
  const backoffUs = publisher.backoffMaxUs * (1 + publisher.backoffJitterFraction);
  return {
    storagePointsUs,
    receiversUs: (sizeBytes) => storagePointsUs(sizeBytes) + 2 * chainUs(sizeBytes),
    publishersUs: (sizeBytes) => {
      const healthyAttemptUs = (2 * sizeBytes * 1e6) / SLOWEST_CLUSTER_DOWNLOAD_BYTES_PER_S + acms.agreementTimeoutUs;
      if (healthyAttemptUs > Math.min(acms.replicationTimeoutUs, attemptUs(sizeBytes))) return Infinity;
      return 2 * attemptUs(sizeBytes) + backoffUs;
    },
    publishersHardUs: (sizeBytes) => publisher.maxAttempts * attemptUs(sizeBytes) + (publisher.maxAttempts - 1) * backoffUs,
  };
}

/** When every fault has ended, or null when one never does. */
export function healTimeUs(scenario: Scenario): number | null {
  let healUs = 0;
  for (const fault of scenario.faults) {
    // A renumbering's every failure window has closed one TTL after the change (src/network/renumbering.ts).
    if (fault.kind === 'renumber' && fault.timing.mode === 'once') {
      healUs = Math.max(healUs, fault.timing.atUs + fault.dnsTtlUs);
      continue;
    }
    if (fault.timing.mode !== 'once' || fault.timing.forUs === null) return null;
    healUs = Math.max(healUs, fault.timing.atUs + fault.timing.forUs);
  }
  return healUs;
}

const MAX_REPORTS = 10;
const seconds = (us: number): number => Math.round(us) / 1e6;

export function checkLiveness(scenario: Scenario, result: RunResult): LivenessReport {
  const endUs = scenario.durationUs + DRAIN_US;
  const healUs = healTimeUs(scenario);
  const bounds = livenessBounds(scenario);
  const base = {
    healedAtS: seconds(healUs ?? endUs), checkedAtS: seconds(endUs),
    boundsS: { storagePoints: seconds(bounds.storagePointsUs(1000)), receivers: seconds(bounds.receiversUs(1000)), publishers: seconds(bounds.publishersUs(1000)) },
  };
  if (healUs === null) {
    return { applicable: false, ...base, storagePoints: { checked: 0, behind: 0 }, receivers: { checked: 0, behind: 0 }, publishers: { checked: 0, waiting: 0 }, violations: 0, firstViolations: [] };
  }
  const world = result.world;
  const reports: string[] = [];
  const report = (message: string): void => {
    if (reports.length < MAX_REPORTS) reports.push(message);
  };
  const at = (us: number): string => `t=${seconds(us).toFixed(3)} s`;

  let spChecked = 0;
  let spBehind = 0;
  let receiversChecked = 0;
  let receiversBehind = 0;
  const receiverCount = world.topology.edgeServerCount;
  for (const version of world.metrics.versions) {
    const fromUs = Math.max(version.acceptUs, healUs);
    const name = `version ${version.versionKey} of file ${version.fileId} (${version.sizeBytes} B, accepted ${at(version.acceptUs)})`;
    const spDeadlineUs = fromUs + bounds.storagePointsUs(version.sizeBytes);
    if (spDeadlineUs <= endUs) {
      spChecked++;
      const behind: number[] = [];
      for (const sp of world.storagePoints) {
        if (!world.spInDesign(sp.index)) continue;
        const shown = sp.snapshot.versionOf(version.fileId);
        if (shown === undefined || shown.versionKey < version.versionKey) behind.push(sp.index);
      }
      spBehind += behind.length;
      if (behind.length > 0) report(`${at(endUs)}: liveness (storage points) violated: ${name} is not shown by SPs [${behind.join(',')}], due by ${at(spDeadlineUs)}`);
    }
    const receiverDeadlineUs = fromUs + bounds.receiversUs(version.sizeBytes);
    if (receiverDeadlineUs <= endUs) {
      receiversChecked++;
      const missing = receiverCount - version.deliveries;
      receiversBehind += missing;
      if (missing > 0) report(`${at(endUs)}: liveness (receivers) violated: ${name} is missing at ${missing} of ${receiverCount} receivers, due by ${at(receiverDeadlineUs)}`);
    }
  }

  let publishersChecked = 0;
  let waiting = 0;
  for (const row of world.submissions.rows) {
    const item = result.workload[row.index];
    if (item === undefined || row.submitUs < 0) continue;
    const deadlineUs = Math.min(row.submitUs + bounds.publishersHardUs(item.sizeBytes), Math.max(row.submitUs, healUs) + bounds.publishersUs(item.sizeBytes));
    if (deadlineUs > endUs) continue;
    publishersChecked++;
    if (row.outcome !== 'pending') continue;
    waiting++;
    report(`${at(endUs)}: liveness (publishers) violated: submission ${row.index} (${item.fileName}, ${item.sizeBytes} B, publisher ${row.publisher}, submitted ${at(row.submitUs)}) is still pending, due by ${at(deadlineUs)}`);
  }
  return {
    applicable: true, ...base,
    storagePoints: { checked: spChecked, behind: spBehind },
    receivers: { checked: receiversChecked, behind: receiversBehind },
    publishers: { checked: publishersChecked, waiting },
    violations: spBehind + receiversBehind + waiting,
    firstViolations: reports,
  };
}

export type SummaryWithLiveness = RunResult['summary'] & { readonly liveness: LivenessReport };

/** The run's summary with its liveness block, as summary.json holds it and expectations see it. */
export function summaryWithLiveness(scenario: Scenario, result: RunResult): SummaryWithLiveness {
  return { ...result.summary, liveness: checkLiveness(scenario, result) };
}
