// One random stream per directed link (sender, receiver), made when the link first carries a message.
// Jitter and loss on a link then depend only on that link's own traffic: a fault, an extra node or a
// different event order elsewhere leaves every other link's draws as they were. Two runs of scenarios
// that differ in one place therefore share their random numbers everywhere else (common random
// numbers), so their difference shows the change, not a reshuffle of the whole network's noise.
import type { RandomStreams, Rng } from '../kernel/random.js';

export class LinkStreams {
  private readonly byLink = new Map<number, Rng>();

  constructor(
    private readonly streams: RandomStreams,
    private readonly nodeCount: number,
  ) {
    if (!Number.isInteger(nodeCount) || nodeCount < 1) throw new RangeError(`nodeCount must be a positive integer, got ${nodeCount}`);
  }

  /** The stream of the link from `from` to `to` (the same object on every call). */
  of(from: number, to: number): Rng {
    const key = from * this.nodeCount + to;
    let rng = this.byLink.get(key);
    if (rng === undefined) {
      rng = this.streams.stream(`network/link/${from}>${to}`);
      this.byLink.set(key, rng);
    }
    return rng;
  }

  /** Links that have carried at least one message. */
  get linksUsed(): number {
    return this.byLink.size;
  }
}
