// What a message or transfer between two nodes needs of its path besides its own draws: the base one-way delay and
// round trip, the loss probability, the TCP capacity, and the delay faults add. They are worked out once per path
// and kept until the faults on paths change (FaultState.pathGeneration). Hot path: asked for every message between
// a cluster cache and its upstreams, two or three times each (send, settled answer, bounds), where a great-circle
// distance, a square root and a scan of the fault conditions were worked out every time.
//
// Each path's terms are one record of a Float64Array (PATH_* offsets), so that a look-up fetches a cache line or
// two: as one array per term (twelve), every message at 150,000 servers fetched a line from each, and the table
// (a path per cluster cache and upstream) no longer stayed in cache.

/** How the terms of a path are worked out (the Network's own formulas). */
export interface PathTermSource {
  baseOneWayUs(from: number, to: number): number;
  lossProbability(from: number, to: number): number;
  capacityBytesPerS(from: number, to: number, rttUs: number, lossProbability: number): number;
  extraDelayUs(from: number, to: number): number;
  /** The seed of the path's keyed draws (keyed-draws.ts): fixed for the run, worked out once per path. */
  keyedSeed(from: number, to: number): number;
  /** Changes whenever anything the terms depend on changes. */
  generation(): number;
}

/** Offsets of a path's terms in its record (PathTerms.terms, from lookUp's offset). */
export const PATH_BASE_US = 0;
export const PATH_RTT_US = 1;
export const PATH_LOSS_PROBABILITY = 2;
export const PATH_CAPACITY_BYTES_PER_S = 3;
export const PATH_EXTRA_DELAY_US = 4;
/** The path's keyed-draw seed (PathTermSource.keyedSeed), kept for the run. */
export const PATH_KEYED_SEED = 5;
/**
 * A memo the network keeps per path for the message size it was asked last (MEMO_NONE for none): what a message's
 * delay needs besides its draws. Cleared whenever the path's terms are worked out again. Hot path: most messages on
 * a path have the size of the one before (requests, Not Modified answers).
 */
export const PATH_MEMO_SIZE_BYTES = 6;
export const PATH_MEMO_FIXED_US = 7;
export const PATH_MEMO_JITTER_SPAN_US = 8;
export const PATH_MEMO_ATTEMPT_LOSS = 9;
/** The source's generation the terms were worked out at. */
const PATH_GENERATION = 10;
const STRIDE = 12;

/** PATH_MEMO_SIZE_BYTES of a path with no memo (no message has a negative size). */
const MEMO_NONE = -1;
const EMPTY = -1;
const INITIAL_CAPACITY = 1024;

export class PathTerms {
  /** Every path's record, in the order the paths were first looked up: read at lookUp's offset plus a PATH_* offset. */
  terms = new Float64Array(INITIAL_CAPACITY * STRIDE);
  /** The hash table: per slot, the link (from * nodeCount + to, EMPTY for none) and its record's offset, side by side. */
  private slots = new Float64Array(2 * INITIAL_CAPACITY).fill(EMPTY);
  private used = 0;
  /**
   * The path each node sent on last (its other end and record offset, -1 for none), and the path each node received
   * on last: a cluster cache sends to its parent, a parent answers each cluster, so nearly every look-up between them
   * is one of these two reads instead of a probe of the hash table, which is a cache miss of its own at every exchange.
   * Records never move (add appends; terms grows by copying), so a remembered offset stays valid.
   */
  private readonly lastToOf: Int32Array;
  private readonly lastAtFrom: Int32Array;
  private readonly lastFromOf: Int32Array;
  private readonly lastAtTo: Int32Array;

  constructor(
    private readonly source: PathTermSource,
    private readonly nodeCount: number,
  ) {
    this.lastToOf = new Int32Array(nodeCount).fill(-1);
    this.lastAtFrom = new Int32Array(nodeCount);
    this.lastFromOf = new Int32Array(nodeCount).fill(-1);
    this.lastAtTo = new Int32Array(nodeCount);
  }

  /** The offset in terms of the record of the path from `from` to `to`, its terms up to date. */
  lookUp(from: number, to: number): number {
    let at: number;
    if (this.lastToOf[from] === to) at = this.lastAtFrom[from] as number;
    else if (this.lastFromOf[to] === from) at = this.lastAtTo[to] as number;
    else {
      at = this.probe(from, to);
      this.lastToOf[from] = to;
      this.lastAtFrom[from] = at;
      this.lastFromOf[to] = from;
      this.lastAtTo[to] = at;
    }
    const generation = this.source.generation();
    if (this.terms[at + PATH_GENERATION] !== generation) this.fill(at, from, to, generation);
    return at;
  }

  /** The offset of the path's record, found in (or added to) the hash table. */
  private probe(from: number, to: number): number {
    const link = from * this.nodeCount + to;
    const slots = this.slots;
    const mask = slots.length / 2 - 1;
    let slot = hash(from, to) & mask;
    let at: number;
    for (;;) {
      const held = slots[2 * slot] as number;
      if (held === link) {
        at = slots[2 * slot + 1] as number;
        break;
      }
      if (held === EMPTY) {
        at = this.add(slot, link, from, to);
        break;
      }
      slot = (slot + 1) & mask;
    }
    return at;
  }

  /** A new path's record, at the end of terms, filed at the empty slot its look-up stopped at. */
  private add(slot: number, link: number, from: number, to: number): number {
    const at = this.used * STRIDE;
    if (at + STRIDE > this.terms.length) {
      const terms = new Float64Array(2 * this.terms.length);
      terms.set(this.terms);
      this.terms = terms;
    }
    this.terms[at + PATH_GENERATION] = NaN;
    this.terms[at + PATH_KEYED_SEED] = this.source.keyedSeed(from, to);
    this.slots[2 * slot] = link;
    this.slots[2 * slot + 1] = at;
    this.used++;
    if (2 * this.used > this.slots.length / 2) this.growSlots();
    return at;
  }

  private fill(at: number, from: number, to: number, generation: number): void {
    const source = this.source;
    const terms = this.terms;
    const baseUs = source.baseOneWayUs(from, to);
    const rttUs = Math.round(2 * baseUs);
    const lossProbability = source.lossProbability(from, to);
    terms[at + PATH_BASE_US] = baseUs;
    terms[at + PATH_RTT_US] = rttUs;
    terms[at + PATH_LOSS_PROBABILITY] = lossProbability;
    terms[at + PATH_CAPACITY_BYTES_PER_S] = source.capacityBytesPerS(from, to, rttUs, lossProbability);
    terms[at + PATH_EXTRA_DELAY_US] = source.extraDelayUs(from, to);
    terms[at + PATH_MEMO_SIZE_BYTES] = MEMO_NONE;
    terms[at + PATH_GENERATION] = generation;
  }

  /** Twice the slots; the records stay where they are. */
  private growSlots(): void {
    const old = this.slots;
    const slots = new Float64Array(2 * old.length).fill(EMPTY);
    const mask = slots.length / 2 - 1;
    for (let k = 0; k < old.length; k += 2) {
      const link = old[k] as number;
      if (link === EMPTY) continue;
      const from = Math.floor(link / this.nodeCount);
      let slot = hash(from, link - from * this.nodeCount) & mask;
      while (slots[2 * slot] !== EMPTY) slot = (slot + 1) & mask;
      slots[2 * slot] = link;
      slots[2 * slot + 1] = old[k + 1] as number;
    }
    this.slots = slots;
  }
}

function hash(from: number, to: number): number {
  return (Math.imul(from, 0x9e3779b1) ^ Math.imul(to, 0x85ebca6b)) >>> 0;
}
