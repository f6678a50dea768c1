// Events of one target held outside the kernel's queue, with only the earliest in it. A target with many far-off
// events (the fault schedule: the next outage of each of 15,000 to 1,000,000 edge servers) would otherwise fill the
// kernel's heap with entries that every push and pop has to climb past; at 150,000 servers they were 150,000 of
// its 245,000 entries. Each held event takes its sequence number from the kernel when it is added
// (Simulator.reserveSeq), so the kernel runs them where it would have run them had each been scheduled directly:
// the same trajectory, fingerprint included.
import { Heap } from 'heap-js';
import type { EventTarget, Simulator } from './simulator.js';

interface HeldEvent {
  readonly timeUs: number;
  readonly seq: number;
  readonly kind: number;
  readonly arg: unknown;
}

function compareHeld(a: HeldEvent, b: HeldEvent): number {
  return a.timeUs - b.timeUs || a.seq - b.seq;
}

export class HeldEvents {
  private readonly heap = new Heap<HeldEvent>(compareHeld);
  /** The held event now in the kernel's queue, or null. */
  private standing: HeldEvent | null = null;

  constructor(private readonly sim: Simulator, private readonly target: EventTarget) {}

  get size(): number {
    return this.heap.length;
  }

  /**
   * Holds an event for the target at timeUs, in the kernel's order as of now. The target adds events only while none
   * of its held events is in the kernel's queue (before the first arm(), or while handling the one that fired), so
   * that the one in the queue never has to be taken out again.
   */
  add(timeUs: number, kind: number, arg: unknown): void {
    if (this.standing !== null) throw new Error('held events are added only while none is in the kernel\'s queue');
    if (!Number.isInteger(timeUs) || timeUs < this.sim.nowUs) throw new RangeError(`cannot hold an event at ${timeUs} us (the clock is at ${this.sim.nowUs} us)`);
    this.heap.push({ timeUs, seq: this.sim.reserveSeq(), kind, arg });
  }

  /** Puts the earliest held event into the kernel's queue, if none is there. */
  arm(): void {
    if (this.standing !== null) return;
    const first = this.heap.peek();
    if (first === undefined) return;
    this.standing = first;
    this.sim.scheduleReserved(first.timeUs, first.seq, this.target, first.kind, first.arg);
  }

  /** The target's event from the kernel is the earliest held one: it is no longer held. Call first in onEvent. */
  fired(): void {
    const first = this.heap.pop();
    if (first === undefined || first !== this.standing) throw new Error('a held event fired that was not the one in the kernel\'s queue');
    this.standing = null;
  }
}
