// Every cluster cache's requests upstream (to its parent site, or an SP after fail-over) for the engine (engine.ts), in
// one fleet-wide pool of rows: HttpCache's requests in flight (src/acms/http-cache.ts), with the Receivers waiting for
// each version. A cluster keeps its requests as a list through the pool, in the order they were made.
//
// Hot path: about 700,000 requests an hour in the paper replay, each made and finished within seconds. As an object
// with an array of waiters each, every request was written to memory the allocator had just handed out, which no
// cache holds (most of the engine bench's cache misses were there: src/world/README.md). A row of this pool is one
// freed a moment ago, still in cache: a request is a row of four numbers and a row of sixteen integers, a cache line
// or two.

/** No row (the end of a list, or no request). */
export const NO_ROW = -1;
const NONE = NO_ROW;

// A request's numbers, at 4 * row + these.
const VERSION_KEY = 0;
const SIZE_BYTES = 1;
const DEADLINE_US = 2;
const EARLIEST_ANSWER_US = 3;
const NUMBER_STRIDE = 4;

// A request's integers, at 16 * row + these.
const REQUEST_ID = 0;
const FILE_ID = 1;
/** The upstream it was sent to last. */
const TARGET = 2;
const TARGETS_TRIED = 3;
/** Bit u: upstream u (in the cache's order of upstreams) was tried. */
const TRIED_MASK = 4;
const SETTLED = 5;
const EVER_UNSETTLED = 6;
const SURE = 7;
/** The next row of its cluster's list (or of the free list), NONE at the end. */
const NEXT = 8;
/** The Receivers that wait for this version, in order of asking: the first and last entries of the waiter pool. */
const FIRST_WAITER = 9;
const LAST_WAITER = 10;
const INTEGER_STRIDE = 16;

export class UpstreamRequests {
  private numbers = new Float64Array(0);
  private integers = new Int32Array(0);
  private freeRow = NONE;
  /** Waiters: the Receiver's place in its cluster and the next entry, two integers an entry. */
  private waiters = new Int32Array(0);
  private freeWaiter = NONE;

  /**
   * A new request for versionKey of fileId (-1, -1 for the root index), as a request not yet sent: no upstream tried,
   * settled (the engine's sendUpstream decides), no deadline, no waiters. Returns its row, linked to none.
   */
  allocate(requestId: number, versionKey: number, fileId: number, sizeBytes: number): number {
    if (this.freeRow === NONE) this.growRows();
    const row = this.freeRow;
    const ints = this.integers;
    const at = INTEGER_STRIDE * row;
    this.freeRow = ints[at + NEXT] as number;
    ints[at + REQUEST_ID] = requestId;
    ints[at + FILE_ID] = fileId;
    ints[at + TARGET] = -1;
    ints[at + TARGETS_TRIED] = 0;
    ints[at + TRIED_MASK] = 0;
    ints[at + SETTLED] = 1;
    ints[at + EVER_UNSETTLED] = 0;
    ints[at + SURE] = 0;
    ints[at + NEXT] = NONE;
    ints[at + FIRST_WAITER] = NONE;
    ints[at + LAST_WAITER] = NONE;
    const numbers = this.numbers;
    const n = NUMBER_STRIDE * row;
    numbers[n + VERSION_KEY] = versionKey;
    numbers[n + SIZE_BYTES] = sizeBytes;
    numbers[n + DEADLINE_US] = Infinity;
    numbers[n + EARLIEST_ANSWER_US] = Infinity;
    return row;
  }

  /** The row and its waiters go back to the pool. Its cluster has unlinked it. */
  free(row: number): void {
    this.freeWaiters(this.takeWaiters(row));
    this.integers[INTEGER_STRIDE * row + NEXT] = this.freeRow;
    this.freeRow = row;
  }

  // ---- a request's fields ----

  requestIdOf(row: number): number {
    return this.integers[INTEGER_STRIDE * row + REQUEST_ID] as number;
  }

  /** -1 for the root index, else the file version. */
  versionKeyOf(row: number): number {
    return this.numbers[NUMBER_STRIDE * row + VERSION_KEY] as number;
  }

  fileIdOf(row: number): number {
    return this.integers[INTEGER_STRIDE * row + FILE_ID] as number;
  }

  sizeBytesOf(row: number): number {
    return this.numbers[NUMBER_STRIDE * row + SIZE_BYTES] as number;
  }

  targetOf(row: number): number {
    return this.integers[INTEGER_STRIDE * row + TARGET] as number;
  }

  targetsTriedOf(row: number): number {
    return this.integers[INTEGER_STRIDE * row + TARGETS_TRIED] as number;
  }

  triedMaskOf(row: number): number {
    return this.integers[INTEGER_STRIDE * row + TRIED_MASK] as number;
  }

  /** The request is sent (again) to target, its upstream number choice in the cache's order. */
  markSent(row: number, choice: number, target: number): void {
    const ints = this.integers;
    const at = INTEGER_STRIDE * row;
    ints[at + TARGET] = target;
    ints[at + TRIED_MASK] = (ints[at + TRIED_MASK] as number) | (1 << choice);
    ints[at + TARGETS_TRIED] = (ints[at + TARGETS_TRIED] as number) + 1;
  }

