// The Receivers of one cluster for the engine (engine.ts): Receiver's state (src/acms/receiver.ts) as
// parallel arrays indexed by the Receiver's place in its cluster. The poll timeline, installed versions and
// the diff walk are hot; the pending-file bookkeeping is sparse (a few files while a fetch is under way).
//
// A Receiver's installed versions are not kept per file: they are what the index it holds lists (its position in
// an SP's log, log-index.ts), except for the files where they differ (a version still being fetched, a failed
// download, or, after a switch to another SP's log, a version that log lists differently), kept as exceptions.
// A fleet of 1,000,000 servers with 2,000 files would otherwise need 16 GB for one version key per (server, file).
import { keyedBase, keyedDraw } from '../../kernel/random.js';
import type { SnapshotLogEntry, SnapshotView } from '../../acms/snapshot.js';
import type { ClusterReceiverSettings } from './port.js';
import { PendingFileTable } from './pending-files.js';
import { NO_VERSION, type ChangedFiles, type LogIndex, type LogIndexes, type WalkMarks } from './log-index.js';
import { grownFloat64, grownInt32, TypedArena } from '../../kernel/typed-arrays.js';
import { InstalledExceptions } from './installed-exceptions.js';

export class ClusterReceivers {
  readonly running: Uint8Array;
  /** The next poll's time; Infinity while stopped. */
  readonly nextPollUs: Float64Array;
  /** The last-modified time of the root index held (If-Modified-Since), -1 before the first. */
  readonly sinceUs: Float64Array;
  /** Each Receiver's LAN round trip to its cluster cache (ClusterSpec.lanRttUs), for the install's closed form. */
  readonly lanRttUs: Float64Array;
  private readonly pollIntervalUs: number;
  private readonly pollJitter: number;
  /** The origin SP of the root index held (IndexGetMessage.heldOriginSp), -1 before the first. */
  readonly sinceOriginSp: Int32Array;
  /** The log of the index each Receiver holds (null before its first), and how much of it. */
  private readonly viewIndex: (LogIndex | null)[];
  private readonly viewLength: Int32Array;
  /** The installed versions that are not what the Receiver's index lists (the files of versions being fetched, mostly). */
  private readonly exceptions: InstalledExceptions;
  /** The log index asked for last (indexOf). */
  private lastIndex: LogIndex | null = null;
  /** Files each Receiver wants but has not installed: requested, or failed and to be asked for again. */
  readonly pending: PendingFileTable;
  /** Draws each Receiver has made. */
  private readonly draws: Int32Array;
  /**
   * keyedBase(drawSeed, firstDrawKey + i): the half of Receiver i's draws that depends on the Receiver alone, kept
   * (as a signed 32-bit integer: keyedDraw reduces modulo 2^32). Hot path: a draw at every poll.
   */
  private readonly drawBase: Int32Array;
  /**
   * Receivers ordered by (next poll, index) in a binary heap: pollHeap[0] polls first; heapPosition[i] is i's place.
   * Hot path: one poll moves one entry, in O(log n) instead of a scan of the cluster.
   */
  private readonly pollHeap: Int32Array;
  private readonly heapPosition: Int32Array;
  /** Diff-walk marks, shared by every cluster. */
  private readonly walks: WalkMarks;
  /**
   * What the last diff walk found (changedFiles, takeIndex), shared by every cluster: the changed files, and for
   * takeIndex the version installed of each and whether it is already an exception. takeIndex leaves a changed file's
   * exception to its caller (keepInstalled or installListed): most are installed at once from the cache, and an
   * exception made only to be taken back was two list changes per install.
   */
  readonly changed: ChangedFiles;

