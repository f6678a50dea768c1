// Seeded random streams. One run seed; every component draws from its own stream, forked by a
// label ("sp/3", "receiver/1042", "faults"), so adding or removing a component never shifts the
// draws of another. Streams use seedrandom's alea: about 7x faster than its default ARC4
// (177 M vs 25 M draws/s, ../shared/PERF_NOTES.md).
import seedrandom from 'seedrandom';

/** A uniform generator on [0, 1). */
export type Rng = () => number;

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

/**
 * A counter-based generator: the index-th draw of entity `key` under a 32-bit seed, uniform in [0, 1), by two
 * rounds of mixing over the three words. No state but the caller's counter, so draws keyed by entity do not
 * depend on the order in which entities are processed, and a fleet needs no generator object per member.
 */
export function keyedUniform(seed: number, key: number, index: number): number {
  return keyedDraw(keyedBase(seed, key), index);
}

/**
 * The half of keyedUniform that depends on (seed, key) alone, for a caller that draws several times for one key
 * (a message's jitter and loss, a Receiver's polls) and keeps it: keyedDraw(keyedBase(seed, key), i) is
 * keyedUniform(seed, key, i), to the bit.
 */
export function keyedBase(seed: number, key: number): number {
  return fmix32((seed ^ Math.imul(key >>> 0, 0x9e3779b1) ^ Math.imul(Math.floor(key / TWO_POW_32), 0x7feb352d)) >>> 0);
}

/** Draw `index` of the key whose keyedBase is base: uniform in [0, 1). */
export function keyedDraw(base: number, index: number): number {
  return fmix32((base + Math.imul(index + 1, 0x632be5ab)) >>> 0) / TWO_POW_32;
}

export class RandomStreams {
  constructor(readonly seed: number | string) {}

  /** A new generator for the label. The same (seed, label) always gives the same sequence. */
  stream(label: string): Rng {
    if (label.length === 0) throw new Error('a random stream needs a non-empty label');
    return seedrandom.alea(`acmsim:${this.seed}:${label}`) as Rng;
  }

  /** A 32-bit seed for keyedUniform draws under this label (the first draw of the label's stream). */
  keyedSeed(label: string): number {
    return Math.floor(this.stream(label)() * TWO_POW_32);
  }
}

/** keyedUniform's draws of one entity as an Rng: the i-th call returns draw i. */
export function keyedRng(seed: number, key: number): Rng {
  let index = 0;
  return () => keyedUniform(seed, key, index++);
}
