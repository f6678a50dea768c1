// The Receivers of one cluster for the engine (engine.ts): Receiver's state (src/acms/receiver.ts) as
// parallel arrays indexed by the Receiver's place in its cluster. The poll timeline, installed versions and
// the diff walk are hot; the pending-file bookkeeping is sparse (a few files while a fetch is under way).
import { keyedUniform } from '../../kernel/random.js';
import type { SnapshotLogEntry, SnapshotView } from '../../acms/snapshot.js';
import type { ClusterReceiverSettings } from './port.js';
import { PendingFileTable } from './pending-files.js';

const NONE = -Infinity;

export class ClusterReceivers {
  readonly running: Uint8Array;
  /** The next poll's time; Infinity while stopped. */
  readonly nextPollUs: Float64Array;
  /** The last-modified time of the root index held (If-Modified-Since), -1 before the first. */
  readonly sinceUs: Float64Array;
  /** The origin SP of the root index held (IndexGetMessage.heldOriginSp), -1 before the first. */
  readonly sinceOriginSp: Int32Array;
  /** The newest installed version per (Receiver, file): installedKey[i * fileCount + fileId]. */
  readonly installedKey: Float64Array;
  private readonly viewLog: (readonly SnapshotLogEntry[] | null)[];
  private readonly viewLength: Int32Array;
  /** Files each Receiver wants but has not installed: requested, or failed and to be asked for again. */
  readonly pending: PendingFileTable;
  /** Draws each Receiver has made. */
  private readonly draws: Int32Array;
  /**
   * Receivers ordered by (next poll, index) in a binary heap: pollHeap[0] polls first; heapPosition[i] is i's place.
   * Hot path: one poll moves one entry, in O(log n) instead of a scan of the cluster.
   */
  private readonly pollHeap: Int32Array;
  private readonly heapPosition: Int32Array;
  /** Diff-walk marks: seen[fileId] === walk once the walk has passed the file (no clearing between walks). */
  private readonly seen: Uint32Array;
  private walk = 0;
  /** What changedFiles found (one entry per file at most). */
  readonly changedFileId: Int32Array;
  readonly changedKey: Float64Array;
  readonly changedSizeBytes: Float64Array;

  constructor(
    readonly count: number,
    readonly fileCount: number,
    /** Receiver i's k-th draw is keyedUniform(drawSeed, firstDrawKey + i, k) (the reference's keyedRng). */
    private readonly drawSeed: number,
    private readonly firstDrawKey: number,
    private readonly settings: ClusterReceiverSettings,
  ) {
    if (settings.pollIntervalUs <= 0) throw new RangeError(`pollIntervalUs must be positive, got ${settings.pollIntervalUs}`);
    if (settings.pollJitter < 0 || settings.pollJitter >= 1) throw new RangeError(`pollJitter must be in [0, 1), got ${settings.pollJitter}`);
    this.running = new Uint8Array(count);
    this.nextPollUs = new Float64Array(count).fill(Infinity);
    this.sinceUs = new Float64Array(count).fill(-1);
    this.sinceOriginSp = new Int32Array(count).fill(-1);
    this.installedKey = new Float64Array(count * fileCount).fill(NONE);
    this.viewLog = new Array<readonly SnapshotLogEntry[] | null>(count).fill(null);
    this.viewLength = new Int32Array(count);
    this.pending = new PendingFileTable(count);
    this.seen = new Uint32Array(fileCount);
    this.changedFileId = new Int32Array(fileCount);
    this.changedKey = new Float64Array(fileCount);
    this.changedSizeBytes = new Float64Array(fileCount);
    this.draws = new Int32Array(count);
    this.pollHeap = new Int32Array(count);
    this.heapPosition = new Int32Array(count);
    for (let i = 0; i < count; i++) {
      this.pollHeap[i] = i;
      this.heapPosition[i] = i;
    }
  }

  /** A (re)started Receiver first polls at a random phase of its interval, so a fleet does not poll in lockstep. */
  start(nowUs: number, i: number): void {
    this.running[i] = 1;
    this.setNextPoll(i, nowUs + Math.round(this.draw(i) * this.settings.pollIntervalUs));
  }

  /** Answers to requests in flight will not reach a stopped server: it asks again after the restart. */
  stop(i: number): void {
    this.running[i] = 0;
    this.setNextPoll(i, Infinity);
    this.lostConnections(i);
  }

  /** Every request Receiver i has in flight failed (its server stopped, or the cache went down): ask again. */
  lostConnections(i: number): void {
    this.pending.markAllFailed(i);
  }

  /** push: Receiver i was told its cache's index changed; it polls now (a stopped one is not told). */
  pollNow(nowUs: number, i: number): void {
    if (this.running[i] === 1) this.setNextPoll(i, nowUs);
  }

  chooseNextPoll(nowUs: number, i: number): void {
    const jitter = (2 * this.draw(i) - 1) * this.settings.pollJitter;
    this.setNextPoll(i, nowUs + Math.round(this.settings.pollIntervalUs * (1 + jitter)));
  }

  private draw(i: number): number {
    const index = this.draws[i] as number;
    this.draws[i] = index + 1;
    return keyedUniform(this.drawSeed, this.firstDrawKey + i, index);
  }

  /** The Receiver with the earliest poll (the lowest index among equals), or -1 when none is running. */
  earliestPoll(): number {
    if (this.count === 0) return -1;
    const first = this.pollHeap[0] as number;
    return this.nextPollUs[first] === Infinity ? -1 : first;
  }

