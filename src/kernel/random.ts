// Seeded random streams. One run seed; every component draws from its own stream, forked by a
// label ("sp/3", "receiver/1042", "faults"), so adding or removing a component never shifts the
// draws of another. Streams use seedrandom's alea: about 7x faster than its default ARC4
// (177 M vs 25 M draws/s, ../shared/PERF_NOTES.md).
import seedrandom from 'seedrandom';

/** A uniform generator on [0, 1). */
export type Rng = () => number;

export class RandomStreams {
  constructor(readonly seed: number | string) {}

  /** A new generator for the label. The same (seed, label) always gives the same sequence. */
  stream(label: string): Rng {
    if (label.length === 0) throw new Error('a random stream needs a non-empty label');
    return seedrandom.alea(`acmsim:${this.seed}:${label}`) as Rng;
  }
}
