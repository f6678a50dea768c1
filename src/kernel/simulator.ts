// The event loop: virtual time in integer microseconds, one read-only clock, and four verbs
// (schedule, cancel, step, run). Time moves only inside step(). The kernel knows nothing of ACMS.
import { EventQueue, NO_SLOT, type EventTarget } from './event-queue.js';
import { SchedulingError } from './errors.js';
import { EventTrace } from './trace.js';

export type { EventTarget } from './event-queue.js';

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const TWO_POW_32 = 4294967296;

export interface RunOptions {
  /** Process events with timeUs <= untilUs, then leave the clock at untilUs. */
  untilUs?: number;
  /** Process at most this many events (a bound on every run, in the TigerBeetle spirit). */
  maxEvents?: number;
}

export type RunOutcome = 'until' | 'empty' | 'stopped' | 'maxEvents';

/** Fewer dead events than this are left to be dropped when they reach the top of the queue. */
const COMPACT_MIN_CANCELLED = 4096;

export class Simulator {
  private readonly queue = new EventQueue();
  private currentUs = 0;
  private processed = 0;
  private hash = FNV_OFFSET;
  private stopRequested = false;
  // While an event's handler runs, its slot is still the heap's top. The first event the
  // handler schedules replaces it in one sift-down instead of a pop followed by a push.
  private topIsSpent = false;
  private eventTrace: EventTrace | null = null;

  get nowUs(): number {
    return this.currentUs;
  }

  /** Events whose handler has run (cancelled events are not counted). */
  get eventsProcessed(): number {
    return this.processed;
  }

  get pendingCount(): number {
    return this.queue.size;
  }

  /** A 32-bit FNV-style hash over (timeUs, kind, targetId) of every event run, plus mix()ed values. */
  get fingerprint(): number {
    return this.hash >>> 0;
  }

  /** Starts recording the fingerprint after every event (for finding where two runs diverge). */
  enableTrace(): EventTrace {
    this.eventTrace ??= new EventTrace();
    return this.eventTrace;
  }

  get trace(): EventTrace | null {
    return this.eventTrace;
  }

  /** Folds a model value (an integer) into the trajectory fingerprint. */
  mix(value: number): void {
    let h = this.hash;
    h = Math.imul(h ^ (value | 0), FNV_PRIME);
    h = Math.imul(h ^ ((value / TWO_POW_32) | 0), FNV_PRIME);
    this.hash = h;
  }

  /** Schedules an event at an absolute time. Returns a token for cancel(). */
  scheduleAt(timeUs: number, target: EventTarget, kind = 0, arg: unknown = undefined): number {
    if (!Number.isInteger(timeUs) || timeUs < this.currentUs) throw this.badTime(timeUs);
    if (this.topIsSpent) {
      this.topIsSpent = false;
      return this.queue.replaceTop(timeUs, target, kind, arg);
    }
    return this.queue.push(timeUs, target, kind, arg);
  }

  /**
   * Why timeUs cannot be scheduled. Kept out of line: with the messages' template literals inline, the optimising
   * compiler turned every event time into a string before the check (hoisted out of the branch that throws), which
   * allocated a string per scheduled event once times passed 2^31 us and were no longer small integers.
   */
  private badTime(timeUs: number): SchedulingError {
    if (!Number.isInteger(timeUs)) return new SchedulingError(`event time must be an integer number of microseconds, got ${timeUs}`);
    return new SchedulingError(`cannot schedule at ${timeUs} us: the clock is already at ${this.currentUs} us`);
  }

  /**
   * A sequence number for an event that will be scheduled later (scheduleReserved): it then runs among the events
   * of its time as if it had been scheduled now. A host that keeps many far-off events in a queue of its own (the
   * fault schedule's transitions, one per edge server) puts only its earliest in the kernel's, and the kernel runs
   * them all in the order it would have run them had each been scheduled directly.
   */
  reserveSeq(): number {
    return this.queue.reserveSeq();
  }

