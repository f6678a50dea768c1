// What a message or transfer between two nodes needs of its path besides its own draws: the base one-way delay and
// round trip, the loss probability, the TCP capacity, and the delay faults add. They are worked out once per path
// and kept until the faults on paths change (FaultState.pathGeneration). Hot path: asked for every message between
// a cluster cache and its upstreams, two or three times each (send, settled answer, bounds), where a great-circle
// distance, a square root and a scan of the fault conditions were worked out every time.

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

const EMPTY = -1;
/** memoSizeBytes of a path with no memo (no message has a negative size). */
export const MEMO_NONE = -1;
const INITIAL_CAPACITY = 1024;

export class PathTerms {
  /** The slot lookUp filled last; its terms are read from the arrays below. */
  baseUs = new Float64Array(INITIAL_CAPACITY);
  rttUs = new Float64Array(INITIAL_CAPACITY);
  lossProbability = new Float64Array(INITIAL_CAPACITY);
  capacityBytesPerS = new Float64Array(INITIAL_CAPACITY);
  extraDelayUs = new Float64Array(INITIAL_CAPACITY);
  /** The path's keyed-draw seed (PathTermSource.keyedSeed), kept for the run. */
  keyedSeed = new Float64Array(INITIAL_CAPACITY);
  /**
   * A memo the network keeps per path for the message size it was asked last (MEMO_NONE for none): what a message's
   * delay needs besides its draws. Cleared whenever the path's terms are worked out again, or the table grows. Hot
   * path: most messages on a path have the size of the one before (requests, Not Modified answers).
   */
  memoSizeBytes = new Float64Array(INITIAL_CAPACITY).fill(MEMO_NONE);
  memoFixedUs = new Float64Array(INITIAL_CAPACITY);
  memoJitterSpanUs = new Float64Array(INITIAL_CAPACITY);
  memoAttemptLoss = new Float64Array(INITIAL_CAPACITY);
  private link = new Float64Array(INITIAL_CAPACITY).fill(EMPTY);
  private generationOf = new Float64Array(INITIAL_CAPACITY);
  private used = 0;

  constructor(
    private readonly source: PathTermSource,
    private readonly nodeCount: number,
  ) {}

  /** The slot of the path from `from` to `to`, its terms up to date. Valid until the next call. */
  lookUp(from: number, to: number): number {
    const link = from * this.nodeCount + to;
    const mask = this.link.length - 1;
    let slot = hash(from, to) & mask;
    for (;;) {
      const held = this.link[slot] as number;
      if (held === link) break;
      if (held === EMPTY) {
        this.link[slot] = link;
        this.generationOf[slot] = -1;
        this.keyedSeed[slot] = this.source.keyedSeed(from, to);
        this.used++;
        if (2 * this.used > this.link.length) {
          this.grow();
          return this.lookUp(from, to);
        }
        break;
      }
      slot = (slot + 1) & mask;
    }
    const generation = this.source.generation();
    if (this.generationOf[slot] !== generation) this.fill(slot, from, to, generation);
    return slot;
  }

  private fill(slot: number, from: number, to: number, generation: number): void {
    const source = this.source;
    const baseUs = source.baseOneWayUs(from, to);
    const rttUs = Math.round(2 * baseUs);
    const lossProbability = source.lossProbability(from, to);
    this.baseUs[slot] = baseUs;
    this.rttUs[slot] = rttUs;
    this.lossProbability[slot] = lossProbability;
    this.capacityBytesPerS[slot] = source.capacityBytesPerS(from, to, rttUs, lossProbability);
    this.extraDelayUs[slot] = source.extraDelayUs(from, to);
    this.memoSizeBytes[slot] = MEMO_NONE;
    this.generationOf[slot] = generation;
  }

  private grow(): void {
    const links = this.link;
    const generations = this.generationOf;
    const terms = [this.baseUs, this.rttUs, this.lossProbability, this.capacityBytesPerS, this.extraDelayUs, this.keyedSeed];
    const capacity = 2 * links.length;
    this.link = new Float64Array(capacity).fill(EMPTY);
    this.generationOf = new Float64Array(capacity);
    this.baseUs = new Float64Array(capacity);
    this.rttUs = new Float64Array(capacity);
    this.lossProbability = new Float64Array(capacity);
    this.capacityBytesPerS = new Float64Array(capacity);
    this.extraDelayUs = new Float64Array(capacity);
    this.keyedSeed = new Float64Array(capacity);
    this.memoSizeBytes = new Float64Array(capacity).fill(MEMO_NONE);
    this.memoFixedUs = new Float64Array(capacity);
    this.memoJitterSpanUs = new Float64Array(capacity);
    this.memoAttemptLoss = new Float64Array(capacity);
    const grown = [this.baseUs, this.rttUs, this.lossProbability, this.capacityBytesPerS, this.extraDelayUs, this.keyedSeed];
    const mask = capacity - 1;
    for (let k = 0; k < links.length; k++) {
      const link = links[k] as number;
      if (link === EMPTY) continue;
      const from = Math.floor(link / this.nodeCount);
      let slot = hash(from, link - from * this.nodeCount) & mask;
      while (this.link[slot] !== EMPTY) slot = (slot + 1) & mask;
      this.link[slot] = link;
      this.generationOf[slot] = generations[k] as number;
      for (let t = 0; t < terms.length; t++) (grown[t] as Float64Array)[slot] = (terms[t] as Float64Array)[k] as number;
    }
  }
}

function hash(from: number, to: number): number {
  return (Math.imul(from, 0x9e3779b1) ^ Math.imul(to, 0x85ebca6b)) >>> 0;
}
