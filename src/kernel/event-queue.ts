// The pending-event set: a binary heap over typed arrays, ordered by (timeUs, seq), with removal in
// place for cancellation. seq only grows, so same-time events run first-in first-out.

/** Anything the kernel can deliver an event to. `targetId` feeds the trajectory fingerprint. */
export interface EventTarget {
  readonly targetId: number;
  onEvent(nowUs: number, kind: number, arg: unknown): void;
}

/**
 * A token names one scheduled event: seq * SLOT_LIMIT + slot. The slot finds the record at once, the seq
 * tells a live event from an earlier one whose slot has been reused. With 2^22 slots and seq below 2^31
 * (two billion events) every token is an exact integer.
 */
const SLOT_LIMIT = 1 << 22;
const INITIAL_CAPACITY = 1024;

/**
 * Why not heap-js: every comparison there is a call through a comparator on two objects; here it reads
 * two typed arrays. ../shared/PERF_NOTES.md measured 7.3 M vs 3.4 M events/s at 10k pending for the two
 * designs, and cancelled events leave the heap at once instead of waiting to reach the top.
 */
export class EventQueue {
  /** heap[i] is the slot of the event at heap position i. */
  private heap = new Int32Array(INITIAL_CAPACITY);
  private count = 0;
  // Per slot: the event's fields and its heap position (-1 while the slot is free).
  private timeOf = new Float64Array(INITIAL_CAPACITY);
  private seqOf = new Float64Array(INITIAL_CAPACITY);
  private kindOf = new Int32Array(INITIAL_CAPACITY);
  private positionOf = new Int32Array(INITIAL_CAPACITY).fill(-1);
  private targetOf: (EventTarget | null)[] = new Array<EventTarget | null>(INITIAL_CAPACITY).fill(null);
  private argOf: unknown[] = new Array<unknown>(INITIAL_CAPACITY).fill(undefined);
  private freeSlots = new Int32Array(INITIAL_CAPACITY);
  private freeCount = 0;
  private slotsUsed = 0;
  private nextSeq = 0;

  get size(): number {
    return this.count;
  }

  /** Time of the earliest event, or Infinity when empty. */
  topTimeUs(): number {
    return this.count === 0 ? Infinity : (this.timeOf[this.heap[0] as number] as number);
  }

  topKind(): number {
    return this.kindOf[this.heap[0] as number] as number;
  }

  topTarget(): EventTarget {
    return this.targetOf[this.heap[0] as number] as EventTarget;
  }

  topArg(): unknown {
    return this.argOf[this.heap[0] as number];
  }

  /** The token of the earliest event (the queue must not be empty). */
  topToken(): number {
    const slot = this.heap[0] as number;
    return (this.seqOf[slot] as number) * SLOT_LIMIT + slot;
  }

  /** Inserts an event and returns its cancellation token. */
  push(timeUs: number, target: EventTarget, kind: number, arg: unknown): number {
    const slot = this.allocate();
    const seq = this.nextSeq++;
    this.timeOf[slot] = timeUs;
    this.seqOf[slot] = seq;
    this.kindOf[slot] = kind;
    this.targetOf[slot] = target;
    this.argOf[slot] = arg;
    const position = this.count++;
    this.heap[position] = slot;
    this.positionOf[slot] = position;
    this.siftUp(position);
    return seq * SLOT_LIMIT + slot;
  }

  /**
   * Removes the top event and inserts a new one in a single sift-down. Hot path: the spent top's slot is
   * rewritten in place (a new seq, so the old token no longer names it).
   */
  replaceTop(timeUs: number, target: EventTarget, kind: number, arg: unknown): number {
    const slot = this.heap[0] as number;
    const seq = this.nextSeq++;
    this.timeOf[slot] = timeUs;
    this.seqOf[slot] = seq;
    this.kindOf[slot] = kind;
    this.targetOf[slot] = target;
    this.argOf[slot] = arg;
    this.siftDown(0);
    return seq * SLOT_LIMIT + slot;
  }

  popTop(): void {
    if (this.count === 0) return;
    this.removeAt(0);
  }

  /** Removes the event the token names; false if it is no longer pending (fired, cancelled, or unknown). */
  remove(token: number): boolean {
    const slot = token % SLOT_LIMIT;
    if (!(slot >= 0 && slot < this.slotsUsed)) return false;
    const position = this.positionOf[slot] as number;
    if (position < 0 || (this.seqOf[slot] as number) * SLOT_LIMIT + slot !== token) return false;
    this.removeAt(position);
    return true;
  }

  private removeAt(position: number): void {
    const slot = this.heap[position] as number;
    this.release(slot);
    const last = this.heap[--this.count] as number;
    if (position === this.count) return;
    this.heap[position] = last;
    this.positionOf[last] = position;
    if (position > 0 && this.before(last, this.heap[(position - 1) >> 1] as number)) this.siftUp(position);
    else this.siftDown(position);
  }

  /** Does the event in slot a run before the one in slot b? */
  private before(a: number, b: number): boolean {
    const timeA = this.timeOf[a] as number;
    const timeB = this.timeOf[b] as number;
    return timeA < timeB || (timeA === timeB && (this.seqOf[a] as number) < (this.seqOf[b] as number));
  }

  private siftUp(start: number): void {
    const heap = this.heap;
    const slot = heap[start] as number;
    let position = start;
    while (position > 0) {
      const parent = (position - 1) >> 1;
      const parentSlot = heap[parent] as number;
      if (!this.before(slot, parentSlot)) break;
      heap[position] = parentSlot;
      this.positionOf[parentSlot] = position;
      position = parent;
    }
    heap[position] = slot;
    this.positionOf[slot] = position;
  }

  private siftDown(start: number): void {
    const heap = this.heap;
    const count = this.count;
    const slot = heap[start] as number;
    let position = start;
    for (;;) {
      let child = 2 * position + 1;
      if (child >= count) break;
      const right = child + 1;
      if (right < count && this.before(heap[right] as number, heap[child] as number)) child = right;
      const childSlot = heap[child] as number;
      if (!this.before(childSlot, slot)) break;
      heap[position] = childSlot;
      this.positionOf[childSlot] = position;
      position = child;
    }
    heap[position] = slot;
    this.positionOf[slot] = position;
  }

  private allocate(): number {
    if (this.freeCount > 0) return this.freeSlots[--this.freeCount] as number;
    if (this.slotsUsed === this.timeOf.length) this.grow();
    return this.slotsUsed++;
  }

  private release(slot: number): void {
    this.positionOf[slot] = -1;
    this.targetOf[slot] = null;
    this.argOf[slot] = undefined;
    this.freeSlots[this.freeCount++] = slot;
  }

  private grow(): void {
    const capacity = this.timeOf.length * 2;
    if (capacity > SLOT_LIMIT) throw new RangeError(`more than ${SLOT_LIMIT} pending events`);
    const heap = new Int32Array(capacity);
    heap.set(this.heap);
    this.heap = heap;
    const time = new Float64Array(capacity);
    time.set(this.timeOf);
    this.timeOf = time;
    const seq = new Float64Array(capacity);
    seq.set(this.seqOf);
    this.seqOf = seq;
    const kind = new Int32Array(capacity);
    kind.set(this.kindOf);
    this.kindOf = kind;
    const position = new Int32Array(capacity).fill(-1);
    position.set(this.positionOf);
    this.positionOf = position;
    const free = new Int32Array(capacity);
    free.set(this.freeSlots);
    this.freeSlots = free;
    for (let i = this.targetOf.length; i < capacity; i++) {
      this.targetOf.push(null);
      this.argOf.push(undefined);
    }
  }
}
