// The files each Receiver of a cluster wants but has not installed (requested, or failed and to be asked for
// again), for the engine: Receiver's pendingKey / pendingSizeBytes maps and failedFileIds set
// (src/acms/receiver.ts) as one pooled table of entries, a list per Receiver. Hot path (a few hundred thousand
// entries an hour in the paper replay, each made and cleared within seconds): no allocation once the pool has
// grown, and a Receiver's list is short (the files of versions still being fetched), so a scan beats hashing.
//
// Order matters, because it decides the order of requests and so their ids and draws. It follows the reference's:
// entries keep the place of their first setting (as a Map keeps a key's place when set again), and failed entries
// are asked for again in the order they failed (as a Set keeps its insertion order): failedSeq records it.

import { freeListWith, grownInt32, TypedArena } from '../../kernel/typed-arrays.js';

const NO_ENTRY = -1;

export class PendingFileTable {
  private head = new Int32Array(0);
  private tail = new Int32Array(0);
  /** Per Receiver: entries in its list, and how many of them failed. */
  count = new Int32Array(0);
  failedCount = new Int32Array(0);
  private fileId = new Int32Array(0);
  private versionKey = new Float64Array(0);
  private sizeBytes = new Float64Array(0);
  private next = new Int32Array(0);
  private previous = new Int32Array(0);
  /** 0 when the entry has not failed; else when it failed, in this table's order of failures. */
  private failedSeq = new Float64Array(0);
  private freeHead = NO_ENTRY;
  private lastFailedSeq = 0;

  constructor(receiverCount: number) {
    this.ensureReceivers(receiverCount);
  }

  /** Room for Receivers 0 to receiverCount - 1 (the lists of those added are empty). */
  ensureReceivers(receiverCount: number): void {
    const held = this.head.length;
    if (receiverCount <= held) return;
    const capacity = Math.max(receiverCount, 2 * held);
    this.head = grownInt32(this.head, capacity, NO_ENTRY);
    this.tail = grownInt32(this.tail, capacity, NO_ENTRY);
    this.count = grownInt32(this.count, capacity);
    this.failedCount = grownInt32(this.failedCount, capacity);
  }

  /** Receiver i's entry for fileId, or -1. */
  find(i: number, fileId: number): number {
    let entry = this.head[i] as number;
    while (entry !== NO_ENTRY && this.fileId[entry] !== fileId) entry = this.next[entry] as number;
    return entry;
  }

  /** Receiver i's first entry (-1 when none), then nextOf(entry): in the order of first setting. */
  firstOf(i: number): number {
    return this.head[i] as number;
  }

  nextOf(entry: number): number {
    return this.next[entry] as number;
  }

  fileIdOf(entry: number): number {
    return this.fileId[entry] as number;
  }

  versionKeyOf(entry: number): number {
    return this.versionKey[entry] as number;
  }

  sizeBytesOf(entry: number): number {
    return this.sizeBytes[entry] as number;
  }

  hasFailed(entry: number): boolean {
    return this.failedSeq[entry] !== 0;
  }

  /** Receiver i wants versionKey of fileId: a new entry at the end of its list, or the existing one updated. */
  set(i: number, fileId: number, versionKey: number, sizeBytes: number): void {
    let entry = this.find(i, fileId);
    if (entry === NO_ENTRY) {
      entry = this.allocate();
      this.fileId[entry] = fileId;
      this.failedSeq[entry] = 0;
      this.next[entry] = NO_ENTRY;
      const last = this.tail[i] as number;
      this.previous[entry] = last;
      if (last === NO_ENTRY) this.head[i] = entry;
      else this.next[last] = entry;
      this.tail[i] = entry;
      this.count[i] = (this.count[i] as number) + 1;
    } else if (this.failedSeq[entry] !== 0) {
      this.failedSeq[entry] = 0;
      this.failedCount[i] = (this.failedCount[i] as number) - 1;
    }
    this.versionKey[entry] = versionKey;
    this.sizeBytes[entry] = sizeBytes;
  }

  /** Removes Receiver i's entry. */
  remove(i: number, entry: number): void {
    if (this.failedSeq[entry] !== 0) this.failedCount[i] = (this.failedCount[i] as number) - 1;
    const before = this.previous[entry] as number;
    const after = this.next[entry] as number;
    if (before === NO_ENTRY) this.head[i] = after;
    else this.next[before] = after;
    if (after === NO_ENTRY) this.tail[i] = before;
    else this.previous[after] = before;
    this.count[i] = (this.count[i] as number) - 1;
    this.next[entry] = this.freeHead;
    this.freeHead = entry;
  }

  /** Marks an entry failed, unless it already is (it keeps its place among the failed). */
  markFailed(i: number, entry: number): void {
    if (this.failedSeq[entry] !== 0) return;
    this.failedSeq[entry] = ++this.lastFailedSeq;
    this.failedCount[i] = (this.failedCount[i] as number) + 1;
  }

  /** Every entry of Receiver i fails (in list order, after those that already had). */
  markAllFailed(i: number): void {
    for (let entry = this.head[i] as number; entry !== NO_ENTRY; entry = this.next[entry] as number) this.markFailed(i, entry);
  }

  /** The files of Receiver i's failed entries in the order they failed; they stop being failed. */
  takeFailed(i: number): number[] {
    const failed: number[] = [];
    for (let entry = this.head[i] as number; entry !== NO_ENTRY; entry = this.next[entry] as number) {
      if (this.failedSeq[entry] !== 0) failed.push(entry);
    }
    failed.sort((a, b) => (this.failedSeq[a] as number) - (this.failedSeq[b] as number));
    const fileIds: number[] = [];
    for (const entry of failed) {
      this.failedSeq[entry] = 0;
      fileIds.push(this.fileId[entry] as number);
    }
    this.failedCount[i] = 0;
    return fileIds;
  }

  private allocate(): number {
    if (this.freeHead === NO_ENTRY) this.grow();
    const entry = this.freeHead;
    this.freeHead = this.next[entry] as number;
    return entry;
  }

  private grow(): void {
    const old = this.fileId.length;
    const capacity = Math.max(16, old * 2);
    // The entry tables side by side in one buffer: an entry's fields are read together.
    const arena = new TypedArena(3 * TypedArena.bytesFor(capacity, 8) + 3 * TypedArena.bytesFor(capacity, 4));
    this.versionKey = arena.float64From(this.versionKey, capacity);
    this.sizeBytes = arena.float64From(this.sizeBytes, capacity);
    this.failedSeq = arena.float64From(this.failedSeq, capacity);
    this.fileId = arena.int32From(this.fileId, capacity);
    this.next = arena.int32From(this.next, capacity);
    this.previous = arena.int32From(this.previous, capacity);
    this.freeHead = freeListWith(this.next, old, capacity, this.freeHead);
  }
}
