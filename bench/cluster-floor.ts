// The floor under the cluster engine bench (cluster-engine.ts): the same work, Receivers polling one SP's log through
// their cluster caches with every answer settled a fixed trip later, written as lean as we know how, to say how much
// of the engine's time is its own overhead. It is not acmsim: it models only what that bench exercises (one upstream,
// no faults, no failed or late answers, no Receiver waiting on a fetch when it polls) and throws if the run leaves
// that ground. It installs exactly what the engine installs: `fingerprint` prints an order-free fingerprint of every
// install (install-fingerprint.ts), and test/bench/cluster-floor.test.ts holds the two to it.
//
// How it differs from the engine, which must also carry faults, exceptions, retries and the World: each cluster runs
// its whole slice before the next (its state is a few small arrays reused cluster after cluster), a Receiver's
// installed versions are only its position in the log, requests and answers are rows of typed arrays, and nothing
// crosses an interface per poll or per install. Hot path throughout.
//   node dist/bench/cluster-floor.js [clusters] [receiversPerCluster] [hours] [fingerprint]
// Prints one JSON line.
import { keyedBase, keyedDraw, RandomStreams } from '../src/kernel/random.js';
import type { SnapshotLogEntry } from '../src/acms/snapshot.js';
import { grownFloat64, grownInt32 } from '../src/kernel/typed-arrays.js';
import {
  ANSWER_TRIP_US, buildBenchLog, FILE_COUNT, INDEX_TTL_US, LAN_BYTES_PER_S, LAN_RTT_US, POLL_INTERVAL_US, POLL_JITTER,
  RECEIVER_DRAWS_LABEL, SEED, viewLengthAt,
} from './engine-bench-shape.js';
import { InstallFingerprint } from './install-fingerprint.js';

const clusterCount = Number(process.argv[2] ?? 1_700);
const receiverCount = Number(process.argv[3] ?? 9);
const hours = Number(process.argv[4] ?? 1);
const fingerprint = process.argv[5] === 'fingerprint' ? new InstallFingerprint() : null;
if (!(Number.isInteger(clusterCount) && clusterCount > 0 && Number.isInteger(receiverCount) && receiverCount > 0 && hours > 0)) {
  throw new RangeError(`usage: cluster-floor.js [clusters] [receiversPerCluster] [hours] [fingerprint], got ${process.argv.slice(2).join(' ')}`);
}
const runUs = hours * 3_600_000_000;
const NO_VERSION = -Infinity;

// ---- the log, as flat columns: entry k's file, version, size, the entry of its file before it, and the root's last-modified time after it
const benchLog = buildBenchLog(runUs);
const log = (benchLog.views[benchLog.views.length - 1] as { log: readonly SnapshotLogEntry[] }).log;
const logLength = benchLog.timesUs.length;
const entryFileId = new Int32Array(logLength);
const entryVersionKey = new Float64Array(logLength);
const entrySizeBytes = new Float64Array(logLength);
const entryPreviousOfFile = new Int32Array(logLength);
const lastModifiedAtLengthUs = new Float64Array(logLength + 1);
const entryTimesUs = Float64Array.from(benchLog.timesUs);
{
  const newestOfFile = new Int32Array(FILE_COUNT).fill(-1);
  for (let k = 0; k < logLength; k++) {
    const entry = log[k] as SnapshotLogEntry;
    entryFileId[k] = entry.fileId;
    entryVersionKey[k] = entry.versionKey;
    entrySizeBytes[k] = entry.sizeBytes;
    entryPreviousOfFile[k] = newestOfFile[entry.fileId] as number;
    newestOfFile[entry.fileId] = k;
    lastModifiedAtLengthUs[k + 1] = entry.rootLastModifiedUs;
  }
}

