// The pending-event set: a heap-js binary heap of pooled event records, ordered by
// (timeUs, seq). seq only grows, so same-time events run first-in first-out.
import { Heap } from 'heap-js';

/** Anything the kernel can deliver an event to. `targetId` feeds the trajectory fingerprint. */
export interface EventTarget {
  readonly targetId: number;
  onEvent(nowUs: number, kind: number, arg: unknown): void;
}

/** A queue entry. Records are pooled and reused: never keep a reference after it has fired. */
export interface PendingEvent {
  timeUs: number;
  seq: number;
  kind: number;
  target: EventTarget | null;
  arg: unknown;
}

function compareEvents(a: PendingEvent, b: PendingEvent): number {
  return a.timeUs - b.timeUs || a.seq - b.seq;
}

/**
 * heap-js's heap with its sift-down and sift-up specialised to event records. Hot path: the inherited
 * ones call the comparator through a property for every comparison; these compare (timeUs, seq) in
 * place. Same order as compareEvents, which the heap still uses everywhere else.
 */
class EventHeap extends Heap<PendingEvent> {
  override _sortNodeUp(index: number): void {
    const array = this.heapArray;
    const value = array[index] as PendingEvent;
    const valueTimeUs = value.timeUs;
    const valueSeq = value.seq;
    let i = index;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const parentEvent = array[parent] as PendingEvent;
      if (!(valueTimeUs < parentEvent.timeUs || (valueTimeUs === parentEvent.timeUs && valueSeq < parentEvent.seq))) break;
      array[i] = parentEvent;
      i = parent;
    }
    if (i !== index) array[i] = value;
  }

  override _sortNodeDown(index: number): void {
    const array = this.heapArray;
    const length = array.length;
    const value = array[index] as PendingEvent;
    const valueTimeUs = value.timeUs;
    const valueSeq = value.seq;
    let i = index;
    let left = 2 * i + 1;
    while (left < length) {
      const right = left + 1;
      let best = left;
      let bestEvent = array[left] as PendingEvent;
      if (right < length) {
        const rightEvent = array[right] as PendingEvent;
        if (rightEvent.timeUs < bestEvent.timeUs || (rightEvent.timeUs === bestEvent.timeUs && rightEvent.seq < bestEvent.seq)) {
          best = right;
          bestEvent = rightEvent;
        }
      }
      if (!(bestEvent.timeUs < valueTimeUs || (bestEvent.timeUs === valueTimeUs && bestEvent.seq < valueSeq))) break;
      array[i] = bestEvent;
      i = best;
      left = 2 * i + 1;
    }
    if (i !== index) array[i] = value;
  }
}

export class EventQueue {
  private readonly heap = new EventHeap(compareEvents);
  // Hot path: fired records go back to this pool instead of becoming garbage.
  // Reuse gains 1.3-1.7x over a new object per event (../shared/PERF_NOTES.md).
  private readonly pool: PendingEvent[] = [];
  private nextSeq = 0;

  get size(): number {
    return this.heap.length;
  }

  peek(): PendingEvent | undefined {
    return this.heap.peek();
  }

  /** The sequence number the next push would take, taken now for an event to be pushed later (pushReserved). */
  reserveSeq(): number {
    return this.nextSeq++;
  }

  /** Whether seq has been handed out, by a push or by reserveSeq. */
  isIssued(seq: number): boolean {
    return Number.isInteger(seq) && seq >= 0 && seq < this.nextSeq;
  }

  /** Inserts an event and returns its sequence number, which is also its cancellation token. */
  push(timeUs: number, target: EventTarget, kind: number, arg: unknown): number {
    const seq = this.nextSeq++;
    this.heap.add(this.fill(timeUs, seq, target, kind, arg));
    return seq;
  }

  /** Inserts an event under a sequence number from reserveSeq, which it must be the only one to use. */
  pushReserved(timeUs: number, seq: number, target: EventTarget, kind: number, arg: unknown): number {
    this.heap.add(this.fill(timeUs, seq, target, kind, arg));
    return seq;
  }

  /**
   * Removes the top event and inserts a new one in a single sift-down. Hot path: the spent top
   * record is rewritten in place and sifted down, so no record moves through the pool.
   */
  replaceTop(timeUs: number, target: EventTarget, kind: number, arg: unknown, reservedSeq = -1): number {
    const top = this.heap.peek() as PendingEvent;
    const seq = reservedSeq >= 0 ? reservedSeq : this.nextSeq++;
    top.timeUs = timeUs;
    top.seq = seq;
    top.kind = kind;
    top.target = target;
    top.arg = arg;
    this.heap.replace(top);
    return seq;
  }

  /**
   * Drops every event whose sequence number is in `cancelled`, except the top when keepTop (the event being run, whose
   * record the kernel still uses), and re-forms the heap in one O(n) pass. The order of the rest is unchanged: it is
   * (timeUs, seq), whatever the heap's layout.
   */
  removeCancelled(cancelled: { has(token: number): boolean }, keepTop: boolean): void {
    const kept: PendingEvent[] = [];
    const events = this.heap.heapArray;
    for (let k = 0; k < events.length; k++) {
      const event = events[k] as PendingEvent;
      if ((k === 0 && keepTop) || !cancelled.has(event.seq)) kept.push(event);
      else this.release(event);
    }
    this.heap.init(kept);
  }

  popTop(): void {
    const old = this.heap.pop();
    if (old !== undefined) this.release(old);
  }

  private fill(timeUs: number, seq: number, target: EventTarget, kind: number, arg: unknown): PendingEvent {
    const event = this.pool.pop() ?? { timeUs: 0, seq: 0, kind: 0, target: null, arg: undefined };
    event.timeUs = timeUs;
    event.seq = seq;
    event.kind = kind;
    event.target = target;
    event.arg = arg;
    return event;
  }

  private release(event: PendingEvent): void {
    event.target = null;
    event.arg = undefined;
    this.pool.push(event);
  }
}
