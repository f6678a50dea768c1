import { describe, expect, it } from 'vitest';
import { RandomStreams, uniformInt } from '../../src/kernel/index.js';
import { FileCounts } from '../../src/world/cluster/file-counts.js';

describe('FileCounts', () => {
  it('agrees with a count per file over random increments, decrements and clears', () => {
    for (let seed = 1; seed <= 5; seed++) {
      const rng = new RandomStreams(seed).stream('file-counts');
      const counts = new FileCounts();
      const reference = new Int32Array(50);
      for (let step = 0; step < 5_000; step++) {
        const fileId = uniformInt(rng, 0, 49);
        const roll = rng();
        if (roll < 0.002) {
          counts.clear();
          reference.fill(0);
        } else if (roll < 0.55 || reference[fileId] === 0) {
          counts.add(fileId, 1);
          reference[fileId] = (reference[fileId] as number) + 1;
        } else {
          counts.add(fileId, -1);
          reference[fileId] = (reference[fileId] as number) - 1;
        }
        const probe = uniformInt(rng, 0, 49);
        expect(counts.of(probe)).toBe(reference[probe]);
      }
      for (let fileId = 0; fileId < 50; fileId++) expect(counts.of(fileId)).toBe(reference[fileId]);
    }
  });

  it('refuses a count below zero', () => {
    const counts = new FileCounts();
    counts.add(3, 1);
    counts.add(3, -1);
    expect(() => counts.add(3, -1)).toThrow(RangeError);
  });
});