  deadlineOf(row: number): number {
    return this.numbers[NUMBER_STRIDE * row + DEADLINE_US] as number;
  }

  setDeadline(row: number, deadlineUs: number): void {
    this.numbers[NUMBER_STRIDE * row + DEADLINE_US] = deadlineUs;
  }

  /** Unsettled: no answer to any of its attempts can arrive before this (ClusterEnvironment.earliestAnswerUs). */
  earliestAnswerOf(row: number): number {
    return this.numbers[NUMBER_STRIDE * row + EARLIEST_ANSWER_US] as number;
  }

  setEarliestAnswer(row: number, atUs: number): void {
    this.numbers[NUMBER_STRIDE * row + EARLIEST_ANSWER_US] = atUs;
  }

  /** Its answer is known and waits in the timeline's agenda (it arrives before the deadline). */
  isSettled(row: number): boolean {
    return this.integers[INTEGER_STRIDE * row + SETTLED] === 1;
  }

  setSettledFlag(row: number, settled: boolean): void {
    this.integers[INTEGER_STRIDE * row + SETTLED] = settled ? 1 : 0;
  }

  /** An earlier attempt went unsettled: its answer (same request id) may still arrive, so no later one is settled. */
  wasEverUnsettled(row: number): boolean {
    return this.integers[INTEGER_STRIDE * row + EVER_UNSETTLED] === 1;
  }

  setEverUnsettled(row: number, everUnsettled: boolean): void {
    this.integers[INTEGER_STRIDE * row + EVER_UNSETTLED] = everUnsettled ? 1 : 0;
  }

  /** Unsettled, but its only possible outcome before the deadline is success (ClusterEnvironment.answerSure). */
  isSure(row: number): boolean {
    return this.integers[INTEGER_STRIDE * row + SURE] === 1;
  }

  setSure(row: number, sure: boolean): void {
    this.integers[INTEGER_STRIDE * row + SURE] = sure ? 1 : 0;
  }

  // ---- a cluster's list ----

  /** The row after this one in its cluster's list, NONE at the end. */
  nextOf(row: number): number {
    return this.integers[INTEGER_STRIDE * row + NEXT] as number;
  }

  setNext(row: number, next: number): void {
    this.integers[INTEGER_STRIDE * row + NEXT] = next;
  }

  // ---- waiters ----

  /** Receiver place waits for the request's answer, after those already waiting. */
  addWaiter(row: number, place: number): void {
    if (this.freeWaiter === NONE) this.growWaiters();
    const waiters = this.waiters;
    const entry = this.freeWaiter;
    this.freeWaiter = waiters[entry + 1] as number;
    waiters[entry] = place;
    waiters[entry + 1] = NONE;
    const ints = this.integers;
    const at = INTEGER_STRIDE * row;
    const last = ints[at + LAST_WAITER] as number;
    if (last === NONE) ints[at + FIRST_WAITER] = entry;
    else waiters[last + 1] = entry;
    ints[at + LAST_WAITER] = entry;
  }

  /**
   * The request's waiters, taken off it (so that the row can be freed while they are answered): the first entry, then
   * nextWaiter(entry) until NONE. Give them back with freeWaiters.
   */
  takeWaiters(row: number): number {
    const ints = this.integers;
    const at = INTEGER_STRIDE * row;
    const first = ints[at + FIRST_WAITER] as number;
    ints[at + FIRST_WAITER] = NONE;
    ints[at + LAST_WAITER] = NONE;
    return first;
  }

  /** The waiting Receiver's place in its cluster. */
  placeOf(entry: number): number {
    return this.waiters[entry] as number;
  }

  nextWaiter(entry: number): number {
    return this.waiters[entry + 1] as number;
  }

  /** A list of waiters taken with takeWaiters goes back to the pool. */
  freeWaiters(first: number): void {
    const waiters = this.waiters;
    let entry = first;
    while (entry !== NONE) {
      const next = waiters[entry + 1] as number;
      waiters[entry + 1] = this.freeWaiter;
      this.freeWaiter = entry;
      entry = next;
    }
  }

  /** Doubles the rows (64 at first); the new ones go on the free list, lowest first. */
  private growRows(): void {
    const held = this.numbers.length / NUMBER_STRIDE;
    const capacity = Math.max(64, 2 * held);
    const numbers = new Float64Array(capacity * NUMBER_STRIDE);
    numbers.set(this.numbers);
    const ints = new Int32Array(capacity * INTEGER_STRIDE);
    ints.set(this.integers);
    for (let row = capacity - 1; row >= held; row--) {
      ints[INTEGER_STRIDE * row + NEXT] = this.freeRow;
      this.freeRow = row;
    }
    this.numbers = numbers;
    this.integers = ints;
  }

  private growWaiters(): void {
    const held = this.waiters.length / 2;
    const capacity = Math.max(64, 2 * held);
    const waiters = new Int32Array(capacity * 2);
    waiters.set(this.waiters);
    for (let k = capacity - 1; k >= held; k--) {
      waiters[2 * k + 1] = this.freeWaiter;
      this.freeWaiter = 2 * k;
    }
    this.waiters = waiters;
  }
}
