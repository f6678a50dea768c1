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
//   node dist/bench/cluster-engine.js [limitS|epochS|whole] [clusters] [receiversPerCluster] [hours]
// Prints one JSON line.
import { Simulator } from '../src/kernel/index.js';
import { keyedUniform, RandomStreams } from '../src/kernel/random.js';
import { Snapshot, type SnapshotView } from '../src/acms/snapshot.js';
import type { DeliveryMessage } from '../src/acms/delivery-messages.js';
import { ClusterEngine } from '../src/world/cluster/engine.js';
import { LogIndexes } from '../src/world/cluster/log-index.js';
import { FleetTables } from '../src/world/cluster/fleet-tables.js';
import { InstallBatch } from '../src/metrics/install-batch.js';
import type { ClusterEnvironment, ClusterSpec, SettledAnswer } from '../src/world/cluster/port.js';

/** The paper replay's shape (bench/replay.ts, base.yaml): 14,276 versions in 48 h over 2,000 files, 30 s polls and TTLs. */
const SUBMISSIONS_PER_HOUR = 14_276 / 48;
const FILE_COUNT = 2_000;
const POLL_INTERVAL_US = 30_000_000;
const INDEX_TTL_US = 30_000_000;
/** An answer arrives this long after its request (about a round trip within a continent): it only shifts install times. */
const ANSWER_TRIP_US = 20_000;
const SMALL_FILE_BYTES = 1_000;
const UPSTREAM = 10;
const SEED = 1;

const limitArg = process.argv[2] ?? 'whole';
const epochs = limitArg.startsWith('epoch');
const limitUs = limitArg === 'whole' ? Infinity : Number(epochs ? limitArg.slice('epoch'.length) : limitArg) * 1e6;
if (!(limitUs > 0)) throw new RangeError(`the limit must be whole, a number of seconds or epoch and one, got ${limitArg}`);
const clusterCount = Number(process.argv[3] ?? 1_700);
const receiversPerCluster = Number(process.argv[4] ?? 9);
const hours = Number(process.argv[5] ?? 1);
const runUs = hours * 3_600_000_000;

/** The log and, for each length, the view of it an SP hands out (one object per length, as the SP's are shared). */
function buildLog(): { views: SnapshotView[]; timesUs: number[] } {
  const snapshot = new Snapshot(0, 8, 0);
  const timesUs: number[] = [];
  let atUs = 0;
  for (let v = 1; atUs < runUs; v++) {
    atUs += Math.floor(keyedUniform(SEED, v, 0) * 2 * (3_600_000_000 / SUBMISSIONS_PER_HOUR));
    const fileId = Math.floor(keyedUniform(SEED, v, 1) * FILE_COUNT);
    if (snapshot.install(fileId, v, SMALL_FILE_BYTES, atUs)) timesUs.push(atUs);
  }
  const full = snapshot.view();
  const views: SnapshotView[] = [];
  for (let length = 0; length <= timesUs.length; length++) {
    const lastModifiedUs = length === 0 ? 0 : (full.log[length - 1]?.rootLastModifiedUs as number);
    views.push({ originSp: 0, log: full.log, length, lastModifiedUs });
  }
  return { views, timesUs };
}

const { views, timesUs } = buildLog();

/** The view the SP hands out at atUs: every change made by then. */
function viewAt(atUs: number): SnapshotView {
  let low = 0;
  let high = timesUs.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((timesUs[middle] as number) <= atUs) low = middle + 1;
    else high = middle;
  }
  return views[low] as SnapshotView;
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
  return { arrivalUs, message: { type: 'fileResponse', requestId: message.requestId, fileId: message.fileId, versionKey: message.versionKey, found: true, sizeBytes: message.sizeBytes } };
}

const sim = new Simulator();
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
  installs: new InstallBatch(() => {
    installs++;
  }),
  runAheadLimitUs: (nowUs) => Math.min(epochs ? (Math.floor(nowUs / limitUs) + 1) * limitUs : nowUs + limitUs, runUs + 1),
  logIndexes: new LogIndexes(FILE_COUNT),
  fleet: new FleetTables(),
};

const drawSeed = new RandomStreams(SEED).keyedSeed('receivers');
const lanRttUs = new Float64Array(receiversPerCluster).fill(200);
const clusters: ClusterEngine[] = [];
for (let c = 0; c < clusterCount; c++) {
  const spec: ClusterSpec = {
    clusterIndex: c, cacheAddress: 100_000 + c, firstReceiverAddress: 1_000_000 + c * receiversPerCluster, firstEdgeServerIndex: c * receiversPerCluster,
    cache: { upstreams: [UPSTREAM], indexTtlUs: INDEX_TTL_US, requestTimeoutUs: 10_000_000, upstreamBackoffUs: 60_000_000, minThroughputBytesPerS: 50_000 },
    receiver: { fileCount: FILE_COUNT, pollIntervalUs: POLL_INTERVAL_US, pollJitter: 0.1 },
    receiverCount: receiversPerCluster, receiverDrawSeed: drawSeed, lanRttUs, lanBytesPerS: 125_000_000, targetId: 100 + c,
  };
  clusters.push(new ClusterEngine(spec, environment));
}
for (const cluster of clusters) cluster.start(0);

const startNs = process.hrtime.bigint();
sim.run({ untilUs: runUs });
environment.installs.flush();
const wallS = Number(process.hrtime.bigint() - startNs) / 1e9;
console.log(JSON.stringify({
  bench: 'cluster-engine', limit: limitArg, clusters: clusterCount, receiversPerCluster, hours,
  wallS, wallPerHourS: wallS / hours, activations: sim.eventsProcessed, exchanges, installs,
  peakRssMiB: process.resourceUsage().maxRSS / 1024,
}));