// ---- installs: five columns written per install, handed on a batch at a time (as the engine's InstallBatch) ----
const BATCH = 4096;
const batchInstallUs = new Float64Array(BATCH);
const batchEdgeServer = new Int32Array(BATCH);
const batchFileId = new Int32Array(BATCH);
const batchVersionKey = new Float64Array(BATCH);
const batchPreviousKey = new Float64Array(BATCH);
let batchCount = 0;
let installs = 0;

function flushInstalls(): void {
  for (let k = 0; k < batchCount; k++) {
    installs++;
    fingerprint?.add(batchInstallUs[k] as number, batchEdgeServer[k] as number, batchFileId[k] as number, batchVersionKey[k] as number, batchPreviousKey[k] as number);
  }
  batchCount = 0;
}

function recordInstall(installUs: number, edgeServerIndex: number, fileId: number, versionKey: number, previousKey: number): void {
  const k = batchCount;
  batchInstallUs[k] = installUs;
  batchEdgeServer[k] = edgeServerIndex;
  batchFileId[k] = fileId;
  batchVersionKey[k] = versionKey;
  batchPreviousKey[k] = previousKey;
  batchCount = k + 1;
  if (k + 1 === BATCH) flushInstalls();
}

function lanInstallUs(nowUs: number, sizeBytes: number): number {
  return nowUs + Math.round(LAN_RTT_US + (sizeBytes * 1e6) / LAN_BYTES_PER_S);
}

// ---- one cluster's state, reused cluster after cluster ----
// Receivers: next poll, draws, the log position held (-1 before the first index) and that index's last-modified time.
const nextPollUs = new Float64Array(receiverCount);
const drawBase = new Int32Array(receiverCount);
const drawCount = new Int32Array(receiverCount);
const heldLength = new Int32Array(receiverCount);
const heldLastModifiedUs = new Float64Array(receiverCount);
/** Places by (next poll, place), a ring from pollHead: the Receiver that polled moves from first to nearly last. */
const pollOrder = new Int32Array(receiverCount);
let pollHead = 0;
// The cache: its root index (a log length, -1 for none), when it was fetched, the request for it, and who waits.
let rootLength = -1;
let rootLastModifiedUs = -1;
let rootFetchedAtUs = -Infinity;
let rootRequested = false;
let rootWaiters = new Int32Array(16);
let rootWaiterSinceUs = new Float64Array(16);
let rootWaiterCount = 0;
const cachedKey = new Float64Array(FILE_COUNT);
// Fetches under way: request id, file, version, size, and their waiters as a list (receiver, version it replaces).
let fetchRequestId = new Float64Array(64);
let fetchFileId = new Int32Array(64);
let fetchVersionKey = new Float64Array(64);
let fetchSizeBytes = new Float64Array(64);
let fetchFirstWaiter = new Int32Array(64);
let fetchCount = 0;
let waiterReceiver = new Int32Array(256);
let waiterPreviousKey = new Float64Array(256);
let waiterNext = new Int32Array(256);
let waiterCount = 0;
// Answers on their way, by arrival (first in, first out among equals): a root index (its length, or -1 for Not
// Modified) or a file (its request id).
const ANSWER_ROOT = 0;
const ANSWER_FILE = 1;
let answerAtUs = new Float64Array(64);
let answerKind = new Int32Array(64);
let answerRequestId = new Float64Array(64);
let answerLength = new Int32Array(64);
let answerHead = 0;
let answerTail = 0;
let nextRequestId = 0;
let exchanges = 0;
// Diff walks: a file is met once per walk.
const walkMark = new Int32Array(FILE_COUNT);
let walk = 0;

function draw(i: number): number {
  const index = drawCount[i] as number;
  drawCount[i] = index + 1;
  return keyedDraw(drawBase[i] as number, index);
}

