// Counter-based draws for messages that carry a key of their own (a cluster cache's request id): the i-th draw
// for (link, key) is a hash of the link's seed, the key and i. Unlike a link's stream (link-streams.ts), the
// draws do not depend on the order in which messages are sent, so a cluster that steps ahead of the kernel's
// clock (src/world/cluster/engine.ts) draws exactly what the one-event-per-poll reference draws.
import { keyedUniform, type RandomStreams, type Rng } from '../kernel/random.js';

export class KeyedDraws {
  /**
   * Each link's seed, found again by an open-addressing table (linear probing) on the link number: asked for every
   * message between a cluster cache and its upstreams (about 30 million in the paper replay). Hot path: a Map here was
   * one of the engine's hottest lines.
   */
  private tableLink = new Float64Array(1024).fill(-1);
  private tableSeed = new Float64Array(1024);
  private tableCount = 0;
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
    this.seed = this.seedOf(from * this.nodeCount + to, from, to);
    this.key = key;
    this.index = 0;
    return this.rng;
  }

  private seedOf(link: number, from: number, to: number): number {
    const mask = this.tableLink.length - 1;
    let at = linkHash(from, to) & mask;
    for (;;) {
      const held = this.tableLink[at] as number;
      if (held === link) return this.tableSeed[at] as number;
      if (held === -1) break;
      at = (at + 1) & mask;
    }
    const seed = this.streams.keyedSeed(`network/keyed/${from}>${to}`);
    this.tableLink[at] = link;
    this.tableSeed[at] = seed;
    this.tableCount++;
    if (this.tableCount * 2 > this.tableLink.length) this.rehash();
    return seed;
  }

  private rehash(): void {
    const links = this.tableLink;
    const seeds = this.tableSeed;
    this.tableLink = new Float64Array(links.length * 2).fill(-1);
    this.tableSeed = new Float64Array(links.length * 2);
    const mask = this.tableLink.length - 1;
    for (let k = 0; k < links.length; k++) {
      const link = links[k] as number;
      if (link === -1) continue;
      let at = linkHash(Math.floor(link / this.nodeCount), link % this.nodeCount) & mask;
      while (this.tableLink[at] !== -1) at = (at + 1) & mask;
      this.tableLink[at] = link;
      this.tableSeed[at] = seeds[k] as number;
    }
  }
}

function linkHash(from: number, to: number): number {
  return (Math.imul(from, 0x9e3779b1) ^ Math.imul(to, 0x85ebca6b)) >>> 0;
}
