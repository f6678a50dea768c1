// Standing events of many targets, kept out of the kernel's queue: each target has a few slots (a cluster's
// timeline wake and its cache's time-out), each holding at most one event that moves often. They wait here in a
// binary heap over typed arrays, ordered by (time, sequence number), and only the earliest of them is in the
// kernel's queue. Each event takes its sequence number from the kernel when it is set (Simulator.reserveSeq), so
// the kernel runs every event at the very place among same-time events it would have had if scheduled directly:
// the same trajectory, with a kernel queue of one entry per group instead of one per target.
//
// Hot path: a cluster's wake moves at nearly every kernel event it handles (hundreds of thousands an hour). At
// 1,000,000 servers the clusters' standing events were 113,000 entries of the kernel's heap-js queue.
import type { EventTarget, Simulator } from './simulator.js';
import { grownFloat64, grownInt32 } from './typed-arrays.js';

const NOT_QUEUED = -1;

export class StandingEvents {
  private readonly targets: EventTarget[] = [];
  private slotCount = 0;
  private timeUs = new Float64Array(0);
  private seq = new Float64Array(0);
  private kind = new Int32Array(0);
  private target = new Int32Array(0);
  /** The slots queued, as a binary heap by (time, seq); position[slot] is the slot's place, NOT_QUEUED when none. */
  private heap = new Int32Array(0);
  private position = new Int32Array(0);
  private size = 0;
  /** The slot whose event is in the kernel's queue, the sequence number it went in under and its token (-1: none). */
  private kernelSlot = NOT_QUEUED;
  private kernelSeq = -1;
  private kernelToken = -1;

  constructor(private readonly sim: Simulator) {}

  /** Adds a target with slotCount slots; returns its first slot (its slots are first .. first + slotCount - 1). */
  join(target: EventTarget, slotCount: number): number {
    if (!Number.isInteger(slotCount) || slotCount < 1) throw new RangeError(`a target needs at least one slot, got ${slotCount}`);
    const first = this.slotCount;
    const count = first + slotCount;
    if (count > this.timeUs.length) this.grow(Math.max(count, 2 * this.timeUs.length));
    const index = this.targets.length;
    this.targets.push(target);
    for (let slot = first; slot < count; slot++) {
      this.target[slot] = index;
      this.position[slot] = NOT_QUEUED;
    }
    this.slotCount = count;
    return first;
  }

  /**
   * Sets slot's event to run at timeUs (no earlier than the kernel's clock) with the given kind, replacing the one it
   * held: as the kernel would after cancel() and scheduleAt(), taking the next sequence number.
   */
  set(slot: number, timeUs: number, kind: number): void {
    if (slot < 0 || slot >= this.slotCount) throw new RangeError(`no standing-event slot ${slot}`);
    if (!Number.isInteger(timeUs) || timeUs < this.sim.nowUs) throw new RangeError(`a standing event needs an integer time no earlier than now (${this.sim.nowUs} us), got ${timeUs}`);
    this.timeUs[slot] = timeUs;
    this.seq[slot] = this.sim.reserveSeq();
    this.kind[slot] = kind;
    const at = this.position[slot] as number;
    if (at === NOT_QUEUED) {
      const end = this.size++;
      this.place(end, slot);
      this.siftUp(end);
    } else {
      // Its sequence number only grew: a later place, unless its time moved earlier.
      this.siftUp(at);
      this.siftDown(this.position[slot] as number);
    }
    this.sync();
  }

  /** Removes slot's event, if it holds one (as the kernel's cancel()). */
  clear(slot: number): void {
    const at = this.position[slot] as number;
    if (at === NOT_QUEUED) return;
    this.removeAt(at);
    this.sync();
  }

  /**
   * The kernel has just run slot's event (the target's onEvent calls this first): the slot is empty again, and the
   * next earliest event goes into the kernel's queue.
   */
  fired(slot: number): void {
    if (slot !== this.kernelSlot || this.seq[slot] !== this.kernelSeq) throw new Error(`standing-event slot ${slot} fired, but slot ${this.kernelSlot} was in the kernel's queue`);
    this.kernelSlot = NOT_QUEUED;
    this.kernelSeq = -1;
    this.removeAt(this.position[slot] as number);
    this.sync();
  }

  /** Whether slot holds an event. */
  holds(slot: number): boolean {
    return this.position[slot] !== NOT_QUEUED;
  }

  /** Puts the earliest event in the kernel's queue, if another is there. */
  private sync(): void {
    const top = this.size === 0 ? NOT_QUEUED : (this.heap[0] as number);
    if (top === this.kernelSlot && (top === NOT_QUEUED || this.seq[top] === this.kernelSeq)) return;
    const sim = this.sim;
    if (this.kernelSlot !== NOT_QUEUED) sim.cancel(this.kernelToken);
    this.kernelSlot = top;
    this.kernelSeq = -1;
    if (top === NOT_QUEUED) return;
    const seq = this.seq[top] as number;
    this.kernelToken = sim.scheduleReserved(this.timeUs[top] as number, seq, this.targets[this.target[top] as number] as EventTarget, this.kind[top] as number, 0);
    this.kernelSeq = seq;
  }

  private removeAt(at: number): void {
    const slot = this.heap[at] as number;
    this.position[slot] = NOT_QUEUED;
    const last = --this.size;
    if (at === last) return;
    this.place(at, this.heap[last] as number);
    this.siftUp(at);
    this.siftDown(this.position[this.heap[at] as number] as number);
  }

  private before(a: number, b: number): boolean {
    const aUs = this.timeUs[a] as number;
    const bUs = this.timeUs[b] as number;
    return aUs < bUs || (aUs === bUs && (this.seq[a] as number) < (this.seq[b] as number));
  }

  private place(at: number, slot: number): void {
    this.heap[at] = slot;
    this.position[slot] = at;
  }

  private siftUp(position: number): void {
    const heap = this.heap;
    const slot = heap[position] as number;
    let at = position;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      const above = heap[parent] as number;
      if (!this.before(slot, above)) break;
      this.place(at, above);
      at = parent;
    }
    this.place(at, slot);
  }

  private siftDown(position: number): void {
    const heap = this.heap;
    const size = this.size;
    const slot = heap[position] as number;
    let at = position;
    for (;;) {
      const left = 2 * at + 1;
      if (left >= size) break;
      const right = left + 1;
      let child = left;
      if (right < size && this.before(heap[right] as number, heap[left] as number)) child = right;
      const below = heap[child] as number;
      if (!this.before(below, slot)) break;
      this.place(at, below);
      at = child;
    }
    this.place(at, slot);
  }

  private grow(capacity: number): void {
    this.timeUs = grownFloat64(this.timeUs, capacity);
    this.seq = grownFloat64(this.seq, capacity);
    this.kind = grownInt32(this.kind, capacity);
    this.target = grownInt32(this.target, capacity);
    this.heap = grownInt32(this.heap, capacity);
    this.position = grownInt32(this.position, capacity);
  }
}