  constructor(
    readonly count: number,
    readonly fileCount: number,
    /** Receiver i's k-th draw is keyedUniform(drawSeed, firstDrawKey + i, k) (the reference's keyedRng). */
    drawSeed: number,
    firstDrawKey: number,
    settings: ClusterReceiverSettings,
    private readonly logIndexes: LogIndexes,
    lanRttUs: Float64Array,
  ) {
    if (settings.pollIntervalUs <= 0) throw new RangeError(`pollIntervalUs must be positive, got ${settings.pollIntervalUs}`);
    if (settings.pollJitter < 0 || settings.pollJitter >= 1) throw new RangeError(`pollJitter must be in [0, 1), got ${settings.pollJitter}`);
    // Every per-Receiver array of the cluster in one buffer: a cluster's activation touches most of them, and apart
    // they were as many cache misses (hot path: clusters are activated in time order, at random in memory).
    this.pollIntervalUs = settings.pollIntervalUs;
    this.pollJitter = settings.pollJitter;
    const arena = new TypedArena(3 * TypedArena.bytesFor(count, 8) + 6 * TypedArena.bytesFor(count, 4) + TypedArena.bytesFor(count, 1)
      + InstalledExceptions.arenaBytes(count) + PendingFileTable.arenaBytes(count));
    this.nextPollUs = arena.float64(count).fill(Infinity);
    this.sinceUs = arena.float64(count).fill(-1);
    this.lanRttUs = arena.float64(count);
    this.lanRttUs.set(lanRttUs.subarray(0, count));
    this.sinceOriginSp = arena.int32(count).fill(-1);
    this.viewLength = arena.int32(count);
    this.draws = arena.int32(count);
    this.drawBase = arena.int32(count);
    for (let i = 0; i < count; i++) this.drawBase[i] = keyedBase(drawSeed, firstDrawKey + i);
    this.pollHeap = arena.int32(count);
    this.heapPosition = arena.int32(count);
    this.running = arena.uint8(count);
    this.viewIndex = new Array<LogIndex | null>(count).fill(null);
    this.exceptions = new InstalledExceptions(count, arena);
    this.pending = new PendingFileTable(count, arena);
    this.walks = logIndexes.walks;
    this.changed = logIndexes.changed;
    for (let i = 0; i < count; i++) {
      this.pollHeap[i] = i;
      this.heapPosition[i] = i;
    }
  }

  /** A (re)started Receiver first polls at a random phase of its interval, so a fleet does not poll in lockstep. */
  start(nowUs: number, i: number): void {
    this.running[i] = 1;
    this.setNextPoll(i, nowUs + Math.round(this.draw(i) * this.pollIntervalUs));
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
    const jitter = (2 * this.draw(i) - 1) * this.pollJitter;
    this.setNextPoll(i, nowUs + Math.round(this.pollIntervalUs * (1 + jitter)));
  }

  private draw(i: number): number {
    const index = this.draws[i] as number;
    this.draws[i] = index + 1;
    return keyedDraw(this.drawBase[i] as number, index);
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
    return this.extendsHeld(i, view) ? (this.viewLength[i] as number) : 0;
  }

  /** Whether view is the log of the index Receiver i holds, no shorter than what it holds. */
  private extendsHeld(i: number, view: SnapshotView): boolean {
    return this.viewIndex[i]?.log === view.log && (this.viewLength[i] as number) <= view.length;
  }

  /** The index of log: the one asked for last, usually (the Receivers of a cluster mostly hold one SP's log). */
  private indexOf(log: readonly SnapshotLogEntry[]): LogIndex {
    if (this.lastIndex?.log !== log) this.lastIndex = this.logIndexes.of(log);
    return this.lastIndex;
  }

  /**
   * Receiver i takes its first index, or one of another log (its cache switched SPs), or a shorter one of its own. Its
   * installed versions do not change: where the new index lists otherwise they become exceptions, and where it now
   * lists them they stop being ones. Every file either index lists is looked at again. A cache whose parent is
   * overloaded flips between SPs often, so this is kept tight.
   */
  private switchLog(i: number, view: SnapshotView): void {
    const index = this.indexOf(view.log);
    const length = view.length;
    index.extendTo(length);
    const scratch = this.logIndexes.switchScratch;
    const before = scratch.versionKeys;
    const files = scratch.fileIds;
    const exceptions = this.exceptions;
    const held = this.viewIndex[i] as LogIndex | null;
    const heldLength = held === null ? 0 : (this.viewLength[i] as number);
    // The files either index lists, and those installed otherwise: no other file is installed or listed. Found from
    // the logs while they are shorter than the list of files (early in a run), else all files.
    let fileCount = 0;
    if (heldLength + length + (exceptions.count[i] as number) < this.fileCount) {
      const walks = this.walks;
      const walk = walks.start();
      for (let k = 0; k < heldLength; k++) {
        const fileId = (held as LogIndex).fileIdAt(k);
        if (walks.first(fileId, walk)) files[fileCount++] = fileId;
      }
      for (let k = 0; k < length; k++) {
        const fileId = index.fileIdAt(k);
        if (walks.first(fileId, walk)) files[fileCount++] = fileId;
      }
      for (let entry = exceptions.firstOf(i); entry >= 0; entry = exceptions.nextOf(entry)) {
        const fileId = exceptions.fileIdOf(entry);
        if (walks.first(fileId, walk)) files[fileCount++] = fileId;
      }
    } else {
      for (let fileId = 0; fileId < this.fileCount; fileId++) files[fileCount++] = fileId;
    }
    for (let f = 0; f < fileCount; f++) {
      const fileId = files[f] as number;
      before[f] = exceptions.get(i, fileId, held === null ? NO_VERSION : held.listedAt(fileId, heldLength));
    }
    exceptions.clear(i);
    this.viewIndex[i] = index;
    this.viewLength[i] = length;
    for (let f = 0; f < fileCount; f++) {
      const fileId = files[f] as number;
      const installedKey = before[f] as number;
      if (installedKey !== index.listedAt(fileId, length)) exceptions.add(i, fileId, installedKey);
    }
    this.sinceUs[i] = view.lastModifiedUs;
    this.sinceOriginSp[i] = view.originSp;
  }