/** Receiver i, first in the ring, polled: the ring turns by one and i moves forward past those due before it. */
function requeueFirst(i: number): void {
  pollHead = pollHead + 1 === receiverCount ? 0 : pollHead + 1;
  const atUs = nextPollUs[i] as number;
  let at = pollHead === 0 ? receiverCount - 1 : pollHead - 1;
  for (let k = receiverCount - 1; k > 0; k--) {
    const previous = at === 0 ? receiverCount - 1 : at - 1;
    const other = pollOrder[previous] as number;
    const otherUs = nextPollUs[other] as number;
    if (!(otherUs > atUs || (otherUs === atUs && other > i))) break;
    pollOrder[at] = other;
    at = previous;
  }
  pollOrder[at] = i;
}

function addAnswer(atUs: number, kind: number, requestId: number, length: number): void {
  if (answerTail === answerAtUs.length) {
    const capacity = 2 * answerAtUs.length;
    answerAtUs = grownFloat64(answerAtUs, capacity);
    answerKind = grownInt32(answerKind, capacity);
    answerRequestId = grownFloat64(answerRequestId, capacity);
    answerLength = grownInt32(answerLength, capacity);
  }
  let k = answerTail++;
  while (k > answerHead && (answerAtUs[k - 1] as number) > atUs) {
    answerAtUs[k] = answerAtUs[k - 1] as number;
    answerKind[k] = answerKind[k - 1] as number;
    answerRequestId[k] = answerRequestId[k - 1] as number;
    answerLength[k] = answerLength[k - 1] as number;
    k--;
  }
  answerAtUs[k] = atUs;
  answerKind[k] = kind;
  answerRequestId[k] = requestId;
  answerLength[k] = length;
}

/** Receiver i waits for a fetch of the file at log entry k, replacing previousKey: joined if under way, else started. */
function waitForFetch(nowUs: number, i: number, k: number, previousKey: number): void {
  const fileId = entryFileId[k] as number;
  const versionKey = entryVersionKey[k] as number;
  let fetch = -1;
  for (let f = 0; f < fetchCount; f++) {
    if (fetchFileId[f] === fileId && fetchVersionKey[f] === versionKey) {
      fetch = f;
      break;
    }
  }
  if (fetch < 0) {
    if (fetchCount === fetchRequestId.length) growFetches();
    fetch = fetchCount++;
    const requestId = nextRequestId++;
    fetchRequestId[fetch] = requestId;
    fetchFileId[fetch] = fileId;
    fetchVersionKey[fetch] = versionKey;
    fetchSizeBytes[fetch] = entrySizeBytes[k] as number;
    fetchFirstWaiter[fetch] = -1;
    exchanges++;
    addAnswer(nowUs + ANSWER_TRIP_US, ANSWER_FILE, requestId, 0);
  }
  if (waiterCount === waiterReceiver.length) growWaiters();
  const w = waiterCount++;
  waiterReceiver[w] = i;
  waiterPreviousKey[w] = previousKey;
  // Waiters are installed in the order they came: the list is kept first to last by walking to its end.
  waiterNext[w] = -1;
  let last = fetchFirstWaiter[fetch] as number;
  if (last < 0) {
    fetchFirstWaiter[fetch] = w;
  } else {
    while ((waiterNext[last] as number) >= 0) last = waiterNext[last] as number;
    waiterNext[last] = w;
  }
}

function growFetches(): void {
  const capacity = 2 * fetchRequestId.length;
  fetchRequestId = grownFloat64(fetchRequestId, capacity);
  fetchFileId = grownInt32(fetchFileId, capacity);
  fetchVersionKey = grownFloat64(fetchVersionKey, capacity);
  fetchSizeBytes = grownFloat64(fetchSizeBytes, capacity);
  fetchFirstWaiter = grownInt32(fetchFirstWaiter, capacity);
}

function growWaiters(): void {
  const capacity = 2 * waiterReceiver.length;
  waiterReceiver = grownInt32(waiterReceiver, capacity);
  waiterPreviousKey = grownFloat64(waiterPreviousKey, capacity);
  waiterNext = grownInt32(waiterNext, capacity);
}

