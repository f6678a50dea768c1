import { describe, expect, it } from 'vitest';
import {
  RandomStreams, Zipf, WeightedChoice, exponential, lognormal, normal, pareto, uniform, uniformInt, type Rng,
} from '../../src/kernel/index.js';

function draws(rng: Rng, count: number): number[] {
  return Array.from({ length: count }, () => rng());
}

function sampleMean(count: number, draw: () => number): number {
  let sum = 0;
  for (let i = 0; i < count; i++) sum += draw();
  return sum / count;
}

describe('RandomStreams', () => {
  it('gives the same draws for the same seed and label, different ones for another seed or label', () => {
    expect(draws(new RandomStreams(1).stream('sp/3'), 5)).toEqual(draws(new RandomStreams(1).stream('sp/3'), 5));
    expect(draws(new RandomStreams(2).stream('sp/3'), 5)).not.toEqual(draws(new RandomStreams(1).stream('sp/3'), 5));
    expect(draws(new RandomStreams(1).stream('sp/4'), 5)).not.toEqual(draws(new RandomStreams(1).stream('sp/3'), 5));
  });

  it('does not change existing streams when another stream is added or drawn from', () => {
    const alone = new RandomStreams(42);
    const faultsAlone = alone.stream('faults');
    const expected = draws(faultsAlone, 100);

    const crowded = new RandomStreams(42);
    const extra = crowded.stream('receiver/1042');
    const faults = crowded.stream('faults');
    const interleaved: number[] = [];
    for (let i = 0; i < 100; i++) {
      extra();
      interleaved.push(faults());
      extra();
    }
    expect(interleaved).toEqual(expected);
  });

  it('draws in [0, 1)', () => {
    const values = draws(new RandomStreams(3).stream('range'), 10_000);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
  });
});

describe('distributions: sample mean within tolerance of the analytic mean', () => {
  const n = 200_000;
  const rng = new RandomStreams(11).stream('distributions');

  it('uniform and uniformInt, with their bounds', () => {
    expect(sampleMean(n, () => uniform(rng, 2, 6))).toBeCloseTo(4, 1);
    let lo = Infinity;
    let hi = -Infinity;
    const mean = sampleMean(n, () => {
      const v = uniformInt(rng, 1, 6);
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
      return v;
    });
    expect(mean).toBeCloseTo(3.5, 1);
    expect([lo, hi]).toEqual([1, 6]);
  });

  it('exponential', () => {
    expect(Math.abs(sampleMean(n, () => exponential(rng, 30)) / 30 - 1)).toBeLessThan(0.01);
  });

  it('normal and lognormal', () => {
    expect(sampleMean(n, () => normal(rng, 5, 2))).toBeCloseTo(5, 1);
    const expectedLognormal = Math.exp(1 + 0.5 * 0.5 / 2);
    expect(Math.abs(sampleMean(n, () => lognormal(rng, 1, 0.5)) / expectedLognormal - 1)).toBeLessThan(0.01);
  });

  it('pareto (shape 3, so the variance is finite)', () => {
    const expected = (3 * 2) / (3 - 1);
    expect(Math.abs(sampleMean(n, () => pareto(rng, 2, 3)) / expected - 1)).toBeLessThan(0.02);
  });

  it('weighted choice', () => {
    const choice = new WeightedChoice([1, 0, 3]);
    const counts = [0, 0, 0];
    for (let i = 0; i < n; i++) (counts[choice.draw(rng)] as number)++;
    expect(counts[1]).toBe(0);
    expect((counts[2] as number) / n).toBeCloseTo(0.75, 2);
  });

  it('zipf', () => {
    const zipf = new Zipf(100, 1.1);
    expect(Math.abs(sampleMean(n, () => zipf.draw(rng)) / zipf.mean() - 1)).toBeLessThan(0.02);
  });
});

describe('keyedUniform, the counter-based generator', () => {
  it('is uniform on [0, 1) in its mean, its deciles and its lag-1 correlation, per key and across keys', async () => {
    const { keyedUniform } = await import('../../src/kernel/random.js');
    const draws = 200_000;
    const deciles = new Array<number>(10).fill(0);
    let sum = 0;
    let lagProduct = 0;
    let previous = 0.5;
    for (let n = 0; n < draws; n++) {
      // Half the draws walk the index of one key, half walk the keys at one index.
      const u = n % 2 === 0 ? keyedUniform(12345, 7, n) : keyedUniform(12345, n, 3);
      expect(u).toBeGreaterThanOrEqual(0);
      expect(u).toBeLessThan(1);
      sum += u;
      lagProduct += (u - 0.5) * (previous - 0.5);
      previous = u;
      (deciles[Math.floor(u * 10)] as number)++;
    }
    expect(Math.abs(sum / draws - 0.5)).toBeLessThan(0.003);
    for (const count of deciles) expect(Math.abs(count - draws / 10)).toBeLessThan(0.02 * (draws / 10));
    expect(Math.abs(lagProduct / draws)).toBeLessThan(0.002);
  });

  it('gives a keyed Rng the same draws as the function, and other seeds other draws', async () => {
    const { keyedRng, keyedUniform } = await import('../../src/kernel/random.js');
    const rng = keyedRng(99, 42);
    for (let k = 0; k < 5; k++) expect(rng()).toBe(keyedUniform(99, 42, k));
    expect(keyedUniform(98, 42, 0)).not.toBe(keyedUniform(99, 42, 0));
  });

  it('splits into a per-key base and a draw, to the bit, also with the base kept as a signed 32-bit integer', async () => {
    const { keyedBase, keyedDraw, keyedUniform } = await import('../../src/kernel/random.js');
    const kept = new Int32Array(1);
    let negative = 0;
    for (const key of [0, 1, 42, 2 ** 31 + 5, 2 ** 40 + 3, Number.MAX_SAFE_INTEGER]) {
      for (let seed = 0; seed < 50; seed++) {
        kept[0] = keyedBase(seed * 0x01000193, key);
        if ((kept[0] as number) < 0) negative++;
        for (const index of [0, 1, 7, 100_000]) {
          expect(keyedDraw(keyedBase(seed * 0x01000193, key), index)).toBe(keyedUniform(seed * 0x01000193, key, index));
          expect(keyedDraw(kept[0] as number, index)).toBe(keyedUniform(seed * 0x01000193, key, index));
        }
      }
    }
    expect(negative).toBeGreaterThan(0);
  });
});
