// The pending-event set: heap-js's binary heap, ordered by (timeUs, seq). seq only grows, so same-time events run
// first-in first-out.
//
// Hot path. The heap holds slot numbers, not event objects: an event's time, sequence number and kind sit in typed
// arrays at its slot, its target and argument in two plain arrays. A sift compares two slots' times in one dense
// Float64Array. With a pooled object per event, each comparison read an object wherever the allocator had put it, and
// then the box holding its time (a time past 2^31 us is not a small integer, and V8 keeps such a field as a pointer to
// a heap number): two dependent loads per comparison. PHOLD with times past 2^31 us runs 1.2-1.3 times as fast this
// way (2026-12-03); the paper replay, whose queue holds a few thousand events, runs no faster.
//
// A cancellation token names the event's slot and its sequence number (seq * SLOT_LIMIT + slot), so cancelling marks
// the slot, and the kernel finds a dead event at the top by reading its slot's state. As a set of cancelled sequence
// numbers (an IntMap), the kernel probed a hash table for nearly every event it ran (the replay cancels about 240,000
// events an hour, so the set was seldom empty).
import { Heap } from 'heap-js';
import { SchedulingError } from './errors.js';
import { grownFloat64, grownInt32 } from './typed-arrays.js';

/** Anything the kernel can deliver an event to. `targetId` feeds the trajectory fingerprint. */
export interface EventTarget {
  readonly targetId: number;
  onEvent(nowUs: number, kind: number, arg: unknown): void;
}

/** No slot: what topSlot() answers for an empty queue. */
export const NO_SLOT = -1;

const INITIAL_SLOTS = 1024;
/**
 * Slots a queue can have (2^21: over two million pending events) and sequence numbers it can give (2^32), so that a
 * token, seq * SLOT_LIMIT + slot, stays an exact integer (below 2^53).
 */
const SLOT_LIMIT = 2 ** 21;
const SEQ_LIMIT = 2 ** 32;

// A slot's state.
const FREE = 0;
const QUEUED = 1;
/** Still in the heap, to be dropped when it reaches the top (or by removeCancelled). */
const CANCELLED = 2;

/** The event records the heap orders: a slot's time and sequence number, read by the sifts below. */
class EventSlots {
  timeUs = new Float64Array(INITIAL_SLOTS);
  seq = new Float64Array(INITIAL_SLOTS);
  kind = new Int32Array(INITIAL_SLOTS);
  state = new Uint8Array(INITIAL_SLOTS);
  /** Slots in the CANCELLED state. */
  cancelledCount = 0;
  readonly target: (EventTarget | null)[] = [];
  readonly arg: unknown[] = [];
  /** Slots not in use, taken last-in first-out (the slot freed last is the likeliest to be in cache). */
  private free = new Int32Array(INITIAL_SLOTS);
  private freeCount = 0;
  private used = 0;

  take(): number {
    if (this.freeCount > 0) return this.free[--this.freeCount] as number;
    if (this.used === this.timeUs.length) this.grow();
    const slot = this.used++;
    this.target.push(null);
    this.arg.push(undefined);
    return slot;
  }

  release(slot: number): void {
    if (this.state[slot] === CANCELLED) this.cancelledCount--;
    this.state[slot] = FREE;
    this.target[slot] = null;
    this.arg[slot] = undefined;
    this.free[this.freeCount++] = slot;
  }

  private grow(): void {
    const capacity = 2 * this.timeUs.length;
    if (capacity > SLOT_LIMIT) throw new SchedulingError(`more than ${SLOT_LIMIT} events pending at once`);
    this.timeUs = grownFloat64(this.timeUs, capacity);
    this.seq = grownFloat64(this.seq, capacity);
    this.kind = grownInt32(this.kind, capacity);
    const state = new Uint8Array(capacity);
    state.set(this.state);
    this.state = state;
    this.free = grownInt32(this.free, capacity);
  }
}

/**
 * heap-js's heap of slot numbers, its sift-down and sift-up comparing (timeUs, seq) in the slots' typed arrays. The
 * comparator given to heap-js is the same order, for whatever else of heap-js may use it.
 */
class EventHeap extends Heap<number> {
  constructor(private readonly slots: EventSlots) {
    super((a: number, b: number) => ((slots.timeUs[a] as number) - (slots.timeUs[b] as number)) || ((slots.seq[a] as number) - (slots.seq[b] as number)));
  }

  override _sortNodeUp(index: number): void {
    const array = this.heapArray;
    const times = this.slots.timeUs;
    const seqs = this.slots.seq;
    const value = array[index] as number;
    const valueTimeUs = times[value] as number;
    const valueSeq = seqs[value] as number;
    let i = index;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const parentSlot = array[parent] as number;
      const parentTimeUs = times[parentSlot] as number;
      if (!(valueTimeUs < parentTimeUs || (valueTimeUs === parentTimeUs && valueSeq < (seqs[parentSlot] as number)))) break;
      array[i] = parentSlot;
      i = parent;
    }
    if (i !== index) array[i] = value;
  }

  override _sortNodeDown(index: number): void {
    const array = this.heapArray;
    const times = this.slots.timeUs;
    const seqs = this.slots.seq;
    const length = array.length;
    const value = array[index] as number;
    const valueTimeUs = times[value] as number;
    const valueSeq = seqs[value] as number;
    let i = index;
    let left = 2 * i + 1;
    while (left < length) {
      const right = left + 1;
      let best = left;
      let bestSlot = array[left] as number;
      let bestTimeUs = times[bestSlot] as number;
      if (right < length) {
        const rightSlot = array[right] as number;
        const rightTimeUs = times[rightSlot] as number;
        if (rightTimeUs < bestTimeUs || (rightTimeUs === bestTimeUs && (seqs[rightSlot] as number) < (seqs[bestSlot] as number))) {
          best = right;
          bestSlot = rightSlot;
          bestTimeUs = rightTimeUs;
        }
      }
      if (!(bestTimeUs < valueTimeUs || (bestTimeUs === valueTimeUs && (seqs[bestSlot] as number) < valueSeq))) break;
      array[i] = bestSlot;
      i = best;
      left = 2 * i + 1;
    }
    if (i !== index) array[i] = value;
  }
}