/** Receiver i takes the cache's index: every file it lists newer than i's position is installed from the cache or fetched. */
function takeIndex(nowUs: number, i: number, edgeServerIndex: number): void {
  const start = Math.max(heldLength[i] as number, 0);
  const end = rootLength;
  const thisWalk = ++walk;
  for (let k = end - 1; k >= start; k--) {
    const fileId = entryFileId[k] as number;
    if (walkMark[fileId] === thisWalk) continue;
    walkMark[fileId] = thisWalk;
    let before = entryPreviousOfFile[k] as number;
    while (before >= start) before = entryPreviousOfFile[before] as number;
    const installedKey = before < 0 ? NO_VERSION : (entryVersionKey[before] as number);
    const versionKey = entryVersionKey[k] as number;
    if (versionKey <= installedKey) throw new Error('the floor does not model a stale log entry');
    if (cachedKey[fileId] === versionKey) recordInstall(lanInstallUs(nowUs, entrySizeBytes[k] as number), edgeServerIndex, fileId, versionKey, installedKey);
    else waitForFetch(nowUs, i, k, installedKey);
  }
  heldLength[i] = end;
  heldLastModifiedUs[i] = rootLastModifiedUs;
}

/** The index the cache holds, to Receiver i holding sinceUs: Not Modified, or taken. */
function answerIndex(nowUs: number, i: number, sinceUs: number, edgeServerIndex: number): void {
  // Receivers hold nothing before their first index (sinceUs -1 with no origin): the first answer is always taken.
  if (rootLength < 0 || ((heldLength[i] as number) >= 0 && rootLastModifiedUs <= sinceUs)) return;
  takeIndex(nowUs, i, edgeServerIndex);
}

function poll(nowUs: number, i: number, edgeServerIndex: number): void {
  const jitter = (2 * draw(i) - 1) * POLL_JITTER;
  nextPollUs[i] = nowUs + Math.round(POLL_INTERVAL_US * (1 + jitter));
  if (nowUs < rootFetchedAtUs + INDEX_TTL_US) {
    answerIndex(nowUs, i, heldLastModifiedUs[i] as number, edgeServerIndex);
    return;
  }
  if (rootWaiterCount === rootWaiters.length) {
    rootWaiters = grownInt32(rootWaiters, 2 * rootWaiters.length);
    rootWaiterSinceUs = grownFloat64(rootWaiterSinceUs, 2 * rootWaiterSinceUs.length);
  }
  rootWaiters[rootWaiterCount] = i;
  rootWaiterSinceUs[rootWaiterCount] = heldLastModifiedUs[i] as number;
  rootWaiterCount++;
  if (rootRequested) return;
  rootRequested = true;
  exchanges++;
  // The upstream answers with the index as it was at the request, Not Modified if that is no newer than the cache's.
  const length = viewLengthAt(entryTimesUs, nowUs);
  const lastModifiedUs = lastModifiedAtLengthUs[length] as number;
  addAnswer(nowUs + ANSWER_TRIP_US, ANSWER_ROOT, nextRequestId++, lastModifiedUs <= rootLastModifiedUs ? -1 : length);
}

function rootAnswered(nowUs: number, length: number, firstEdgeServer: number): void {
  rootRequested = false;
  if (length >= 0 && length >= rootLength) {
    rootLength = length;
    rootLastModifiedUs = lastModifiedAtLengthUs[length] as number;
  }
  rootFetchedAtUs = nowUs;
  for (let w = 0; w < rootWaiterCount; w++) {
    const i = rootWaiters[w] as number;
    answerIndex(nowUs, i, rootWaiterSinceUs[w] as number, firstEdgeServer + i);
  }
  rootWaiterCount = 0;
}

