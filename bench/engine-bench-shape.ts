// What the cluster engine bench (cluster-engine.ts) and its floor (cluster-floor.ts) both simulate: one SP's log
// growing at the paper replay's submission rate over 2,000 files, clusters of Receivers polling it through their
// caches, and an upstream that answers every request a fixed trip later. Shared so that the two run the same work.
// With `large` an eighth of the files are large, and their answers take longer than a poll interval: a Receiver then
// takes new indexes while it waits for a file (the out-of-step files of the engine's exceptions and pending fetches),
// as it does in the replay whenever a bulk transfer is under way. With `hot` as well, the submissions go to 40 files
// only, so that a file often changes again while a Receiver waits for it, and an older version's answer can come
// after a newer one is wanted. With `outages`, each Receiver is down now and then (its edge server's outage), far more
// often than the paper replay's 30 days between outages, so that the runs meet them.
import { keyedUniform } from '../src/kernel/random.js';
import { Snapshot, type SnapshotView } from '../src/acms/snapshot.js';

/** The paper replay's shape (bench/replay.ts, base.yaml): 14,276 versions in 48 h over 2,000 files, 30 s polls and TTLs. */
export const SUBMISSIONS_PER_HOUR = 14_276 / 48;
export const FILE_COUNT = 2_000;
export const POLL_INTERVAL_US = 30_000_000;
export const POLL_JITTER = 0.1;
export const INDEX_TTL_US = 30_000_000;
/** An answer arrives this long after its request (about a round trip within a continent): it only shifts install times. */
export const ANSWER_TRIP_US = 20_000;
export const SMALL_FILE_BYTES = 1_000;
/** On the `large` ground: every LARGE_FILE_EVERY-th file is this large, and the upstream sends it at UPSTREAM_BYTES_PER_S. */
export const LARGE_FILE_BYTES = 4_000_000;
export const LARGE_FILE_EVERY = 8;
/** 1 Mbit/s: a large file's answer takes 32 s, longer than a poll interval (27-33 s), and shorter than its deadline (90 s). */
export const UPSTREAM_BYTES_PER_S = 125_000;
export const LAN_RTT_US = 200;
export const LAN_BYTES_PER_S = 125_000_000;
export const SEED = 1;
/** The label of the Receivers' keyed draws (RandomStreams.keyedSeed). */
export const RECEIVER_DRAWS_LABEL = 'receivers';

/** With `hot`, the files the submissions go to. */
export const HOT_FILE_COUNT = 40;

/** With `outages`: a Receiver's times up and down, exponential with these means, drawn per Receiver. */
export const OUTAGE_MTBF_US = 7_200_000_000;
export const OUTAGE_MTTR_US = 600_000_000;
const OUTAGE_SEED = 7;

/** What the bench runs on: every file small by default; an eighth of them large; the submissions over 40 files only; outages. */
export interface BenchGround {
  readonly largeFiles: boolean;
  readonly hotFiles: boolean;
  readonly outages: boolean;
}

const FLAGS = ['fingerprint', 'large', 'hot', 'outages'];

/** The bench's options after its positional arguments, in any order: `fingerprint`, and the ground's `large` and `hot`. */
export function benchFlags(args: readonly string[]): { fingerprint: boolean; ground: BenchGround; groundName: string } {
  for (const arg of args) {
    if (!FLAGS.includes(arg)) throw new RangeError(`unknown option ${arg}: expected one of ${FLAGS.join(', ')}`);
  }
  const ground = { largeFiles: args.includes('large'), hotFiles: args.includes('hot'), outages: args.includes('outages') };
  const groundName = [ground.largeFiles ? 'large' : 'small', ...(ground.hotFiles ? ['hot'] : []), ...(ground.outages ? ['outages'] : [])].join('+');
  return { fingerprint: args.includes('fingerprint'), ground, groundName };
}

