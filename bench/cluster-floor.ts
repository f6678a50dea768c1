// The floor under the cluster engine bench (cluster-engine.ts): the same work, Receivers polling one SP's log through
// their cluster caches with every answer settled a fixed trip later, written as lean as we know how, to say how much
// of the engine's time is its own overhead. It is not acmsim: it models only what that bench exercises (one upstream,
// no faults, no failed or late answers, versions that only grow) and throws if the run leaves that ground. It installs exactly what the engine installs: `fingerprint` prints an order-free fingerprint of every
// install (install-fingerprint.ts), and test/bench/cluster-floor.test.ts holds the two to it.
//
// How it differs from the engine, which must also carry faults, retries and the World: a Receiver's installed versions
// are its position in the log and a short list of the files it is out of step on (those it waits for: the version
// installed and the version wanted, the engine's exceptions and pending fetches), its outages are items of its
// cluster's timeline, every cluster's state is rows of fleet-wide typed arrays (requests, waiters and answers in pools
// linked per cluster), and nothing crosses an interface per poll or install.
// The cache's table of versions held is file-major, as the engine's (fleet-tables.ts). `whole` runs each cluster's
// slice before the next; `epochS` runs every cluster S seconds at a time, in index order, as a per-parent engine
// visiting its clusters once per epoch would. Hot path throughout.
//   node dist/bench/cluster-floor.js [whole|epochS] [clusters] [receiversPerCluster] [hours] [fingerprint] [large] [hot] [outages]
// Prints one JSON line.
import { keyedBase, keyedDraw, RandomStreams } from '../src/kernel/random.js';
import type { SnapshotLogEntry, SnapshotView } from '../src/acms/snapshot.js';
import { freeListWith, grownFloat64, grownInt32 } from '../src/kernel/typed-arrays.js';
import { NO_VERSION } from '../src/world/cluster/log-index.js';
import { lanInstallUs } from '../src/world/cluster/port.js';
import {
  ANSWER_TRIP_US, benchFlags, buildBenchLog, FILE_COUNT, fileAnswerTripUs, INDEX_TTL_US, LAN_BYTES_PER_S, LAN_RTT_US, POLL_INTERVAL_US, POLL_JITTER,
  clusterOutages, RECEIVER_DRAWS_LABEL, SEED, viewLengthAt,
} from './engine-bench-shape.js';
import { InstallFingerprint } from './install-fingerprint.js';

const mode = process.argv[2] ?? 'whole';
const epochUs = mode === 'whole' ? Infinity : Number(mode.slice('epoch'.length)) * 1e6;
const clusterCount = Number(process.argv[3] ?? 1_700);
const receiverCount = Number(process.argv[4] ?? 9);
const hours = Number(process.argv[5] ?? 1);
const flags = benchFlags(process.argv.slice(6));
const fingerprint = flags.fingerprint ? new InstallFingerprint() : null;
if (!(epochUs > 0 && Number.isInteger(clusterCount) && clusterCount > 0 && Number.isInteger(receiverCount) && receiverCount > 0 && hours > 0)) {
  throw new RangeError(`usage: cluster-floor.js [whole|epochS] [clusters] [receiversPerCluster] [hours] [fingerprint] [large] [hot] [outages], got ${process.argv.slice(2).join(' ')}`);
}
const runUs = hours * 3_600_000_000;
const NONE = -1;

