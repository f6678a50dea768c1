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
import type { PendingFileTable } from './pending-files.js';
import type { FleetTables } from './fleet-tables.js';
import { NO_VERSION, type ChangedFiles, type LogIndex, type LogIndexes, type WalkMarks } from './log-index.js';

/** One cluster's Receivers: places 0 to count - 1, at slots base to base + count - 1 of the fleet's tables. */
export class ClusterReceivers {
  private readonly pollIntervalUs: number;
  private readonly pollJitter: number;
  /** The first Receiver's slot in tables (also the first of the cluster cache's root waiters, engine.ts). */
  readonly base: number;
  /** Where the cluster's ring of places by next poll starts (FleetTables.pollOrder). */
  private pollHead = 0;
  /** The log index asked for last (indexOf). */
  private lastIndex: LogIndex | null = null;
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
    private readonly tables: FleetTables,
  ) {
    if (settings.pollIntervalUs <= 0) throw new RangeError(`pollIntervalUs must be positive, got ${settings.pollIntervalUs}`);
    if (settings.pollJitter < 0 || settings.pollJitter >= 1) throw new RangeError(`pollJitter must be in [0, 1), got ${settings.pollJitter}`);
    this.pollIntervalUs = settings.pollIntervalUs;
    this.pollJitter = settings.pollJitter;
    const base = tables.allocateReceivers(count);
    this.base = base;
    for (let i = 0; i < count; i++) {
      const r = base + i;
      tables.nextPollUs[r] = Infinity;
      tables.sinceUs[r] = -1;
      tables.lanRttUs[r] = lanRttUs[i] as number;
      tables.sinceOriginSp[r] = -1;
      tables.drawBase[r] = keyedBase(drawSeed, firstDrawKey + i);
      tables.pollOrder[r] = i;
      tables.orderSlot[r] = i;
    }
    this.walks = logIndexes.walks;
    this.changed = logIndexes.changed;
  }

  isRunning(i: number): boolean {
    return this.tables.running[this.base + i] === 1;
  }

  nextPollOf(i: number): number {
    return this.tables.nextPollUs[this.base + i] as number;
  }

  sinceOf(i: number): number {
    return this.tables.sinceUs[this.base + i] as number;
  }

  sinceOriginSpOf(i: number): number {
    return this.tables.sinceOriginSp[this.base + i] as number;
  }

  lanRttOf(i: number): number {
    return this.tables.lanRttUs[this.base + i] as number;
  }

  /** A (re)started Receiver first polls at a random phase of its interval, so a fleet does not poll in lockstep. */
  start(nowUs: number, i: number): void {
    this.tables.running[this.base + i] = 1;
    this.setNextPoll(i, nowUs + Math.round(this.draw(i) * this.pollIntervalUs));
  }

  /** Answers to requests in flight will not reach a stopped server: it asks again after the restart. */
  stop(i: number): void {
    this.tables.running[this.base + i] = 0;
    this.setNextPoll(i, Infinity);
    this.lostConnections(i);
  }

  /** Every request Receiver i has in flight failed (its server stopped, or the cache went down): ask again. */
  lostConnections(i: number): void {
    this.tables.pending.markAllFailed(this.base + i);
  }

  /** push: Receiver i was told its cache's index changed; it polls now (a stopped one is not told). */
  pollNow(nowUs: number, i: number): void {
    if (this.isRunning(i)) this.setNextPoll(i, nowUs);
  }

  chooseNextPoll(nowUs: number, i: number): void {
    const jitter = (2 * this.draw(i) - 1) * this.pollJitter;
    this.setNextPoll(i, nowUs + Math.round(this.pollIntervalUs * (1 + jitter)));
  }

  private draw(i: number): number {
    const tables = this.tables;
    const r = this.base + i;
    const index = tables.draws[r] as number;
    tables.draws[r] = index + 1;
    return keyedDraw(tables.drawBase[r] as number, index);
  }

  /** The Receiver with the earliest poll (the lowest place among equals), or -1 when none is running. */
  earliestPoll(): number {
    if (this.count === 0) return -1;
    const tables = this.tables;
    const first = tables.pollOrder[this.base + this.pollHead] as number;
    return tables.nextPollUs[this.base + first] === Infinity ? -1 : first;
  }

  /**
   * Receiver i's next poll is now atUs: it moves in the ring of places by (next poll, place). Hot path: the Receiver
   * that just polled was first and polls again a whole interval later, behind nearly every other: the ring turns by
   * one, which makes it last, and it moves forward past the few due after it (none or one or two).
   */
  private setNextPoll(i: number, atUs: number): void {
    const tables = this.tables;
    const base = this.base;
    const count = this.count;
    const before = tables.nextPollUs[base + i] as number;
    tables.nextPollUs[base + i] = atUs;
    if (atUs === before) return;
    let rank = (tables.orderSlot[base + i] as number) - this.pollHead;
    if (rank < 0) rank += count;
    if (atUs < before) {
      this.moveEarlier(i, atUs, rank);
    } else if (rank === 0) {
      // The first moves later: the ring turns by one, which makes it last, and it moves forward from there.
      this.pollHead = this.pollHead + 1 === count ? 0 : this.pollHead + 1;
      this.moveEarlier(i, atUs, count - 1);
    } else {
      this.moveLater(i, atUs, rank);
    }
  }

  /** Places i, now due at atUs, at rank or behind it: the entries after it that come first (by time, then place) move up one. */
  private moveLater(i: number, atUs: number, rank: number): void {
    const base = this.base;
    const count = this.count;
    const order = this.tables.pollOrder;
    const slots = this.tables.orderSlot;
    const pollUs = this.tables.nextPollUs;
    let at = this.pollHead + rank;
    if (at >= count) at -= count;
    for (let k = rank + 1; k < count; k++) {
      const next = at + 1 === count ? 0 : at + 1;
      const other = order[base + next] as number;
      const otherUs = pollUs[base + other] as number;
      if (!(otherUs < atUs || (otherUs === atUs && other < i))) break;
      order[base + at] = other;
      slots[base + other] = at;
      at = next;
    }
    order[base + at] = i;
    slots[base + i] = at;
  }

  /** Places i, now due at atUs, at rank or ahead of it: the entries before it that come after it move down one. */
  private moveEarlier(i: number, atUs: number, rank: number): void {
    const base = this.base;
    const count = this.count;
    const order = this.tables.pollOrder;
    const slots = this.tables.orderSlot;
    const pollUs = this.tables.nextPollUs;
    let at = this.pollHead + rank;
    if (at >= count) at -= count;
    for (let k = rank; k > 0; k--) {
      const previous = at === 0 ? count - 1 : at - 1;
      const other = order[base + previous] as number;
      const otherUs = pollUs[base + other] as number;
      if (!(otherUs > atUs || (otherUs === atUs && other > i))) break;
      order[base + at] = other;
      slots[base + other] = at;
      at = previous;
    }
    order[base + at] = i;
    slots[base + i] = at;
  }

  // ---- the index held, and diff walks ----

  /** Whether the cache's index (view, with lastModifiedUs) would be answered "not modified" to Receiver i. */
  holdsCurrent(i: number, view: SnapshotView, lastModifiedUs: number): boolean {
    const r = this.base + i;
    return view.originSp === this.tables.sinceOriginSp[r] && lastModifiedUs <= (this.tables.sinceUs[r] as number);
  }

  /** Where a diff against view starts: after what Receiver i holds of the same log, or at 0 for another log. */
  diffStart(i: number, view: SnapshotView): number {
    return this.extendsHeld(i, view) ? (this.tables.viewLength[this.base + i] as number) : 0;
  }

  /** Whether view is the log of the index Receiver i holds, no shorter than what it holds. */
  private extendsHeld(i: number, view: SnapshotView): boolean {
    const r = this.base + i;
    return this.tables.viewIndex[r]?.log === view.log && (this.tables.viewLength[r] as number) <= view.length;
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
    const tables = this.tables;
    const r = this.base + i;
    const index = this.indexOf(view.log);
    const length = view.length;
    index.extendTo(length);
    const scratch = this.logIndexes.switchScratch;
    const before = scratch.versionKeys;
    const files = scratch.fileIds;
    const exceptions = tables.exceptions;
    const held = tables.viewIndex[r] as LogIndex | null;
    const heldLength = held === null ? 0 : (tables.viewLength[r] as number);
    // The files either index lists, and those installed otherwise: no other file is installed or listed. Found from
    // the logs while they are shorter than the list of files (early in a run), else all files.
    let fileCount = 0;
    if (heldLength + length + (exceptions.count[r] as number) < this.fileCount) {
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
      for (let entry = exceptions.firstOf(r); entry >= 0; entry = exceptions.nextOf(entry)) {
        const fileId = exceptions.fileIdOf(entry);
        if (walks.first(fileId, walk)) files[fileCount++] = fileId;
      }
    } else {
      for (let fileId = 0; fileId < this.fileCount; fileId++) files[fileCount++] = fileId;
    }
    for (let f = 0; f < fileCount; f++) {
      const fileId = files[f] as number;
      before[f] = exceptions.get(r, fileId, held === null ? NO_VERSION : held.listedAt(fileId, heldLength));
    }
    exceptions.clear(r);
    tables.viewIndex[r] = index;
    tables.viewLength[r] = length;
    for (let f = 0; f < fileCount; f++) {
      const fileId = files[f] as number;
      const installedKey = before[f] as number;
      if (installedKey !== index.listedAt(fileId, length)) exceptions.add(r, fileId, installedKey);
    }
    tables.sinceUs[r] = view.lastModifiedUs;
    tables.sinceOriginSp[r] = view.originSp;
  }

  /** The version of fileId Receiver i has installed (NO_VERSION for none). */
  installedOf(i: number, fileId: number): number {
    return this.tables.exceptions.get(this.base + i, fileId, this.listedOf(i, fileId));
  }

  /** What the index Receiver i holds lists for fileId (NO_VERSION before its first index). */
  private listedOf(i: number, fileId: number): number {
    const r = this.base + i;
    const index = this.tables.viewIndex[r] as LogIndex | null;
    return index === null ? NO_VERSION : index.listedAt(fileId, this.tables.viewLength[r] as number);
  }

  /** Records installedKey as (Receiver i, fileId)'s installed version, where its index lists listedKey. */
  private setException(i: number, fileId: number, installedKey: number, listedKey: number): void {
    if (installedKey === listedKey) this.tables.exceptions.delete(this.base + i, fileId);
    else this.tables.exceptions.set(this.base + i, fileId, installedKey);
  }

  /**
   * Receiver i diffs view (changedFiles) and holds it from then on, keeping its installed versions. Where its index is
   * a prefix of view's log (a poll that finds the index grown, the common case) both are one walk over the new
   * entries: each file met is compared with what i installed and, keeping that, moved to what view lists. Hot path.
   * Each changed file c must then be settled by keepInstalled(i, c) or installListed(i, c) before anything else reads
   * or changes what i installed of it.
   */
  takeIndex(i: number, view: SnapshotView): number {
    const tables = this.tables;
    const r = this.base + i;
    const index = tables.viewIndex[r] as LogIndex | null;
    if (index === null || !this.extendsHeld(i, view)) {
      const changed = this.changedFiles(i, view);
      this.switchLog(i, view);
      // The switch has kept every installed version that the new index lists otherwise as an exception.
      this.changed.forget();
      for (let c = 0; c < changed; c++) this.changed.hadException[c] = 1;
      return changed;
    }
    const start = tables.viewLength[r] as number;
    const exceptions = tables.exceptions;
    const out = this.changed;
    const plain = exceptions.count[r] === 0;
    let count = 0;
    if (plain && out.holdsPlainDiff(view.log, start, view.length)) {
      count = out.heldCount;
    } else {
      index.extendTo(view.length);
      out.forget();
      const walks = this.walks;
      const walk = walks.start();
      let stale = false;
      for (let k = view.length - 1; k >= start; k--) {
        const fileId = index.fileIdAt(k);
        if (!walks.first(fileId, walk)) continue;
        const versionKey = index.versionKeyAt(k);
        const listedKey = index.listedBefore(k, start);
        const installedKey = exceptions.get(r, fileId, listedKey);
        if (versionKey <= installedKey) {
          this.setException(i, fileId, installedKey, versionKey);
          stale = true;
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
      // A stale entry made an exception above, which the next Receiver of the same diff must make too.
      if (plain && !stale) out.holdPlainDiff(view.log, start, view.length, count);
    }
    tables.viewLength[r] = view.length;
    tables.sinceUs[r] = view.lastModifiedUs;
    tables.sinceOriginSp[r] = view.originSp;
    return count;
  }

  /**
   * The files whose newest version listed in view (beyond what Receiver i holds of the same log) is newer than the
   * one it installed, newest first as the sub-indexes list them: written to `changed` (with the version installed of
   * each), returns how many. Hot path: one backwards walk, no allocation.
   */
  changedFiles(i: number, view: SnapshotView): number {
    const r = this.base + i;
    const held = this.tables.viewIndex[r] as LogIndex | null;
    // Another log: a walk over all of it (below), or while it is longer than the list of files, a pass over the files.
    if (view.length > this.fileCount && held !== null && !this.extendsHeld(i, view)) return this.changedFilesAcrossLogs(i, view);
    const log = view.log;
    const start = this.diffStart(i, view);
    // Same log, no exceptions: what i has installed of an entry's file is what its own position lists, found by
    // stepping back from the entry. Otherwise asked file by file.
    const plain = held !== null && this.tables.exceptions.count[r] === 0 && this.extendsHeld(i, view);
    const out = this.changed;
    if (plain) {
      if (out.holdsPlainDiff(log, start, view.length)) return out.heldCount;
      (held as LogIndex).extendTo(view.length);
    }
    out.forget();
    const walks = this.walks;
    const walk = walks.start();
    let count = 0;
    let stale = false;
    for (let k = view.length - 1; k >= start; k--) {
      const entry = log[k] as SnapshotLogEntry;
      const fileId = entry.fileId;
      if (!walks.first(fileId, walk)) continue;
      const installedKey = plain ? (held as LogIndex).listedBefore(k, start) : this.installedOf(i, fileId);
      if (entry.versionKey <= installedKey) {
        stale = true;
        continue;
      }
      out.ensure(count + 1);
      out.fileId[count] = fileId;
      out.versionKey[count] = entry.versionKey;
      out.sizeBytes[count] = entry.sizeBytes;
      out.installedKey[count] = installedKey;
      out.hadException[count] = 0;
      count++;
    }
    // takeIndex would make an exception of a stale entry: such a diff is not one it may take as it is.
    if (plain && !stale) out.holdPlainDiff(log, start, view.length, count);
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
    out.forget();
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
    this.tables.exceptions.set(this.base + i, this.changed.fileId[c] as number, this.changed.installedKey[c] as number);
  }

  /**
   * takeIndex's changed file c is installed at the version the new index lists (the cache holds it): what install does,
   * without looking up what is listed and installed, which takeIndex found. replacedKey is the version it replaces.
   */
  installListed(i: number, c: number): void {
    const changed = this.changed;
    const fileId = changed.fileId[c] as number;
    if (changed.hadException[c] === 1) this.tables.exceptions.delete(this.base + i, fileId);
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
    const previousKey = this.tables.exceptions.get(this.base + i, fileId, listedKey);
    if (versionKey <= previousKey) return false;
    this.replacedKey = previousKey;
    this.setException(i, fileId, versionKey, listedKey);
    this.forgetPendingUpTo(i, fileId, versionKey);
    return true;
  }

  /** Receiver i no longer waits for fileId if what it waits for is versionKey or older. */
  private forgetPendingUpTo(i: number, fileId: number, versionKey: number): void {
    const pending = this.tables.pending;
    const r = this.base + i;
    if (pending.count[r] === 0) return;
    const entry = pending.find(r, fileId);
    if (entry >= 0 && pending.versionKeyOf(entry) <= versionKey) pending.remove(r, entry);
  }

  hasPending(i: number): boolean {
    return this.tables.pending.count[this.base + i] !== 0;
  }

  /** Receiver i's first pending entry (-1 when none), then the pending table's nextOf(entry). */
  firstPendingOf(i: number): number {
    return this.tables.pending.firstOf(this.base + i);
  }

  /** The table of pending entries, for reading an entry's fields (firstPendingOf). */
  get pending(): PendingFileTable {
    return this.tables.pending;
  }

  pendingKeyOf(i: number, fileId: number): number | undefined {
    const pending = this.tables.pending;
    const r = this.base + i;
    if (pending.count[r] === 0) return undefined;
    const entry = pending.find(r, fileId);
    return entry < 0 ? undefined : pending.versionKeyOf(entry);
  }

  pendingSizeOf(i: number, fileId: number): number {
    const pending = this.tables.pending;
    const entry = pending.find(this.base + i, fileId);
    return entry < 0 ? 0 : pending.sizeBytesOf(entry);
  }

  setPending(i: number, fileId: number, versionKey: number, sizeBytes: number): void {
    this.tables.pending.set(this.base + i, fileId, versionKey, sizeBytes);
  }

  /** The request for the wanted version failed: ask again on the next poll (if nothing newer came meanwhile). */
  markFailed(i: number, fileId: number, versionKey: number): void {
    const pending = this.tables.pending;
    const r = this.base + i;
    const entry = pending.find(r, fileId);
    if (entry < 0 || pending.versionKeyOf(entry) !== versionKey) return;
    pending.markFailed(r, entry);
  }

  /** The files to ask for again at this poll, in the order they failed (and forgets them), or null. */
  takeFailed(i: number): number[] | null {
    const pending = this.tables.pending;
    const r = this.base + i;
    if (pending.failedCount[r] === 0) return null;
    return pending.takeFailed(r);
  }
}