  private setNextPoll(i: number, atUs: number): void {
    const before = this.nextPollUs[i] as number;
    this.nextPollUs[i] = atUs;
    if (atUs < before) this.siftUp(this.heapPosition[i] as number);
    else if (atUs > before) this.siftDown(this.heapPosition[i] as number);
  }

  private before(a: number, b: number): boolean {
    const aUs = this.nextPollUs[a] as number;
    const bUs = this.nextPollUs[b] as number;
    return aUs < bUs || (aUs === bUs && a < b);
  }

  private place(position: number, i: number): void {
    this.pollHeap[position] = i;
    this.heapPosition[i] = position;
  }

  private siftUp(position: number): void {
    const heap = this.pollHeap;
    const i = heap[position] as number;
    let at = position;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      const above = heap[parent] as number;
      if (!this.before(i, above)) break;
      this.place(at, above);
      at = parent;
    }
    this.place(at, i);
  }

  private siftDown(position: number): void {
    const heap = this.pollHeap;
    const count = this.count;
    const i = heap[position] as number;
    let at = position;
    for (;;) {
      const left = 2 * at + 1;
      if (left >= count) break;
      const right = left + 1;
      let child = left;
      if (right < count && this.before(heap[right] as number, heap[left] as number)) child = right;
      const below = heap[child] as number;
      if (!this.before(below, i)) break;
      this.place(at, below);
      at = child;
    }
    this.place(at, i);
  }

  // ---- the index held, and diff walks ----

  /** Whether the cache's index (view, with lastModifiedUs) would be answered "not modified" to Receiver i. */
  holdsCurrent(i: number, view: SnapshotView, lastModifiedUs: number): boolean {
    return view.originSp === this.sinceOriginSp[i] && lastModifiedUs <= (this.sinceUs[i] as number);
  }

  /** Where a diff against view starts: after what Receiver i holds of the same log, or at 0 for another log. */
  diffStart(i: number, view: SnapshotView): number {
    const length = this.viewLength[i] as number;
    return this.viewLog[i] === view.log && length <= view.length ? length : 0;
  }

  holdView(i: number, view: SnapshotView): void {
    this.viewLog[i] = view.log;
    this.viewLength[i] = view.length;
    this.sinceUs[i] = view.lastModifiedUs;
    this.sinceOriginSp[i] = view.originSp;
  }

  /** Starts a diff walk (backwards over a log: the first entry met of a file is the one its sub-index lists). */
  startWalk(): number {
    this.walk++;
    if (this.walk === 0xffffffff) {
      this.seen.fill(0);
      this.walk = 1;
    }
    return this.walk;
  }

  /**
   * The files whose newest version listed in view (beyond what Receiver i holds of the same log) is newer than the
   * one it installed, newest first as the sub-indexes list them: written to changedFileId/changedKey/changedSizeBytes,
   * returns how many. Hot path: one backwards walk, no allocation.
   */
  changedFiles(i: number, view: SnapshotView): number {
    const log = view.log;
    const start = this.diffStart(i, view);
    const walk = this.startWalk();
    const installedBase = i * this.fileCount;
    let count = 0;
    for (let k = view.length - 1; k >= start; k--) {
      const entry = log[k] as SnapshotLogEntry;
      const fileId = entry.fileId;
      if (!this.firstInWalk(fileId, walk)) continue;
      if (entry.versionKey <= (this.installedKey[installedBase + fileId] as number)) continue;
      this.changedFileId[count] = fileId;
      this.changedKey[count] = entry.versionKey;
      this.changedSizeBytes[count] = entry.sizeBytes;
      count++;
    }
    return count;
  }

  /** True the first time this walk meets fileId. */
  firstInWalk(fileId: number, walk: number): boolean {
    if (this.seen[fileId] === walk) return false;
    this.seen[fileId] = walk;
    return true;
  }

  // ---- installs and pending files ----

  /** Installs a version unless an equal or newer one is installed; returns the version it replaces, or null. */
  install(i: number, fileId: number, versionKey: number): number | null {
    const slot = i * this.fileCount + fileId;
    const previousKey = this.installedKey[slot] as number;
    if (versionKey <= previousKey) return null;
    this.installedKey[slot] = versionKey;
    if (this.pending.count[i] !== 0) {
      const entry = this.pending.find(i, fileId);
      if (entry >= 0 && this.pending.versionKeyOf(entry) <= versionKey) this.pending.remove(i, entry);
    }
    return previousKey;
  }

  hasPending(i: number): boolean {
    return this.pending.count[i] !== 0;
  }

  pendingKeyOf(i: number, fileId: number): number | undefined {
    if (this.pending.count[i] === 0) return undefined;
    const entry = this.pending.find(i, fileId);
    return entry < 0 ? undefined : this.pending.versionKeyOf(entry);
  }

  pendingSizeOf(i: number, fileId: number): number {
    const entry = this.pending.find(i, fileId);
    return entry < 0 ? 0 : this.pending.sizeBytesOf(entry);
  }

  setPending(i: number, fileId: number, versionKey: number, sizeBytes: number): void {
    this.pending.set(i, fileId, versionKey, sizeBytes);
  }

  /** The request for the wanted version failed: ask again on the next poll (if nothing newer came meanwhile). */
  markFailed(i: number, fileId: number, versionKey: number): void {
    const entry = this.pending.find(i, fileId);
    if (entry < 0 || this.pending.versionKeyOf(entry) !== versionKey) return;
    this.pending.markFailed(i, entry);
  }

  /** The files to ask for again at this poll, in the order they failed (and forgets them), or null. */
  takeFailed(i: number): number[] | null {
    if (this.pending.failedCount[i] === 0) return null;
    return this.pending.takeFailed(i);
  }
}
