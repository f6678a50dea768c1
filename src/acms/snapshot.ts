// An SP's snapshot: the latest agreed, visible version of every file, as a hierarchical index
// (root + sub-indexes, each with a lastModifiedUs for If-Modified-Since) over an append-only change log.

/** One visibility change. Entries are never removed or edited once appended. */
export interface SnapshotLogEntry {
  readonly fileId: number;
  readonly versionKey: number;
  readonly sizeBytes: number;
  /** The root (and this file's sub-index) lastModifiedUs right after the change. */
  readonly rootLastModifiedUs: number;
}

/**
 * An immutable view handed out in index responses: the prefix [0, length) of one SP's log. A holder of
 * an older view of the same log object diffs in O(changes) by reading entries [oldLength, length).
 */
export interface SnapshotView {
  readonly originSp: number;
  readonly log: readonly SnapshotLogEntry[];
  readonly length: number;
  readonly lastModifiedUs: number;
}

/** The visible version of one file. */
export interface VisibleVersion {
  readonly fileId: number;
  readonly versionKey: number;
  readonly sizeBytes: number;
}

export function subIndexOf(fileId: number, subIndexCount: number): number {
  return fileId % subIndexCount;
}

export class Snapshot {
  private readonly entries: SnapshotLogEntry[] = [];
  private readonly current = new Map<number, VisibleVersion>();
  private readonly subIndexModifiedUs: number[];
  private rootModifiedUs: number;
  private cachedView: SnapshotView;

  /** createdLocalUs: the SP's local clock at creation; it is the empty index's lastModifiedUs. */
  constructor(
    readonly originSp: number,
    readonly subIndexCount: number,
    createdLocalUs: number,
  ) {
    if (!Number.isInteger(subIndexCount) || subIndexCount < 1) throw new RangeError(`subIndexCount must be >= 1, got ${subIndexCount}`);
    this.rootModifiedUs = createdLocalUs;
    this.subIndexModifiedUs = new Array<number>(subIndexCount).fill(createdLocalUs);
    this.cachedView = this.makeView();
  }

  get lastModifiedUs(): number {
    return this.rootModifiedUs;
  }

  get length(): number {
    return this.entries.length;
  }

  subIndexLastModifiedUs(subIndex: number): number {
    const value = this.subIndexModifiedUs[subIndex];
    if (value === undefined) throw new RangeError(`no sub-index ${subIndex}`);
    return value;
  }

  versionOf(fileId: number): VisibleVersion | undefined {
    return this.current.get(fileId);
  }

  /** Visible versions in the order files first became visible (deterministic). */
  currentVersions(): IterableIterator<VisibleVersion> {
    return this.current.values();
  }

  get fileCount(): number {
    return this.current.size;
  }

  /**
   * Makes a version visible if it is newer than what the snapshot shows. localNowUs is the SP's clock;
   * lastModifiedUs is forced strictly increasing so a skewed or repeated clock reading cannot make
   * If-Modified-Since miss a change. Returns whether the snapshot changed.
   */
  install(fileId: number, versionKey: number, sizeBytes: number, localNowUs: number): boolean {
    const shown = this.current.get(fileId);
    if (shown !== undefined && shown.versionKey >= versionKey) return false;
    const modifiedUs = Math.max(Math.round(localNowUs), this.rootModifiedUs + 1);
    this.rootModifiedUs = modifiedUs;
    this.subIndexModifiedUs[subIndexOf(fileId, this.subIndexCount)] = modifiedUs;
    this.current.set(fileId, { fileId, versionKey, sizeBytes });
    this.entries.push({ fileId, versionKey, sizeBytes, rootLastModifiedUs: modifiedUs });
    this.cachedView = this.makeView();
    return true;
  }

  /** The current immutable view (the same object until the next change, so handing it out is free). */
  view(): SnapshotView {
    return this.cachedView;
  }

  private makeView(): SnapshotView {
    return { originSp: this.originSp, log: this.entries, length: this.entries.length, lastModifiedUs: this.rootModifiedUs };
  }
}

/** The changes between two views of the same log, oldest first. Throws when the views are of different logs. */
export function changesSince(older: SnapshotView, newer: SnapshotView): readonly SnapshotLogEntry[] {
  if (older.log !== newer.log) throw new Error('views of different logs cannot be diffed; take the newer view whole');
  return newer.log.slice(older.length, newer.length);
}
