// What the cluster engine bench (cluster-engine.ts) and its floor (cluster-floor.ts) both simulate: one SP's log
// growing at the paper replay's submission rate over 2,000 files, clusters of Receivers polling it through their
// caches, and an upstream that answers every request a fixed trip later. Shared so that the two run the same work.
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
export const LAN_RTT_US = 200;
export const LAN_BYTES_PER_S = 125_000_000;
export const SEED = 1;
/** The label of the Receivers' keyed draws (RandomStreams.keyedSeed). */
export const RECEIVER_DRAWS_LABEL = 'receivers';

/** The log, and the time each of its entries was made. */
export interface BenchLog {
  /** For each length, the view of the log an SP hands out (one object per length, as an SP's views are shared). */
  readonly views: readonly SnapshotView[];
  /** timesUs[k]: when entry k was appended. */
  readonly timesUs: readonly number[];
}

/** The log of runUs microseconds of submissions. */
export function buildBenchLog(runUs: number): BenchLog {
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
