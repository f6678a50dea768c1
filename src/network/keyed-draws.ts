// Counter-based draws for messages that carry a key of their own (a cluster cache's request id): the i-th draw
// for (link, key) is a hash of the link's seed, the key and i. Unlike a link's stream (link-streams.ts), the
// draws do not depend on the order in which messages are sent, so a cluster that steps ahead of the kernel's
// clock (src/world/cluster/engine.ts) draws exactly what the one-event-per-poll reference draws.
import { keyedBase, keyedDraw, type RandomStreams, type Rng } from '../kernel/random.js';

export class KeyedDraws {
  /** keyedBase of the (link, key) set last: a message draws once or twice for its jitter and loss. */
  private base = 0;
  private index = 0;
  /** The generator handed out by rngFor: keyedUniform(link seed, key, i) for i = 0, 1, ... Valid until the next rngFor call. */
  private readonly rng: Rng = () => keyedDraw(this.base, this.index++);

  constructor(private readonly streams: RandomStreams) {}

  /**
   * The seed of the link from `from` to `to`, worked out from its label (a stream is made for it): asked once per
   * path, whose terms keep it (path-terms.ts).
   */
  seedOf(from: number, to: number): number {
    return this.streams.keyedSeed(`network/keyed/${from}>${to}`);
  }

  /** The draws of message `key` on the link whose seed is linkSeed (seedOf), starting at the first. */
  rngFor(linkSeed: number, key: number): Rng {
    this.firstDraw(linkSeed, key);
    this.index = 0;
    return this.rng;
  }

  /**
   * The first draw of message `key` (what rngFor's generator returns first), without a call through the generator;
   * `rest` then hands out the draws after it. Hot path: a message's jitter is its first draw, and most messages draw
   * nothing else.
   */
  firstDraw(linkSeed: number, key: number): number {
    if (!Number.isInteger(key) || key < 0) throw new RangeError(`a draw key must be a non-negative integer, got ${key}`);
    this.base = keyedBase(linkSeed, key);
    this.index = 1;
    return keyedDraw(this.base, 0);
  }

  /** The draw `rest` would hand out next, without taking it. */
  peekNext(): number {
    return keyedDraw(this.base, this.index);
  }

  /** The draws after firstDraw's, in order (valid until the next rngFor or firstDraw call). */
  get rest(): Rng {
    return this.rng;
  }
}