function fileAnswered(nowUs: number, requestId: number, firstEdgeServer: number): void {
  let fetch = 0;
  while (fetchRequestId[fetch] !== requestId) fetch++;
  const fileId = fetchFileId[fetch] as number;
  const versionKey = fetchVersionKey[fetch] as number;
  if (versionKey > (cachedKey[fileId] as number)) cachedKey[fileId] = versionKey;
  const installUs = lanInstallUs(nowUs, fetchSizeBytes[fetch] as number);
  for (let w = fetchFirstWaiter[fetch] as number; w >= 0; w = waiterNext[w] as number) {
    recordInstall(installUs, firstEdgeServer + (waiterReceiver[w] as number), fileId, versionKey, waiterPreviousKey[w] as number);
  }
  fetchCount--;
  for (let f = fetch; f < fetchCount; f++) {
    fetchRequestId[f] = fetchRequestId[f + 1] as number;
    fetchFileId[f] = fetchFileId[f + 1] as number;
    fetchVersionKey[f] = fetchVersionKey[f + 1] as number;
    fetchSizeBytes[f] = fetchSizeBytes[f + 1] as number;
    fetchFirstWaiter[f] = fetchFirstWaiter[f + 1] as number;
  }
  if (fetchCount === 0) waiterCount = 0;
}

/** Cluster c's whole slice: its polls and the answers they bring, in time order (a poll before an answer of its time). */
function runCluster(c: number, drawSeed: number): void {
  const firstEdgeServer = c * receiverCount;
  for (let i = 0; i < receiverCount; i++) {
    drawBase[i] = keyedBase(drawSeed, firstEdgeServer + i);
    drawCount[i] = 0;
    heldLength[i] = -1;
    heldLastModifiedUs[i] = -1;
    nextPollUs[i] = Math.round(draw(i) * POLL_INTERVAL_US);
  }
  const places = Array.from({ length: receiverCount }, (_, i) => i);
  places.sort((a, b) => ((nextPollUs[a] as number) - (nextPollUs[b] as number)) || (a - b));
  for (let k = 0; k < receiverCount; k++) pollOrder[k] = places[k] as number;
  pollHead = 0;
  cachedKey.fill(NO_VERSION);
  rootLength = -1;
  rootLastModifiedUs = -1;
  rootFetchedAtUs = -Infinity;
  rootRequested = false;
  rootWaiterCount = 0;
  fetchCount = 0;
  waiterCount = 0;
  answerHead = 0;
  answerTail = 0;
  nextRequestId = 0;
  for (;;) {
    const i = pollOrder[pollHead] as number;
    const pollUs = nextPollUs[i] as number;
    const answerUs = answerHead < answerTail ? (answerAtUs[answerHead] as number) : Infinity;
    if (pollUs <= answerUs) {
      if (pollUs > runUs) return;
      poll(pollUs, i, firstEdgeServer + i);
      requeueFirst(i);
      continue;
    }
    if (answerUs > runUs) return;
    const kind = answerKind[answerHead] as number;
    const requestId = answerRequestId[answerHead] as number;
    const length = answerLength[answerHead] as number;
    answerHead++;
    if (answerHead === answerTail) {
      answerHead = 0;
      answerTail = 0;
    }
    if (kind === ANSWER_ROOT) rootAnswered(answerUs, length, firstEdgeServer);
    else fileAnswered(answerUs, requestId, firstEdgeServer);
  }
}

const drawSeed = new RandomStreams(SEED).keyedSeed(RECEIVER_DRAWS_LABEL);
const startNs = process.hrtime.bigint();
for (let c = 0; c < clusterCount; c++) runCluster(c, drawSeed);
flushInstalls();
const wallS = Number(process.hrtime.bigint() - startNs) / 1e9;
console.log(JSON.stringify({
  bench: 'cluster-floor', clusters: clusterCount, receiversPerCluster: receiverCount, hours,
  wallS, wallPerHourS: wallS / hours, exchanges, installs,
  peakRssMiB: process.resourceUsage().maxRSS / 1024,
  ...(fingerprint === null ? {} : { fingerprint: fingerprint.toString() }),
}));