// ---- the log, as flat columns: entry k's file, version, size and the entry of its file before it; and each length's last-modified time
const benchLog = buildBenchLog(runUs, flags.ground);
const log = (benchLog.views[benchLog.views.length - 1] as SnapshotView).log;
const logLength = benchLog.timesUs.length;
const entryFileId = new Int32Array(logLength);
const entryVersionKey = new Float64Array(logLength);
const entrySizeBytes = new Float64Array(logLength);
const entryPreviousOfFile = new Int32Array(logLength);
const lastModifiedAtLengthUs = new Float64Array(logLength + 1);
const entryTimesUs = Float64Array.from(benchLog.timesUs);
for (let length = 0; length <= logLength; length++) lastModifiedAtLengthUs[length] = (benchLog.views[length] as SnapshotView).lastModifiedUs;
{
  const newestOfFile = new Int32Array(FILE_COUNT).fill(NONE);
  for (let k = 0; k < logLength; k++) {
    const entry = log[k] as SnapshotLogEntry;
    entryFileId[k] = entry.fileId;
    entryVersionKey[k] = entry.versionKey;
    entrySizeBytes[k] = entry.sizeBytes;
    entryPreviousOfFile[k] = newestOfFile[entry.fileId] as number;
    newestOfFile[entry.fileId] = k;
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


// ---- every cluster's state: Receiver r of cluster c at row c * receiverCount + r ----
const receiverRows = clusterCount * receiverCount;
const nextPollUs = new Float64Array(receiverRows);
const drawBase = new Int32Array(receiverRows);
const drawCount = new Int32Array(receiverRows);
/** The log position each Receiver holds (-1 before its first index), and that index's last-modified time. */
const heldLength = new Int32Array(receiverRows);
const heldLastModifiedUs = new Float64Array(receiverRows);
/** 0 while the Receiver's edge server is down (it does not poll, and answers do not reach it). */
const running = new Uint8Array(receiverRows).fill(1);
// The files a Receiver is out of step on, a list per Receiver: each waits for a fetch, with the version installed and
// the one wanted, which is the one its index lists (the versions of a file only grow on this ground), and whether the
// wait failed (the server went down: asked for again at its next poll). Every other file is installed as its index
// lists it.
let outFileId = new Int32Array(1024);
let outInstalledKey = new Float64Array(1024);
let outWantedKey = new Float64Array(1024);
let outSizeBytes = new Float64Array(1024);
let outFailed = new Uint8Array(1024);
let outNext = new Int32Array(1024);
let outFree = freeListWith(outNext, 0, 1024, NONE);
const outHead = new Int32Array(receiverRows).fill(NONE);
/** Per cluster, its places by (next poll, place), a ring from pollHead: the Receiver that polled moves from first to nearly last. */
const pollOrder = new Int32Array(receiverRows);
const pollHead = new Int32Array(clusterCount);
// The cache: its root index (a log length, -1 for none), when it was fetched, whether it is asked for, and who waits
// (a Receiver waits at most once for a root answer: it cannot poll again before the answer comes).
const rootLength = new Int32Array(clusterCount).fill(NONE);
const rootLastModifiedUs = new Float64Array(clusterCount).fill(-1);
const rootFetchedAtUs = new Float64Array(clusterCount).fill(-Infinity);
const rootRequested = new Uint8Array(clusterCount);
const rootWaiterCount = new Int32Array(clusterCount);
const rootWaiter = new Int32Array(receiverRows);
const rootWaiterSinceUs = new Float64Array(receiverRows);
const nextRequestId = new Float64Array(clusterCount);
/** The version of each file each cache holds, file-major as the engine's: cache c's entry for fileId at fileId * clusterCount + c. */
const cachedKey = new Float64Array(FILE_COUNT * clusterCount).fill(NO_VERSION);
// Fetches under way, a list per cluster: request id, file, version, size, and their waiters, first to last.
let fetchRequestId = new Float64Array(1024);
let fetchFileId = new Int32Array(1024);
let fetchVersionKey = new Float64Array(1024);
let fetchSizeBytes = new Float64Array(1024);
let fetchFirstWaiter = new Int32Array(1024);
let fetchLastWaiter = new Int32Array(1024);
let fetchNext = new Int32Array(1024);
let fetchFree = freeListWith(fetchNext, 0, 1024, NONE);
const fetchHead = new Int32Array(clusterCount).fill(NONE);
// A waiter: the Receiver's place.
let waiterReceiver = new Int32Array(4096);
let waiterNext = new Int32Array(4096);
let waiterFree = freeListWith(waiterNext, 0, 4096, NONE);
// Answers on their way, a list per cluster by arrival (first in, first out among equals): a root index (its length,
// or -1 for Not Modified) or a file (its request id).
const ANSWER_ROOT = 0;
const ANSWER_FILE = 1;
let answerAtUs = new Float64Array(1024);
let answerKind = new Int32Array(1024);
let answerRequestId = new Float64Array(1024);
let answerLength = new Int32Array(1024);
let answerNext = new Int32Array(1024);
let answerFree = freeListWith(answerNext, 0, 1024, NONE);
const answerHead = new Int32Array(clusterCount).fill(NONE);
const answerTail = new Int32Array(clusterCount).fill(NONE);
let exchanges = 0;
// Diff walks: a file is met once per walk.
const walkMark = new Int32Array(FILE_COUNT);
let walk = 0;

function draw(r: number): number {
  const index = drawCount[r] as number;
  drawCount[r] = index + 1;
  return keyedDraw(drawBase[r] as number, index);
}

/** Cluster c's first in the ring, place i, polled: the ring turns by one and i moves forward past those due before it. */
function requeueFirst(c: number, i: number): void {
  const base = c * receiverCount;
  const head = (pollHead[c] as number) + 1 === receiverCount ? 0 : (pollHead[c] as number) + 1;
  pollHead[c] = head;
  const atUs = nextPollUs[base + i] as number;
  let at = head === 0 ? receiverCount - 1 : head - 1;
  for (let k = receiverCount - 1; k > 0; k--) {
    const previous = at === 0 ? receiverCount - 1 : at - 1;
    const other = pollOrder[base + previous] as number;
    const otherUs = nextPollUs[base + other] as number;
    if (!(otherUs > atUs || (otherUs === atUs && other > i))) break;
    pollOrder[base + at] = other;
    at = previous;
  }
  pollOrder[base + at] = i;
}

function addAnswer(c: number, atUs: number, kind: number, requestId: number, length: number): void {
  if (answerFree === NONE) growAnswers();
  const a = answerFree;
  answerFree = answerNext[a] as number;
  answerAtUs[a] = atUs;
  answerKind[a] = kind;
  answerRequestId[a] = requestId;
  answerLength[a] = length;
  answerNext[a] = NONE;
  const tail = answerTail[c] as number;
  if (tail === NONE) {
    answerHead[c] = a;
    answerTail[c] = a;
    return;
  }
  if ((answerAtUs[tail] as number) <= atUs) {
    answerNext[tail] = a;
    answerTail[c] = a;
    return;
  }
  // Earlier than the last: before the first that comes after it.
  let previous = NONE;
  let at = answerHead[c] as number;
  while ((answerAtUs[at] as number) <= atUs) {
    previous = at;
    at = answerNext[at] as number;
  }
  answerNext[a] = at;
  if (previous === NONE) answerHead[c] = a;
  else answerNext[previous] = a;
}

function growAnswers(): void {
  const old = answerAtUs.length;
  answerAtUs = grownFloat64(answerAtUs, 2 * old);
  answerKind = grownInt32(answerKind, 2 * old);
  answerRequestId = grownFloat64(answerRequestId, 2 * old);
  answerLength = grownInt32(answerLength, 2 * old);
  answerNext = grownInt32(answerNext, 2 * old);
  answerFree = freeListWith(answerNext, old, 2 * old, answerFree);
}

function growFetches(): void {
  const old = fetchRequestId.length;
  fetchRequestId = grownFloat64(fetchRequestId, 2 * old);
  fetchFileId = grownInt32(fetchFileId, 2 * old);
  fetchVersionKey = grownFloat64(fetchVersionKey, 2 * old);
  fetchSizeBytes = grownFloat64(fetchSizeBytes, 2 * old);
  fetchFirstWaiter = grownInt32(fetchFirstWaiter, 2 * old);
  fetchLastWaiter = grownInt32(fetchLastWaiter, 2 * old);
  fetchNext = grownInt32(fetchNext, 2 * old);
  fetchFree = freeListWith(fetchNext, old, 2 * old, fetchFree);
}

function growWaiters(): void {
  const old = waiterReceiver.length;
  waiterReceiver = grownInt32(waiterReceiver, 2 * old);
  waiterNext = grownInt32(waiterNext, 2 * old);
  waiterFree = freeListWith(waiterNext, old, 2 * old, waiterFree);
}

function growOutOfStep(): void {
  const old = outFileId.length;
  outFileId = grownInt32(outFileId, 2 * old);
  outInstalledKey = grownFloat64(outInstalledKey, 2 * old);
  outWantedKey = grownFloat64(outWantedKey, 2 * old);
  outSizeBytes = grownFloat64(outSizeBytes, 2 * old);
  const failed = new Uint8Array(2 * old);
  failed.set(outFailed);
  outFailed = failed;
  outNext = grownInt32(outNext, 2 * old);
  outFree = freeListWith(outNext, old, 2 * old, outFree);
}

/** Receiver row r's out-of-step entry for fileId, or NONE. */
function outOfStep(r: number, fileId: number): number {
  let e = outHead[r] as number;
  while (e !== NONE && outFileId[e] !== fileId) e = outNext[e] as number;
  return e;
}

function addOutOfStep(r: number, fileId: number, installedKey: number): number {
  if (outFree === NONE) growOutOfStep();
  const e = outFree;
  outFree = outNext[e] as number;
  outFileId[e] = fileId;
  outInstalledKey[e] = installedKey;
  outFailed[e] = 0;
  outNext[e] = outHead[r] as number;
  outHead[r] = e;
  return e;
}

function removeOutOfStep(r: number, e: number): void {
  let previous = NONE;
  let at = outHead[r] as number;
  while (at !== e) {
    previous = at;
    at = outNext[at] as number;
  }
  if (previous === NONE) outHead[r] = outNext[e] as number;
  else outNext[previous] = outNext[e] as number;
  outNext[e] = outFree;
  outFree = e;
}

/** Place i of cluster c waits for a fetch of versionKey of fileId: joined if under way, else started. */
function waitForFetch(c: number, nowUs: number, i: number, fileId: number, versionKey: number, sizeBytes: number): void {
  let fetch = fetchHead[c] as number;
  while (fetch !== NONE && !(fetchFileId[fetch] === fileId && fetchVersionKey[fetch] === versionKey)) fetch = fetchNext[fetch] as number;
  if (fetch === NONE) {
    if (fetchFree === NONE) growFetches();
    fetch = fetchFree;
    fetchFree = fetchNext[fetch] as number;
    const requestId = nextRequestId[c] as number;
    nextRequestId[c] = requestId + 1;
    fetchRequestId[fetch] = requestId;
    fetchFileId[fetch] = fileId;
    fetchVersionKey[fetch] = versionKey;
    fetchSizeBytes[fetch] = sizeBytes;
    fetchFirstWaiter[fetch] = NONE;
    fetchNext[fetch] = fetchHead[c] as number;
    fetchHead[c] = fetch;
    exchanges++;
    addAnswer(c, nowUs + fileAnswerTripUs(sizeBytes), ANSWER_FILE, requestId, 0);
  }
  if (waiterFree === NONE) growWaiters();
  const w = waiterFree;
  waiterFree = waiterNext[w] as number;
  waiterReceiver[w] = i;
  waiterNext[w] = NONE;
  if (fetchFirstWaiter[fetch] === NONE) fetchFirstWaiter[fetch] = w;
  else waiterNext[fetchLastWaiter[fetch] as number] = w;
  fetchLastWaiter[fetch] = w;
}

/**
 * Place i of cluster c takes the cache's index: every file it lists newer than what i installed is installed from the
 * cache, or fetched, i then out of step on it until the fetch is answered.
 */
function takeIndex(c: number, nowUs: number, i: number): void {
  const r = c * receiverCount + i;
  const start = Math.max(heldLength[r] as number, 0);
  const end = rootLength[c] as number;
  const thisWalk = ++walk;
  for (let k = end - 1; k >= start; k--) {
    const fileId = entryFileId[k] as number;
    if (walkMark[fileId] === thisWalk) continue;
    walkMark[fileId] = thisWalk;
    const versionKey = entryVersionKey[k] as number;
    const e = outHead[r] === NONE ? NONE : outOfStep(r, fileId);
    let installedKey: number;
    if (e === NONE) {
      let before = entryPreviousOfFile[k] as number;
      while (before >= start) before = entryPreviousOfFile[before] as number;
      installedKey = before < 0 ? NO_VERSION : (entryVersionKey[before] as number);
    } else {
      installedKey = outInstalledKey[e] as number;
      if (versionKey <= (outWantedKey[e] as number)) throw new Error('the floor does not model an index that lists an older version than one wanted');
    }
    if (versionKey <= installedKey) throw new Error('the floor does not model a stale log entry');
    if (cachedKey[fileId * clusterCount + c] === versionKey) {
      recordInstall(lanInstallUs(nowUs, LAN_RTT_US, entrySizeBytes[k] as number, LAN_BYTES_PER_S), r, fileId, versionKey, installedKey);
      if (e !== NONE) removeOutOfStep(r, e);
      continue;
    }
    const out = e === NONE ? addOutOfStep(r, fileId, installedKey) : e;
    outWantedKey[out] = versionKey;
    outSizeBytes[out] = entrySizeBytes[k] as number;
    outFailed[out] = 0;
    waitForFetch(c, nowUs, i, fileId, versionKey, entrySizeBytes[k] as number);
  }
  heldLength[r] = end;
  heldLastModifiedUs[r] = rootLastModifiedUs[c] as number;
}

/** The index cluster c's cache holds, to its place i holding sinceUs: Not Modified, or taken. */
function answerIndex(c: number, nowUs: number, i: number, sinceUs: number): void {
  // Receivers hold nothing before their first index: the first answer is always taken.
  if ((rootLength[c] as number) < 0 || ((heldLength[c * receiverCount + i] as number) >= 0 && (rootLastModifiedUs[c] as number) <= sinceUs)) return;
  takeIndex(c, nowUs, i);
}

/** Place i of cluster c asks again for the files whose wait failed while its server was down: from the cache, or fetched. */
function askAgain(c: number, nowUs: number, i: number): void {
  const r = c * receiverCount + i;
  let e = outHead[r] as number;
  while (e !== NONE) {
    const next = outNext[e] as number;
    if (outFailed[e] === 1) {
      outFailed[e] = 0;
      const fileId = outFileId[e] as number;
      const wantedKey = outWantedKey[e] as number;
      if (cachedKey[fileId * clusterCount + c] === wantedKey) {
        recordInstall(lanInstallUs(nowUs, LAN_RTT_US, outSizeBytes[e] as number, LAN_BYTES_PER_S), r, fileId, wantedKey, outInstalledKey[e] as number);
        removeOutOfStep(r, e);
      } else {
        waitForFetch(c, nowUs, i, fileId, wantedKey, outSizeBytes[e] as number);
      }
    }
    e = next;
  }
}

function poll(c: number, nowUs: number, i: number): void {
  const r = c * receiverCount + i;
  const jitter = (2 * draw(r) - 1) * POLL_JITTER;
  nextPollUs[r] = nowUs + Math.round(POLL_INTERVAL_US * (1 + jitter));
  askAgain(c, nowUs, i);
  if (nowUs < (rootFetchedAtUs[c] as number) + INDEX_TTL_US) {
    answerIndex(c, nowUs, i, heldLastModifiedUs[r] as number);
    return;
  }
  const waiting = rootWaiterCount[c] as number;
  if (waiting === receiverCount) throw new Error('the floor does not model a Receiver waiting twice for one root answer');
  rootWaiter[c * receiverCount + waiting] = i;
  rootWaiterSinceUs[c * receiverCount + waiting] = heldLastModifiedUs[r] as number;
  rootWaiterCount[c] = waiting + 1;
  if (rootRequested[c] === 1) return;
  rootRequested[c] = 1;
  exchanges++;
  // The upstream answers with the index as it was at the request, Not Modified if that is no newer than the cache's.
  const length = viewLengthAt(entryTimesUs, nowUs);
  const requestId = nextRequestId[c] as number;
  nextRequestId[c] = requestId + 1;
  addAnswer(c, nowUs + ANSWER_TRIP_US, ANSWER_ROOT, requestId, (lastModifiedAtLengthUs[length] as number) <= (rootLastModifiedUs[c] as number) ? -1 : length);
}

function rootAnswered(c: number, nowUs: number, length: number): void {
  rootRequested[c] = 0;
  if (length >= 0 && length >= (rootLength[c] as number)) {
    rootLength[c] = length;
    rootLastModifiedUs[c] = lastModifiedAtLengthUs[length] as number;
  }
  rootFetchedAtUs[c] = nowUs;
  const waiting = rootWaiterCount[c] as number;
  for (let w = 0; w < waiting; w++) {
    const i = rootWaiter[c * receiverCount + w] as number;
    if (running[c * receiverCount + i] === 1) answerIndex(c, nowUs, i, rootWaiterSinceUs[c * receiverCount + w] as number);
  }
  rootWaiterCount[c] = 0;
}

function fileAnswered(c: number, nowUs: number, requestId: number): void {
  let previous = NONE;
  let fetch = fetchHead[c] as number;
  while (fetchRequestId[fetch] !== requestId) {
    previous = fetch;
    fetch = fetchNext[fetch] as number;
  }
  if (previous === NONE) fetchHead[c] = fetchNext[fetch] as number;
  else fetchNext[previous] = fetchNext[fetch] as number;
  const fileId = fetchFileId[fetch] as number;
  const versionKey = fetchVersionKey[fetch] as number;
  const at = fileId * clusterCount + c;
  if (versionKey > (cachedKey[at] as number)) cachedKey[at] = versionKey;
  const installUs = lanInstallUs(nowUs, LAN_RTT_US, fetchSizeBytes[fetch] as number, LAN_BYTES_PER_S);
  const base = c * receiverCount;
  let w = fetchFirstWaiter[fetch] as number;
  while (w !== NONE) {
    // A waiter no longer out of step on the file installed what its index lists since, which is newer.
    const r = base + (waiterReceiver[w] as number);
    const e = running[r] === 1 ? outOfStep(r, fileId) : NONE;
    if (e !== NONE && versionKey > (outInstalledKey[e] as number)) {
      recordInstall(installUs, r, fileId, versionKey, outInstalledKey[e] as number);
      if (versionKey >= (outWantedKey[e] as number)) removeOutOfStep(r, e);
      else outInstalledKey[e] = versionKey;
    }
    const next = waiterNext[w] as number;
    waiterNext[w] = waiterFree;
    waiterFree = w;
    w = next;
  }
  fetchNext[fetch] = fetchFree;
  fetchFree = fetch;
}

/** Place i of cluster c moved to its place in the ring by (next poll, place), from wherever it was. */
function placeInRing(c: number, i: number): void {
  const base = c * receiverCount;
  const head = pollHead[c] as number;
  const atUs = nextPollUs[base + i] as number;
  const order = ringScratch;
  let n = 0;
  for (let k = 0; k < receiverCount; k++) {
    const place = pollOrder[base + ((head + k) % receiverCount)] as number;
    if (place !== i) order[n++] = place;
  }
  let at = 0;
  while (at < n) {
    const otherUs = nextPollUs[base + (order[at] as number)] as number;
    if (otherUs > atUs || (otherUs === atUs && (order[at] as number) > i)) break;
    at++;
  }
  for (let k = n; k > at; k--) order[k] = order[k - 1] as number;
  order[at] = i;
  for (let k = 0; k < receiverCount; k++) pollOrder[base + ((head + k) % receiverCount)] = order[k] as number;
}
const ringScratch = new Int32Array(receiverCount);

/** Place i's edge server goes down or comes back: down, it stops polling and every wait it has fails. */
function setRunning(c: number, nowUs: number, i: number, up: boolean): void {
  const r = c * receiverCount + i;
  if (up) {
    running[r] = 1;
    nextPollUs[r] = nowUs + Math.round(draw(r) * POLL_INTERVAL_US);
  } else {
    running[r] = 0;
    nextPollUs[r] = Infinity;
    for (let e = outHead[r] as number; e !== NONE; e = outNext[e] as number) outFailed[e] = 1;
  }
  placeInRing(c, i);
}

// Outages: each cluster's transitions in order of (time, place) at [transitionFirst[c], transitionFirst[c + 1]), run
// before the cluster's items of their time, as the engine bench's kernel events are.
const transitionAtUs: number[] = [];
const transitionPlace: number[] = [];
const transitionFirst = new Int32Array(clusterCount + 1);
for (let c = 0; c < clusterCount; c++) {
  transitionFirst[c] = transitionAtUs.length;
  const { timesUs, places } = clusterOutages(c, receiverCount, runUs, flags.ground);
  transitionAtUs.push(...timesUs);
  transitionPlace.push(...places);
}
transitionFirst[clusterCount] = transitionAtUs.length;
const nextTransition = Int32Array.from(transitionFirst.subarray(0, clusterCount));

/** Cluster c's Receivers start at a random phase of their interval. */
function startCluster(c: number, drawSeed: number): void {
  const base = c * receiverCount;
  for (let i = 0; i < receiverCount; i++) {
    drawBase[base + i] = keyedBase(drawSeed, base + i);
    heldLength[base + i] = NONE;
    heldLastModifiedUs[base + i] = -1;
    nextPollUs[base + i] = Math.round(draw(base + i) * POLL_INTERVAL_US);
  }
  const places = Array.from({ length: receiverCount }, (_, i) => i);
  places.sort((a, b) => ((nextPollUs[base + a] as number) - (nextPollUs[base + b] as number)) || (a - b));
  for (let k = 0; k < receiverCount; k++) pollOrder[base + k] = places[k] as number;
}

/** Cluster c's polls and the answers they bring, in time order (a poll before an answer of its time), before untilUs. */
function runCluster(c: number, untilUs: number): void {
  const base = c * receiverCount;
  for (;;) {
    const i = pollOrder[base + (pollHead[c] as number)] as number;
    const pollUs = nextPollUs[base + i] as number;
    const a = answerHead[c] as number;
    const answerUs = a === NONE ? Infinity : (answerAtUs[a] as number);
    const t = nextTransition[c] as number;
    if (t < (transitionFirst[c + 1] as number) && (transitionAtUs[t] as number) <= Math.min(pollUs, answerUs)) {
      const atUs = transitionAtUs[t] as number;
      if (atUs >= untilUs) return;
      nextTransition[c] = t + 1;
      const place = transitionPlace[t] as number;
      setRunning(c, atUs, place, running[base + place] === 0);
      continue;
    }
    if (pollUs <= answerUs) {
      if (pollUs >= untilUs) return;
      poll(c, pollUs, i);
      requeueFirst(c, i);
      continue;
    }
    if (answerUs >= untilUs) return;
    answerHead[c] = answerNext[a] as number;
    if (answerHead[c] === NONE) answerTail[c] = NONE;
    const kind = answerKind[a] as number;
    const requestId = answerRequestId[a] as number;
    const length = answerLength[a] as number;
    answerNext[a] = answerFree;
    answerFree = a;
    if (kind === ANSWER_ROOT) rootAnswered(c, answerUs, length);
    else fileAnswered(c, answerUs, requestId);
  }
}

const drawSeed = new RandomStreams(SEED).keyedSeed(RECEIVER_DRAWS_LABEL);
for (let c = 0; c < clusterCount; c++) startCluster(c, drawSeed);
const startNs = process.hrtime.bigint();
// Items at the run's last microsecond run too, as the engine bench's do.
const endUs = runUs + 1;
let activations = 0;
for (let boundaryUs = Math.min(epochUs, endUs); ; boundaryUs = Math.min(boundaryUs + epochUs, endUs)) {
  for (let c = 0; c < clusterCount; c++) runCluster(c, boundaryUs);
  activations += clusterCount;
  if (boundaryUs === endUs) break;
}
flushInstalls();
const wallS = Number(process.hrtime.bigint() - startNs) / 1e9;
console.log(JSON.stringify({
  bench: 'cluster-floor', mode, ground: flags.groundName, clusters: clusterCount, receiversPerCluster: receiverCount, hours,
  wallS, wallPerHourS: wallS / hours, activations, exchanges, installs,
  peakRssMiB: process.resourceUsage().maxRSS / 1024,
  ...(fingerprint === null ? {} : { fingerprint: fingerprint.toString() }),
}));
