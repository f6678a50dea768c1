// An index over an SP's append-only change log (SnapshotView.log) for the engine's Receivers, which hold their
// installed versions as a position in that log (engine-receivers.ts): what the index listed for a file at a
// position is found by following the file's entries back from its newest one. One index per log, shared by
// every cluster (LogIndexes), and extended as longer views of the log are met.
import type { SnapshotLogEntry } from '../../acms/snapshot.js';
import { grownFloat64, grownInt32 } from '../../kernel/typed-arrays.js';

/** "No version" of a file: below every version key. */
export const NO_VERSION = -Infinity;

const NO_ENTRY = -1;

export class LogIndex {
  /** For entry k: the position of the entry of the same file before it, or -1. */
  private previousOfFile = new Int32Array(1024);
  /** Entry k's version key, copied out of the log's entry objects: the hot look-ups read no object. */
  private versionKeyOf = new Float64Array(1024);
  private fileIdOf = new Int32Array(1024);
  /** Per file: the position of its newest entry indexed so far, or -1. */
  private readonly newestOfFile: Int32Array;
  private indexedLength = 0;

  constructor(
    readonly log: readonly SnapshotLogEntry[],
    private readonly fileCount: number,
  ) {
    this.newestOfFile = new Int32Array(fileCount).fill(NO_ENTRY);
  }

  /** Indexes the log's entries up to length (the log only grows; its entries never change). */
  extendTo(length: number): void {
    if (length <= this.indexedLength) return;
    if (length > this.log.length) throw new RangeError(`a log of ${this.log.length} entries has no prefix of ${length}`);
    if (length > this.previousOfFile.length) {
      const capacity = Math.max(length, 2 * this.previousOfFile.length);
      this.previousOfFile = grownInt32(this.previousOfFile, capacity);
      this.versionKeyOf = grownFloat64(this.versionKeyOf, capacity);
      this.fileIdOf = grownInt32(this.fileIdOf, capacity);
    }
    for (let k = this.indexedLength; k < length; k++) {
      const entry = this.log[k] as SnapshotLogEntry;
      const fileId = entry.fileId;
      if (fileId < 0 || fileId >= this.fileCount) throw new RangeError(`log entry ${k} names file ${fileId}, not one of ${this.fileCount}`);
      this.versionKeyOf[k] = entry.versionKey;
      this.fileIdOf[k] = fileId;
      this.previousOfFile[k] = this.newestOfFile[fileId] as number;
      this.newestOfFile[fileId] = k;
    }
    this.indexedLength = length;
  }

  /** The version the index of the log's first `length` entries lists for fileId (its last entry there), or NO_VERSION. */
  listedAt(fileId: number, length: number): number {
    const k = this.lastEntryBefore(fileId, length);
    return k === NO_ENTRY ? NO_VERSION : (this.versionKeyOf[k] as number);
  }

  /** Entry k's file and version (k indexed). */
  fileIdAt(k: number): number {
    return this.fileIdOf[k] as number;
  }

  versionKeyAt(k: number): number {
    return this.versionKeyOf[k] as number;
  }

  /** The position of fileId's last entry among the log's first `length` entries, or -1. */
  lastEntryBefore(fileId: number, length: number): number {
    if (length > this.indexedLength) this.extendTo(length);
    return this.entryBefore(this.newestOfFile[fileId] as number, length);
  }

  /** Entry k if it is among the first `length` entries, else the last entry of its file that is (-1 for none). */
  private entryBefore(k: number, length: number): number {
    const previous = this.previousOfFile;
    let entry = k;
    while (entry >= length) entry = previous[entry] as number;
    return entry;
  }

  /**
   * What the prefix of `length` entries lists for the file of entry k (an indexed entry): k's version if k is in the
   * prefix, else that of the entry of its file before it, and so on. Hot path: one or two steps back for a
   * Receiver that is up to date.
   */
  listedBefore(k: number, length: number): number {
    const entry = this.entryBefore(k, length);
    return entry === NO_ENTRY ? NO_VERSION : (this.versionKeyOf[entry] as number);
  }
}

/**
 * Marks for walks over a log that meet each file once (walking backwards, the first entry met of a file is the one
 * its sub-index lists): seen[fileId] === walk once the walk has passed the file, with no clearing between walks.
 * One set serves every cluster, since no walk calls out of itself before it ends.
 */
export class WalkMarks {
  private readonly seen: Uint32Array;
  private walk = 0;

