// The cluster engine alone, without the World: what its own work costs, and what it costs to stop and resume.
// Clusters of Receivers as in the paper replay poll one SP's log, which grows at the paper's submission rate over
// 2,000 files; an upstream answers every request at once (settled, a small answer a fixed trip later), so nothing
// but the run-ahead limit stops a cluster. With no limit each cluster runs the whole slice in one activation; with a
// limit of L seconds it stops every L seconds and waits for a kernel event, as it does in the replay at each
// revalidation whose answer is not known (about every 30 s). The difference is the price of interleaving clusters,
// which the replay pays at every stop; the rest is the engine's own work per poll, exchange and install.
// With epochL every cluster stops at the same boundaries, every L seconds, and all resume at each boundary in index
// order (their wakes share a time, and the kernel runs same-time events first in, first out), as an engine that
// visits its clusters in turn once per epoch would: the same work, with the memory touched in order.
//   node dist/bench/cluster-engine.js [limitS|epochS|whole] [clusters] [receiversPerCluster] [hours] [fingerprint] [large] [hot] [outages]
// (engine-bench-shape.ts: `large` for the ground with large files, whose answers outlast a poll interval).
// Prints one JSON line.
import { Simulator } from '../src/kernel/index.js';
import { RandomStreams } from '../src/kernel/random.js';
import type { SnapshotView } from '../src/acms/snapshot.js';
import type { DeliveryMessage } from '../src/acms/delivery-messages.js';
import { ClusterEngine } from '../src/world/cluster/engine.js';
import { LogIndexes } from '../src/world/cluster/log-index.js';
import { FleetTables } from '../src/world/cluster/fleet-tables.js';
import { InstallBatch } from '../src/metrics/install-batch.js';
import type { ClusterEnvironment, ClusterSpec, SettledAnswer } from '../src/world/cluster/port.js';
import {
  ANSWER_TRIP_US, benchFlags, buildBenchLog, FILE_COUNT, fileAnswerTripUs, INDEX_TTL_US, LAN_BYTES_PER_S, LAN_RTT_US, POLL_INTERVAL_US, POLL_JITTER,
  clusterOutages, RECEIVER_DRAWS_LABEL, SEED, viewLengthAt,
} from './engine-bench-shape.js';
import type { ClusterOutages } from './engine-bench-shape.js';
import { InstallFingerprint } from './install-fingerprint.js';

const UPSTREAM = 10;

const limitArg = process.argv[2] ?? 'whole';
const epochs = limitArg.startsWith('epoch');
const limitUs = limitArg === 'whole' ? Infinity : Number(epochs ? limitArg.slice('epoch'.length) : limitArg) * 1e6;
if (!(limitUs > 0)) throw new RangeError(`the limit must be whole, a number of seconds or epoch and one, got ${limitArg}`);
const clusterCount = Number(process.argv[3] ?? 1_700);
const receiversPerCluster = Number(process.argv[4] ?? 9);
const hours = Number(process.argv[5] ?? 1);
const flags = benchFlags(process.argv.slice(6));
/** With `fingerprint`, every install is folded into an order-free fingerprint (install-fingerprint.ts), to compare with the floor's. */
const fingerprint = flags.fingerprint ? new InstallFingerprint() : null;
const runUs = hours * 3_600_000_000;

const { views, timesUs } = buildBenchLog(runUs, flags.ground);

/** The view the SP hands out at atUs: every change made by then. */
function viewAt(atUs: number): SnapshotView {
  return views[viewLengthAt(timesUs, atUs)] as SnapshotView;
}

function answerOf(sendUs: number, message: DeliveryMessage): SettledAnswer {
  const arrivalUs = sendUs + ANSWER_TRIP_US;
  if (message.type === 'indexGet') {
    const view = viewAt(sendUs);
    return view.lastModifiedUs <= message.ifModifiedSinceUs
      ? { arrivalUs, message: { type: 'indexNotModified', requestId: message.requestId, lastModifiedUs: view.lastModifiedUs } }
      : { arrivalUs, message: { type: 'indexResponse', requestId: message.requestId, view } };
  }
  if (message.type !== 'fileGet') throw new Error(`a cluster sent ${message.type} upstream`);
  return { arrivalUs: sendUs + fileAnswerTripUs(message.sizeBytes), message: { type: 'fileResponse', requestId: message.requestId, fileId: message.fileId, versionKey: message.versionKey, found: true, sizeBytes: message.sizeBytes } };
}