function fileSizeBytes(fileId: number, ground: BenchGround): number {
  return ground.largeFiles && fileId % LARGE_FILE_EVERY === 0 ? LARGE_FILE_BYTES : SMALL_FILE_BYTES;
}

/** How long after its request a file's answer arrives: the trip, and a large file's bytes at the upstream's rate. */
export function fileAnswerTripUs(sizeBytes: number): number {
  return sizeBytes > SMALL_FILE_BYTES ? ANSWER_TRIP_US + Math.round((sizeBytes * 1e6) / UPSTREAM_BYTES_PER_S) : ANSWER_TRIP_US;
}

/** A cluster's outage transitions, in the order both benches run them: by time, then by the Receiver's place. */
export interface ClusterOutages {
  readonly timesUs: readonly number[];
  /** The Receiver's place in its cluster; its transitions alternate, down first. */
  readonly places: readonly number[];
}

/** Cluster c's outage transitions before runUs (none unless ground.outages), its Receivers at rows c * receiverCount + i. */
export function clusterOutages(c: number, receiverCount: number, runUs: number, ground: BenchGround): ClusterOutages {
  const found: Array<[number, number]> = [];
  for (let i = 0; i < receiverCount; i++) for (const atUs of outageTransitionsUs(c * receiverCount + i, runUs, ground)) found.push([atUs, i]);
  found.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  return { timesUs: found.map(([atUs]) => atUs), places: found.map(([, i]) => i) };
}

/**
 * Receiver row r's outages before runUs (none unless ground.outages): it goes down at [0], up at [1], down at [2], ...,
 * in whole microseconds, each later than the one before.
 */
function outageTransitionsUs(r: number, runUs: number, ground: BenchGround): number[] {
  const timesUs: number[] = [];
  if (!ground.outages) return timesUs;
  let atUs = 0;
  for (let k = 0; ; k++) {
    const meanUs = k % 2 === 0 ? OUTAGE_MTBF_US : OUTAGE_MTTR_US;
    atUs += Math.max(1, Math.round(-Math.log(1 - keyedUniform(OUTAGE_SEED, r, k)) * meanUs));
    if (atUs > runUs) return timesUs;
    timesUs.push(atUs);
  }
}

/** The log, and the time each of its entries was made. */
export interface BenchLog {
  /** For each length, the view of the log an SP hands out (one object per length, as an SP's views are shared). */
  readonly views: readonly SnapshotView[];
  /** timesUs[k]: when entry k was appended. */
  readonly timesUs: readonly number[];
}

/** The log of runUs microseconds of submissions. */
export function buildBenchLog(runUs: number, ground: BenchGround): BenchLog {
  const snapshot = new Snapshot(0, 8, 0);
  const timesUs: number[] = [];
  let atUs = 0;
  for (let v = 1; atUs < runUs; v++) {
    atUs += Math.floor(keyedUniform(SEED, v, 0) * 2 * (3_600_000_000 / SUBMISSIONS_PER_HOUR));
    const fileId = Math.floor(keyedUniform(SEED, v, 1) * (ground.hotFiles ? HOT_FILE_COUNT : FILE_COUNT));
    if (snapshot.install(fileId, v, fileSizeBytes(fileId, ground), atUs)) timesUs.push(atUs);
  }
  const full = snapshot.view();
  const views: SnapshotView[] = [];
  for (let length = 0; length <= timesUs.length; length++) {
    const lastModifiedUs = length === 0 ? 0 : (full.log[length - 1]?.rootLastModifiedUs as number);
    views.push({ originSp: 0, log: full.log, length, lastModifiedUs });
  }
  return { views, timesUs };
}

/** How many entries the log had at atUs: the length of the view the upstream answers with. */
export function viewLengthAt(timesUs: ArrayLike<number>, atUs: number): number {
  let low = 0;
  let high = timesUs.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((timesUs[middle] as number) <= atUs) low = middle + 1;
    else high = middle;
  }
  return low;
}
