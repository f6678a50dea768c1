// Counter-based draws for messages that carry a key of their own (a cluster cache's request id): the i-th draw
// for (link, key) is a hash of the link's seed, the key and i. Unlike a link's stream (link-streams.ts), the
// draws do not depend on the order in which messages are sent, so a cluster that steps ahead of the kernel's
// clock (src/world/cluster/engine.ts) draws exactly what the one-event-per-poll reference draws.
import type { RandomStreams, Rng } from '../kernel/random.js';

const TWO_POW_32 = 4294967296;

/** Murmur3's 32-bit finaliser: every input bit affects every output bit. */
function fmix32(value: number): number {
  let h = value;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Uniform in [0, 1) for (seed, key, index): two rounds of mixing over the three words. */
export function keyedUniform(seed: number, key: number, index: number): number {
  const keyed = fmix32((seed ^ Math.imul(key >>> 0, 0x9e3779b1) ^ Math.imul(Math.floor(key / TWO_POW_32), 0x7feb352d)) >>> 0);
  return fmix32((keyed + Math.imul(index + 1, 0x632be5ab)) >>> 0) / TWO_POW_32;
}

export class KeyedDraws {
  private readonly seedByLink = new Map<number, number>();
  private seed = 0;
  private key = 0;
  private index = 0;
  /** The generator handed out by rngFor: reads the (link, key) set last. Valid until the next rngFor call. */
  private readonly rng: Rng = () => keyedUniform(this.seed, this.key, this.index++);

  constructor(
    private readonly streams: RandomStreams,
    private readonly nodeCount: number,
  ) {}

  /** The draws of message `key` on the link from `from` to `to`, starting at the first. */
  rngFor(from: number, to: number, key: number): Rng {
    if (!Number.isInteger(key) || key < 0) throw new RangeError(`a draw key must be a non-negative integer, got ${key}`);
    const link = from * this.nodeCount + to;
    let seed = this.seedByLink.get(link);
    if (seed === undefined) {
      seed = Math.floor(this.streams.stream(`network/keyed/${from}>${to}`)() * TWO_POW_32);
      this.seedByLink.set(link, seed);
    }
    this.seed = seed;
    this.key = key;
    this.index = 0;
    return this.rng;
  }
}
