// PathTerms keeps each path's terms until its source's generation changes, and gives what the source gives.
import { describe, expect, it } from 'vitest';
import {
  PATH_BASE_US,
  PATH_CAPACITY_BYTES_PER_S,
  PATH_EXTRA_DELAY_US,
  PATH_KEYED_SEED,
  PATH_LOSS_PROBABILITY,
  PATH_RTT_US,
  PathTerms,
  type PathTermSource,
} from '../../src/network/path-terms.js';

function countingSource(): PathTermSource & { calls: number; generationNow: number; extraUs: number } {
  const source = {
    calls: 0,
    generationNow: 0,
    extraUs: 0,
    baseOneWayUs(from: number, to: number): number {
      source.calls++;
      return 1000.25 * (from + 1) + 7 * to;
    },
    lossProbability: (from: number, to: number): number => (from === to ? 0 : 0.001 * (1 + ((from + to) % 3))),
    capacityBytesPerS: (_from: number, _to: number, rttUs: number, lossProbability: number): number => 1e9 / (rttUs * (1 + lossProbability)),
    extraDelayUs: (): number => source.extraUs,
    keyedSeed: (from: number, to: number): number => 1000 * from + to,
    generation: (): number => source.generationNow,
  };
  return source;
}

describe('PathTerms', () => {
  it('gives the source terms of every path, works each out once per generation, and survives growing', () => {
    const source = countingSource();
    const paths = new PathTerms(source, 3000);
    for (let round = 0; round < 2; round++) {
      for (let from = 0; from < 3000; from += 3) {
        const to = (from * 13) % 3000;
        const at = paths.lookUp(from, to);
        const baseUs = source.baseOneWayUs(from, to);
        source.calls--;
        expect(paths.terms[at + PATH_BASE_US]).toBe(baseUs);
        expect(paths.terms[at + PATH_RTT_US]).toBe(Math.round(2 * baseUs));
        expect(paths.terms[at + PATH_LOSS_PROBABILITY]).toBe(source.lossProbability(from, to));
        expect(paths.terms[at + PATH_CAPACITY_BYTES_PER_S]).toBe(source.capacityBytesPerS(from, to, Math.round(2 * baseUs), source.lossProbability(from, to)));
        expect(paths.terms[at + PATH_KEYED_SEED]).toBe(1000 * from + to);
      }
    }
    // 1,000 paths, each worked out once; the table grew past its first 1,024 slots' half without losing any.
    expect(source.calls).toBe(1000);
  });

  it('keeps every record where it is as the records and the hash table grow', () => {
    const source = countingSource();
    const paths = new PathTerms(source, 5000);
    // 2,500 paths: past the first 1,024 records and past two doublings of the table.
    const offsets: number[] = [];
    for (let from = 0; from < 2500; from++) offsets.push(paths.lookUp(from, 4999 - from));
    expect(new Set(offsets).size).toBe(2500);
    for (let from = 0; from < 2500; from++) {
      expect(paths.lookUp(from, 4999 - from)).toBe(offsets[from]);
      expect(paths.terms[(offsets[from] as number) + PATH_KEYED_SEED]).toBe(1000 * from + 4999 - from);
    }
    expect(source.calls).toBe(2500);
  });

  it('finds each path\'s own record whichever paths share its ends were looked up in between', () => {
    const source = countingSource();
    const paths = new PathTerms(source, 40);
    // Every ordered pair among 40 nodes, in a shuffled order, twice over: each end is remembered as sender and as
    // receiver, and is overwritten by the next path through it.
    const pairs: [number, number][] = [];
    for (let from = 0; from < 40; from++) for (let to = 0; to < 40; to++) if (from !== to) pairs.push([from, to]);
    let state = 12345;
    const offsetOf = new Map<number, number>();
    for (let round = 0; round < 3; round++) {
      for (let k = pairs.length - 1; k > 0; k--) {
        state = (Math.imul(state, 1103515245) + 12345) >>> 0;
        const j = state % (k + 1);
        [pairs[k], pairs[j]] = [pairs[j] as [number, number], pairs[k] as [number, number]];
      }
      for (const [from, to] of pairs) {
        const at = paths.lookUp(from, to);
        const key = from * 40 + to;
        if (!offsetOf.has(key)) offsetOf.set(key, at);
        expect(at).toBe(offsetOf.get(key));
        expect(paths.terms[at + PATH_KEYED_SEED]).toBe(1000 * from + to);
        // A cluster and its parent: the answer's path back, then the request's path again.
        expect(paths.terms[paths.lookUp(to, from) + PATH_KEYED_SEED]).toBe(1000 * to + from);
        expect(paths.lookUp(from, to)).toBe(at);
      }
    }
    expect(offsetOf.size).toBe(40 * 39);
  });

  it('works the terms out again once the generation changes', () => {
    const source = countingSource();
    const paths = new PathTerms(source, 10);
    const extraUs = (from: number, to: number): number => {
      const at = paths.lookUp(from, to);
      return paths.terms[at + PATH_EXTRA_DELAY_US] as number;
    };
    expect(extraUs(1, 2)).toBe(0);
    source.extraUs = 5000;
    expect(extraUs(1, 2)).toBe(0);
    source.generationNow++;
    expect(extraUs(1, 2)).toBe(5000);
    expect(extraUs(2, 1)).toBe(5000);
  });
});