  constructor(fileCount: number) {
    this.seen = new Uint32Array(fileCount);
  }

  start(): number {
    this.walk++;
    if (this.walk === 0xffffffff) {
      this.seen.fill(0);
      this.walk = 1;
    }
    return this.walk;
  }

  /** True the first time this walk meets fileId. */
  first(fileId: number, walk: number): boolean {
    if (this.seen[fileId] === walk) return false;
    this.seen[fileId] = walk;
    return true;
  }
}

/**
 * File-sized scratch for a Receiver's switch to another log (engine-receivers.ts), made at the first switch. One set
 * serves every cluster, as the walk marks do: a switch does not call out of itself before it ends.
 */
export class SwitchScratch {
  readonly fileIds: Int32Array;
  readonly versionKeys: Float64Array;
  readonly positions: Int32Array;

  constructor(fileCount: number) {
    this.fileIds = new Int32Array(fileCount);
    this.versionKeys = new Float64Array(fileCount);
    this.positions = new Int32Array(fileCount);
  }
}

/**
 * What a diff walk of a Receiver found (engine-receivers.ts takeIndex and changedFiles): one entry per changed file,
 * read by its caller before anything else walks. One set serves every cluster, as the walk marks do: a set per
 * cluster was five more arrays to fetch into the cache at each of its activations.
 */
export class ChangedFiles {
  fileId = new Int32Array(16);
  versionKey = new Float64Array(16);
  sizeBytes = new Float64Array(16);
  /** The version the Receiver has installed of the file. */
  installedKey = new Float64Array(16);
  /** 1 when that installed version is already an exception to what the Receiver's index lists. */
  hadException = new Uint8Array(16);

  /**
   * What the entries hold, when they are the diff of a Receiver with no exceptions that holds the first `start`
   * entries of `log` against its first `end`: then they depend on (log, start, end) alone (what such a Receiver has
   * installed of a file is what the prefix lists, and the log only grows), and the next such Receiver of the same
   * (log, start, end) takes them as they are. Most polls are that: a cluster's Receivers, up to date, each diffing
   * the same new index against the one they all held. null when the entries are anything else.
   */
  heldLog: readonly SnapshotLogEntry[] | null = null;
  heldStart = 0;
  heldEnd = 0;
  heldCount = 0;

  /** Whether the entries are the diff of a Receiver with no exceptions from start to end of log (see heldLog). */
  holdsPlainDiff(log: readonly SnapshotLogEntry[], start: number, end: number): boolean {
    return this.heldLog === log && this.heldStart === start && this.heldEnd === end;
  }

  /** The entries [0, count) are now such a diff (see heldLog); forget() before writing anything else into them. */
  holdPlainDiff(log: readonly SnapshotLogEntry[], start: number, end: number, count: number): void {
    this.heldLog = log;
    this.heldStart = start;
    this.heldEnd = end;
    this.heldCount = count;
  }

  forget(): void {
    this.heldLog = null;
  }

  /** Room for at least count entries, keeping those held. */
  ensure(count: number): void {
    if (count <= this.fileId.length) return;
    const capacity = Math.max(count, 2 * this.fileId.length);
    this.fileId = grownInt32(this.fileId, capacity);
    this.versionKey = grownFloat64(this.versionKey, capacity);
    this.sizeBytes = grownFloat64(this.sizeBytes, capacity);
    this.installedKey = grownFloat64(this.installedKey, capacity);
    const hadException = new Uint8Array(capacity);
    hadException.set(this.hadException);
    this.hadException = hadException;
  }
}

/** The index of each log met, by the log's identity (each SP's snapshot keeps one log object), and shared scratch. */
export class LogIndexes {
  private readonly byLog = new WeakMap<readonly SnapshotLogEntry[], LogIndex>();
  readonly walks: WalkMarks;
  readonly changed = new ChangedFiles();
  private scratch: SwitchScratch | null = null;

  constructor(private readonly fileCount: number) {
    this.walks = new WalkMarks(fileCount);
  }

  get switchScratch(): SwitchScratch {
    this.scratch ??= new SwitchScratch(this.fileCount);
    return this.scratch;
  }

  of(log: readonly SnapshotLogEntry[]): LogIndex {
    let index = this.byLog.get(log);
    if (index === undefined) {
      index = new LogIndex(log, this.fileCount);
      this.byLog.set(log, index);
    }
    return index;
  }
}