const sim = new Simulator();
// Outages (the `outages` ground): each cluster's Receivers' transitions in order of (time, place), one kernel event each,
// scheduled before anything else, so that a transition runs before a cluster's items of its time. A cluster never
// runs ahead past its next transition (runAheadLimitUs), as the World's clusters do not.
const outages: ClusterOutages[] = [];
const nextTransition = new Int32Array(clusterCount);
/** Each Receiver's state as the transitions leave it: they alternate, down first. */
const receiverDown = new Uint8Array(clusterCount * receiversPerCluster);
for (let c = 0; c < clusterCount; c++) outages.push(clusterOutages(c, receiversPerCluster, runUs, flags.ground));
const outageDriver = {
  targetId: 2,
  onEvent(nowUs: number, _kind: number, arg: unknown): void {
    const c = arg as number;
    const k = nextTransition[c] as number;
    nextTransition[c] = k + 1;
    const r = c * receiversPerCluster + ((outages[c] as ClusterOutages).places[k] as number);
    receiverDown[r] = receiverDown[r] === 1 ? 0 : 1;
    (clusters[c] as ClusterEngine).setReceiverUp(nowUs, r, receiverDown[r] === 0);
  },
};
for (let c = 0; c < clusterCount; c++) for (const atUs of (outages[c] as ClusterOutages).timesUs) sim.scheduleAt(atUs, outageDriver, 0, c);
function nextTransitionUs(c: number): number {
  const times = (outages[c] as ClusterOutages).timesUs;
  const k = nextTransition[c] as number;
  return k < times.length ? (times[k] as number) : Infinity;
}
if (epochs) {
  // A cluster stops at the next boundary (runAheadLimitUs) and asks to be woken at its next item, after it: it is
  // woken at that boundary instead, and runs on from there as far as the next one.
  const scheduleAt = sim.scheduleAt.bind(sim);
  sim.scheduleAt = (timeUs, target, kind, arg) => {
    const boundaryUs = Math.floor(timeUs / limitUs) * limitUs;
    return scheduleAt(boundaryUs > sim.nowUs ? boundaryUs : timeUs, target, kind, arg);
  };
}
let installs = 0;
let exchanges = 0;
const environment: ClusterEnvironment = {
  sim,
  sendUpstream(sendUs, _from, _to, message) {
    exchanges++;
    return answerOf(sendUs, message);
  },
  wouldSettle: () => true,
  answerSure: () => true,
  earliestAnswerUs: (sendUs) => sendUs + ANSWER_TRIP_US,
  abandon() {},
  installs: new InstallBatch((installUs, edgeServerIndex, fileId, versionKey, previousKey) => {
    installs++;
    fingerprint?.add(installUs, edgeServerIndex, fileId, versionKey, previousKey);
  }),
  runAheadLimitUs: (nowUs, c) => Math.min(epochs ? (Math.floor(nowUs / limitUs) + 1) * limitUs : nowUs + limitUs, runUs + 1, nextTransitionUs(c)),
  logIndexes: new LogIndexes(FILE_COUNT),
  fleet: new FleetTables(),
};

const drawSeed = new RandomStreams(SEED).keyedSeed(RECEIVER_DRAWS_LABEL);
const lanRttUs = new Float64Array(receiversPerCluster).fill(LAN_RTT_US);
// As the World does (world.ts), the fleet's tables are made at their size: the cache table's row per file is then one
// slot per cluster, where grown by doubling it would be a power of two, whose rows map to the same few cache sets.
environment.fleet.reserve(clusterCount * receiversPerCluster, clusterCount, FILE_COUNT);
const clusters: ClusterEngine[] = [];
for (let c = 0; c < clusterCount; c++) {
  const spec: ClusterSpec = {
    clusterIndex: c, cacheAddress: 100_000 + c, firstReceiverAddress: 1_000_000 + c * receiversPerCluster, firstEdgeServerIndex: c * receiversPerCluster,
    cache: { upstreams: [UPSTREAM], indexTtlUs: INDEX_TTL_US, requestTimeoutUs: 10_000_000, upstreamBackoffUs: 60_000_000, minThroughputBytesPerS: 50_000 },
    receiver: { fileCount: FILE_COUNT, pollIntervalUs: POLL_INTERVAL_US, pollJitter: POLL_JITTER },
    receiverCount: receiversPerCluster, receiverDrawSeed: drawSeed, lanRttUs, lanBytesPerS: LAN_BYTES_PER_S, targetId: 100 + c,
  };
  clusters.push(new ClusterEngine(spec, environment));
}
for (const cluster of clusters) cluster.start(0);

const startNs = process.hrtime.bigint();
sim.run({ untilUs: runUs });
environment.installs.flush();
const wallS = Number(process.hrtime.bigint() - startNs) / 1e9;
console.log(JSON.stringify({
  bench: 'cluster-engine', limit: limitArg, ground: flags.groundName, clusters: clusterCount, receiversPerCluster, hours,
  wallS, wallPerHourS: wallS / hours, activations: sim.eventsProcessed, exchanges, installs,
  peakRssMiB: process.resourceUsage().maxRSS / 1024,
  ...(fingerprint === null ? {} : { fingerprint: fingerprint.toString() }),
}));