  /**
   * Schedules an event under a sequence number from reserveSeq. Each reserved number is used at most once. Returns a
   * token for cancel().
   */
  scheduleReserved(timeUs: number, seq: number, target: EventTarget, kind = 0, arg: unknown = undefined): number {
    if (!Number.isInteger(timeUs) || timeUs < this.currentUs) throw this.badTime(timeUs);
    if (!this.queue.isIssued(seq)) throw new SchedulingError(`sequence number ${seq} was not reserved`);
    if (this.topIsSpent) {
      this.topIsSpent = false;
      return this.queue.replaceTop(timeUs, target, kind, arg, seq);
    }
    return this.queue.pushReserved(timeUs, seq, target, kind, arg);
  }

  /** Schedules an event delayUs after now. */
  scheduleAfter(delayUs: number, target: EventTarget, kind = 0, arg: unknown = undefined): number {
    if (delayUs < 0) throw new SchedulingError(`delay must not be negative, got ${delayUs} us`);
    return this.scheduleAt(this.currentUs + delayUs, target, kind, arg);
  }

  /**
   * Lazy cancellation: the event stays queued, marked, and is discarded when it reaches the top. When the dead events
   * outnumber the live ones (a sender whose finish moves at every join leaves one behind each time, far in the
   * future), they are dropped at once in one pass, so the queue does not grow without bound. The order of the live
   * events does not change. A token whose event has already run (or was dropped) is ignored.
   */
  cancel(token: number): void {
    const queue = this.queue;
    if (!queue.cancel(token)) return;
    if (queue.cancelledCount >= COMPACT_MIN_CANCELLED && 2 * queue.cancelledCount > queue.size) queue.removeCancelled(this.topIsSpent);
  }

  /** Asks run() to return after the event being handled. */
  stop(): void {
    this.stopRequested = true;
  }

  /** Time of the next pending event, or Infinity when there is none. */
  peekTimeUs(): number {
    const top = this.queue.topSlot();
    return top === NO_SLOT ? Infinity : this.queue.timeOf(top);
  }

  /** Runs the next event. Returns false when the queue is empty. */
  step(): boolean {
    const top = this.queue.topSlot();
    if (top === NO_SLOT) return false;
    this.dispatch(top);
    return true;
  }

  /**
   * Hot path: runs the top event in place. Its slot stays the heap's top while the handler runs, so the
   * first event the handler schedules replaces it with one sift-down (see scheduleAt). The fingerprint
   * mixes the low 32 bits of the time, the kind and the target: two multiplications per event.
   */
  private dispatch(top: number): void {
    const queue = this.queue;
    const timeUs = queue.timeOf(top);
    this.currentUs = timeUs;
    if (queue.cancelledCount !== 0 && queue.isCancelled(top)) {
      queue.popTop();
      return;
    }
    const target = queue.targetOf(top);
    const kind = queue.kindOf(top);
    const arg = queue.argOf(top);
    this.hash = Math.imul(Math.imul(this.hash ^ (timeUs | 0), FNV_PRIME) ^ (kind + (target.targetId << 8)), FNV_PRIME);
    this.processed++;
    if (this.eventTrace !== null) this.eventTrace.record(this.hash, timeUs);
    this.topIsSpent = true;
    target.onEvent(timeUs, kind, arg);
    if (this.topIsSpent) {
      this.topIsSpent = false;
      this.queue.popTop();
    }
  }

  /** Runs until the time limit, an empty queue, stop(), or the event limit, whichever is first. */
  run(options: RunOptions = {}): RunOutcome {
    const untilUs = options.untilUs ?? Infinity;
    const maxEvents = options.maxEvents ?? Infinity;
    if (untilUs < this.currentUs) {
      throw new SchedulingError(`cannot run until ${untilUs} us: the clock is already at ${this.currentUs} us`);
    }
    this.stopRequested = false;
    let budget = maxEvents;
    for (;;) {
      if (this.stopRequested) return 'stopped';
      if (budget <= 0) return 'maxEvents';
      const top = this.queue.topSlot();
      if (top === NO_SLOT) {
        if (untilUs !== Infinity) this.currentUs = untilUs;
        return 'empty';
      }
      if (this.queue.timeOf(top) > untilUs) {
        this.currentUs = untilUs;
        return 'until';
      }
      this.dispatch(top);
      budget--;
    }
  }
}
