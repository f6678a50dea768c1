import { describe, expect, it } from 'vitest';
import { RandomStreams, uniformInt } from '../../src/kernel/index.js';
import { IntMap } from '../../src/kernel/int-map.js';

function contents<T>(map: IntMap<T>): [number, T][] {
  const out: [number, T][] = [];
  for (let slot = 0; slot < map.capacity; slot++) {
    const key = map.keyAt(slot);
    if (key !== -Infinity) out.push([key, map.valueAt(slot) as T]);
  }
  return out.sort((a, b) => a[0] - b[0]);
}

describe('IntMap', () => {
  it('agrees with a Map over random sets, deletes and clears, bursts, negative keys and keys beyond 2^32 included', () => {
    for (let seed = 1; seed <= 10; seed++) {
      const rng = new RandomStreams(seed).stream('int-map');
      const map = new IntMap<number>();
      const reference = new Map<number, number>();
      let nextKey = 2 ** 33 * ((seed % 3) - 1); // below 0, around 0 and beyond 2^32
      for (let step = 0; step < 6_000; step++) {
        const what = rng();
        if (what < 0.005) {
          // a burst, as a cluster asking for many files at once
          for (let k = 0; k < 200; k++) {
            map.set(nextKey, step);
            reference.set(nextKey, step);
            nextKey++;
          }
        } else if (what < 0.5) {
          const key = rng() < 0.8 ? nextKey++ : uniformInt(rng, 0, 300);
          map.set(key, step);
          reference.set(key, step);
        } else if (what < 0.9995) {
          // mostly a recent key (present or already deleted), sometimes an old small one
          const key = rng() < 0.9 ? nextKey - uniformInt(rng, 1, 400) : uniformInt(rng, 0, 1000);
          expect(map.delete(key)).toBe(reference.delete(key));
        } else {
          map.clear();
          reference.clear();
        }
        if (map.size !== reference.size) expect.fail(`seed ${seed} step ${step}: size ${map.size}, expected ${reference.size}`);
        if (step % 499 === 0) {
          expect(contents(map)).toEqual([...reference].sort((a, b) => a[0] - b[0]));
          let wrong = 0;
          for (const [key, value] of reference) if (map.get(key) !== value) wrong++;
          expect(wrong).toBe(0);
          expect(map.has(nextKey + 1)).toBe(false);
        }
      }
    }
  });

  it('gives back a burst\'s table when it empties, and refuses keys that are not safe integers', () => {
    const map = new IntMap<string>();
    for (let k = 0; k < 1000; k++) map.set(k, 'x');
    expect(map.capacity).toBeGreaterThanOrEqual(2000);
    for (let k = 0; k < 1000; k++) map.delete(k);
    expect(map.capacity).toBe(8);
    expect(() => map.set(1.5, 'x')).toThrow(RangeError);
    expect(() => map.set(2 ** 53, 'x')).toThrow(RangeError);
    expect(() => map.set(-Infinity, 'x')).toThrow(RangeError);
    expect(map.has(-Infinity)).toBe(false);
  });
});
