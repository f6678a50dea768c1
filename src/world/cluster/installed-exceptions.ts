// The installed versions of a cluster's Receivers that differ from what their indexes list (engine-receivers.ts):
// a short list per Receiver (the files of versions being fetched, mostly) in one pooled table. Hot path (two
// changes per install that waits for a fetch): no allocation once the pool has grown, and a scan of a few entries
// instead of hashing.
import { freeListWith, grownInt32, TypedArena } from '../../kernel/typed-arrays.js';

const NO_ENTRY = -1;

export class InstalledExceptions {
  private head = new Int32Array(0);
  /** Per Receiver: entries in its list. */
  count = new Int32Array(0);
  private fileId = new Int32Array(0);
  private versionKey = new Float64Array(0);
  private next = new Int32Array(0);
  private freeHead = NO_ENTRY;
  private used = 0;

  constructor(receiverCount: number) {
    this.ensureReceivers(receiverCount);
  }

  /** Room for Receivers 0 to receiverCount - 1 (the lists of those added are empty). */
  ensureReceivers(receiverCount: number): void {
    const held = this.head.length;
    if (receiverCount <= held) return;
    const capacity = Math.max(receiverCount, 2 * held);
    this.head = grownInt32(this.head, capacity, NO_ENTRY);
    this.count = grownInt32(this.count, capacity);
  }

  /** Entries held, over every Receiver. */
  get size(): number {
    return this.used;
  }

  /** Receiver i's entry for fileId, or -1. */
  private find(i: number, fileId: number): number {
    let entry = this.head[i] as number;
    while (entry !== NO_ENTRY && this.fileId[entry] !== fileId) entry = this.next[entry] as number;
    return entry;
  }

  /** Receiver i's installed version of fileId where it is an exception, else `otherwise`. */
  get(i: number, fileId: number, otherwise: number): number {
    if (this.count[i] === 0) return otherwise;
    const entry = this.find(i, fileId);
    return entry === NO_ENTRY ? otherwise : (this.versionKey[entry] as number);
  }

  set(i: number, fileId: number, versionKey: number): void {
    const entry = this.count[i] === 0 ? NO_ENTRY : this.find(i, fileId);
    if (entry === NO_ENTRY) this.add(i, fileId, versionKey);
    else this.versionKey[entry] = versionKey;
  }

  /** Adds Receiver i's entry for fileId, which it must not have (after clear(i)): no scan of its list. */
  add(i: number, fileId: number, versionKey: number): void {
    const entry = this.allocate();
    this.fileId[entry] = fileId;
    this.versionKey[entry] = versionKey;
    this.next[entry] = this.head[i] as number;
    this.head[i] = entry;
    this.count[i] = (this.count[i] as number) + 1;
    this.used++;
  }

  /** Receiver i's first entry (-1 when none), then nextOf(entry), through its list in no particular order. */
  firstOf(i: number): number {
    return this.head[i] as number;
  }

  nextOf(entry: number): number {
    return this.next[entry] as number;
  }

  fileIdOf(entry: number): number {
    return this.fileId[entry] as number;
  }

  /** Forgets every entry of Receiver i. */
  clear(i: number): void {
    let entry = this.head[i] as number;
    while (entry !== NO_ENTRY) {
      const next = this.next[entry] as number;
      this.next[entry] = this.freeHead;
      this.freeHead = entry;
      entry = next;
    }
    this.used -= this.count[i] as number;
    this.head[i] = NO_ENTRY;
    this.count[i] = 0;
  }

  delete(i: number, fileId: number): void {
    if (this.count[i] === 0) return;
    let previous = NO_ENTRY;
    let entry = this.head[i] as number;
    while (entry !== NO_ENTRY && this.fileId[entry] !== fileId) {
      previous = entry;
      entry = this.next[entry] as number;
    }
    if (entry === NO_ENTRY) return;
    if (previous === NO_ENTRY) this.head[i] = this.next[entry] as number;
    else this.next[previous] = this.next[entry] as number;
    this.next[entry] = this.freeHead;
    this.freeHead = entry;
    this.count[i] = (this.count[i] as number) - 1;
    this.used--;
  }

  private allocate(): number {
    if (this.freeHead === NO_ENTRY) this.grow();
    const entry = this.freeHead;
    this.freeHead = this.next[entry] as number;
    return entry;
  }

  private grow(): void {
    const capacity = this.fileId.length;
    const grownCapacity = Math.max(16, capacity * 2);
    // The entry tables side by side in one buffer: an entry's fields are read together.
    const arena = new TypedArena(TypedArena.bytesFor(grownCapacity, 8) + 2 * TypedArena.bytesFor(grownCapacity, 4));
    this.versionKey = arena.float64From(this.versionKey, grownCapacity);
    this.fileId = arena.int32From(this.fileId, grownCapacity);
    this.next = arena.int32From(this.next, grownCapacity);
    this.freeHead = freeListWith(this.next, capacity, grownCapacity, this.freeHead);
  }
}