  /** The version of fileId Receiver i has installed (NO_VERSION for none). */
  installedOf(i: number, fileId: number): number {
    return this.exceptions.get(i, fileId, this.listedOf(i, fileId));
  }

  /** What the index Receiver i holds lists for fileId (NO_VERSION before its first index). */
  private listedOf(i: number, fileId: number): number {
    const index = this.viewIndex[i] as LogIndex | null;
    return index === null ? NO_VERSION : index.listedAt(fileId, this.viewLength[i] as number);
  }

  /** Records installedKey as (Receiver i, fileId)'s installed version, where its index lists listedKey. */
  private setException(i: number, fileId: number, installedKey: number, listedKey: number): void {
    if (installedKey === listedKey) this.exceptions.delete(i, fileId);
    else this.exceptions.set(i, fileId, installedKey);
  }

  /**
   * Receiver i diffs view (changedFiles) and holds it from then on, keeping its installed versions. Where its index is
   * a prefix of view's log (a poll that finds the index grown, the common case) both are one walk over the new
   * entries: each file met is compared with what i installed and, keeping that, moved to what view lists. Hot path.
   * Each changed file c must then be settled by keepInstalled(i, c) or installListed(i, c) before anything else reads
   * or changes what i installed of it.
   */
  takeIndex(i: number, view: SnapshotView): number {
    const index = this.viewIndex[i] as LogIndex | null;
    if (index === null || !this.extendsHeld(i, view)) {
      const changed = this.changedFiles(i, view);
      this.switchLog(i, view);
      // The switch has kept every installed version that the new index lists otherwise as an exception.
      for (let c = 0; c < changed; c++) this.changed.hadException[c] = 1;
      return changed;
    }
    index.extendTo(view.length);
    const start = this.viewLength[i] as number;
    const exceptions = this.exceptions;
    const walks = this.walks;
    const walk = walks.start();
    const out = this.changed;
    let count = 0;
    for (let k = view.length - 1; k >= start; k--) {
      const fileId = index.fileIdAt(k);
      if (!walks.first(fileId, walk)) continue;
      const versionKey = index.versionKeyAt(k);
      const listedKey = index.listedBefore(k, start);
      const installedKey = exceptions.get(i, fileId, listedKey);
      if (versionKey <= installedKey) {
        this.setException(i, fileId, installedKey, versionKey);
        continue;
      }
      out.ensure(count + 1);
      out.fileId[count] = fileId;
      out.versionKey[count] = versionKey;
      out.sizeBytes[count] = (view.log[k] as SnapshotLogEntry).sizeBytes;
      out.installedKey[count] = installedKey;
      out.hadException[count] = installedKey === listedKey ? 0 : 1;
      count++;
    }
    this.viewLength[i] = view.length;
    this.sinceUs[i] = view.lastModifiedUs;
    this.sinceOriginSp[i] = view.originSp;
    return count;
  }