export class EventQueue {
  private readonly slots = new EventSlots();
  private readonly heap = new EventHeap(this.slots);
  private nextSeq = 0;

  get size(): number {
    return this.heap.length;
  }

  /** The slot of the earliest event (the lowest seq among equal times), or NO_SLOT when there is none. */
  topSlot(): number {
    return this.heap.length === 0 ? NO_SLOT : (this.heap.heapArray[0] as number);
  }

  // An event's fields, by its slot (valid while it is queued).
  timeOf(slot: number): number {
    return this.slots.timeUs[slot] as number;
  }

  kindOf(slot: number): number {
    return this.slots.kind[slot] as number;
  }

  targetOf(slot: number): EventTarget {
    return this.slots.target[slot] as EventTarget;
  }

  argOf(slot: number): unknown {
    return this.slots.arg[slot];
  }

  /** The sequence number the next push would take, taken now for an event to be pushed later (pushReserved). */
  reserveSeq(): number {
    return this.takeSeq();
  }

  private takeSeq(): number {
    const seq = this.nextSeq++;
    if (seq >= SEQ_LIMIT) throw new SchedulingError(`more than ${SEQ_LIMIT} events scheduled in one run`);
    return seq;
  }

  /** Events cancelled but still queued. */
  get cancelledCount(): number {
    return this.slots.cancelledCount;
  }

  /** Whether the event at slot was cancelled (it is dropped when it reaches the top). */
  isCancelled(slot: number): boolean {
    return this.slots.state[slot] === CANCELLED;
  }

  /**
   * Marks the event a token names as cancelled, if it is still queued (an event that has run, or whose slot holds
   * another event now, is left alone). Returns whether it was marked.
   */
  cancel(token: number): boolean {
    const slot = token % SLOT_LIMIT;
    const slots = this.slots;
    if (slots.state[slot] !== QUEUED || slots.seq[slot] !== (token - slot) / SLOT_LIMIT) return false;
    slots.state[slot] = CANCELLED;
    slots.cancelledCount++;
    return true;
  }

  /** Whether seq has been handed out, by a push or by reserveSeq. */
  isIssued(seq: number): boolean {
    return Number.isInteger(seq) && seq >= 0 && seq < this.nextSeq;
  }

  /** Inserts an event and returns its cancellation token. */
  push(timeUs: number, target: EventTarget, kind: number, arg: unknown): number {
    const seq = this.takeSeq();
    const slot = this.fill(this.slots.take(), timeUs, seq, target, kind, arg);
    this.heap.add(slot);
    return seq * SLOT_LIMIT + slot;
  }

  /** Inserts an event under a sequence number from reserveSeq, which it must be the only one to use. */
  pushReserved(timeUs: number, seq: number, target: EventTarget, kind: number, arg: unknown): number {
    const slot = this.fill(this.slots.take(), timeUs, seq, target, kind, arg);
    this.heap.add(slot);
    return seq * SLOT_LIMIT + slot;
  }

  /**
   * Removes the top event and inserts a new one in a single sift-down. Hot path: the spent top slot is rewritten in
   * place and sifted down.
   */
  replaceTop(timeUs: number, target: EventTarget, kind: number, arg: unknown, reservedSeq = -1): number {
    const top = this.heap.heapArray[0] as number;
    const seq = reservedSeq >= 0 ? reservedSeq : this.takeSeq();
    this.fill(top, timeUs, seq, target, kind, arg);
    this.heap.replace(top);
    return seq * SLOT_LIMIT + top;
  }

  /**
   * Drops every cancelled event, except the top when keepTop (the event being run, whose slot the kernel still reads),
   * and re-forms the heap in one O(n) pass. The order of the rest is unchanged: it is (timeUs, seq), whatever the
   * heap's layout.
   */
  removeCancelled(keepTop: boolean): void {
    const kept: number[] = [];
    const events = this.heap.heapArray;
    const state = this.slots.state;
    for (let k = 0; k < events.length; k++) {
      const slot = events[k] as number;
      if ((k === 0 && keepTop) || state[slot] !== CANCELLED) kept.push(slot);
      else this.slots.release(slot);
    }
    this.heap.init(kept);
  }

  popTop(): void {
    const old = this.heap.pop();
    if (old !== undefined) this.slots.release(old);
  }

  private fill(slot: number, timeUs: number, seq: number, target: EventTarget, kind: number, arg: unknown): number {
    const slots = this.slots;
    // The spent top is refilled in place (replaceTop): if the event that ran was cancelled meanwhile, it is over now.
    if (slots.state[slot] === CANCELLED) slots.cancelledCount--;
    slots.state[slot] = QUEUED;
    slots.timeUs[slot] = timeUs;
    slots.seq[slot] = seq;
    slots.kind[slot] = kind;
    slots.target[slot] = target;
    slots.arg[slot] = arg;
    return slot;
  }
}