  /**
   * The files whose newest version listed in view (beyond what Receiver i holds of the same log) is newer than the
   * one it installed, newest first as the sub-indexes list them: written to `changed` (with the version installed of
   * each), returns how many. Hot path: one backwards walk, no allocation.
   */
  changedFiles(i: number, view: SnapshotView): number {
    // Another log: a walk over all of it (below), or while it is longer than the list of files, a pass over the files.
    if (view.length > this.fileCount && this.viewIndex[i] !== null && !this.extendsHeld(i, view)) return this.changedFilesAcrossLogs(i, view);
    const log = view.log;
    const start = this.diffStart(i, view);
    // Same log, no exceptions: what i has installed of an entry's file is what its own position lists, found by
    // stepping back from the entry. Otherwise asked file by file.
    const index = this.viewIndex[i] as LogIndex | null;
    const plain = this.viewIndex[i] !== null && this.exceptions.count[i] === 0 && this.extendsHeld(i, view);
    if (plain) (index as LogIndex).extendTo(view.length);
    const walks = this.walks;
    const walk = walks.start();
    const out = this.changed;
    let count = 0;
    for (let k = view.length - 1; k >= start; k--) {
      const entry = log[k] as SnapshotLogEntry;
      const fileId = entry.fileId;
      if (!walks.first(fileId, walk)) continue;
      const installedKey = plain ? (index as LogIndex).listedBefore(k, start) : this.installedOf(i, fileId);
      if (entry.versionKey <= installedKey) continue;
      out.ensure(count + 1);
      out.fileId[count] = fileId;
      out.versionKey[count] = entry.versionKey;
      out.sizeBytes[count] = entry.sizeBytes;
      out.installedKey[count] = installedKey;
      count++;
    }
    return count;
  }

  /**
   * changedFiles for a view of another log than Receiver i holds, longer than the list of files: the same files in the same order (by their last
   * entry in view, newest first, as a backwards walk over the whole log meets them), found by one pass over the
   * files and a sort of the positions of the changed ones.
   */
  private changedFilesAcrossLogs(i: number, view: SnapshotView): number {
    const index = this.indexOf(view.log);
    const log = view.log;
    const positions = this.logIndexes.switchScratch.positions;
    let changed = 0;
    for (let fileId = 0; fileId < this.fileCount; fileId++) {
      const k = index.lastEntryBefore(fileId, view.length);
      if (k >= 0 && (log[k] as SnapshotLogEntry).versionKey > this.installedOf(i, fileId)) positions[changed++] = k;
    }
    positions.subarray(0, changed).sort();
    const out = this.changed;
    out.ensure(changed);
    for (let c = 0; c < changed; c++) {
      const entry = log[positions[changed - 1 - c] as number] as SnapshotLogEntry;
      out.fileId[c] = entry.fileId;
      out.versionKey[c] = entry.versionKey;
      out.sizeBytes[c] = entry.sizeBytes;
      out.installedKey[c] = this.installedOf(i, entry.fileId);
    }
    return changed;
  }

  /** takeIndex's changed file c keeps the version installed (it is fetched, or waited for): an exception. */
  keepInstalled(i: number, c: number): void {
    this.exceptions.set(i, this.changed.fileId[c] as number, this.changed.installedKey[c] as number);
  }

  /**
   * takeIndex's changed file c is installed at the version the new index lists (the cache holds it): what install does,
   * without looking up what is listed and installed, which takeIndex found. replacedKey is the version it replaces.
   */
  installListed(i: number, c: number): void {
    const changed = this.changed;
    const fileId = changed.fileId[c] as number;
    if (changed.hadException[c] === 1) this.exceptions.delete(i, fileId);
    this.replacedKey = changed.installedKey[c] as number;
    this.forgetPendingUpTo(i, fileId, changed.versionKey[c] as number);
  }

  // ---- installs and pending files ----

  /** The version the last install replaced (install). */
  replacedKey = NO_VERSION;

  /**
   * Installs a version unless an equal or newer one is installed; the version it replaces is then replacedKey. A
   * number or null returned here was a boxed number per install.
   */
  install(i: number, fileId: number, versionKey: number): boolean {
    const listedKey = this.listedOf(i, fileId);
    const previousKey = this.exceptions.get(i, fileId, listedKey);
    if (versionKey <= previousKey) return false;
    this.replacedKey = previousKey;
    this.setException(i, fileId, versionKey, listedKey);
    this.forgetPendingUpTo(i, fileId, versionKey);
    return true;
  }

  /** Receiver i no longer waits for fileId if what it waits for is versionKey or older. */
  private forgetPendingUpTo(i: number, fileId: number, versionKey: number): void {
    if (this.pending.count[i] === 0) return;
    const entry = this.pending.find(i, fileId);
    if (entry >= 0 && this.pending.versionKeyOf(entry) <= versionKey) this.pending.remove(i, entry);
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
