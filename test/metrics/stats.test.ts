import { describe, expect, it } from 'vitest';
import { RandomStreams, exponential } from '../../src/kernel/index.js';
import { ExactSeries, nearestRank } from '../../src/metrics/stats.js';

describe('nearestRank', () => {
  it('follows ceil(q * n), clamped to [1, n]', () => {
    expect(nearestRank(0, 100)).toBe(1);
    expect(nearestRank(0.5, 5)).toBe(3);
    expect(nearestRank(0.5, 4)).toBe(2);
    expect(nearestRank(0.95, 100)).toBe(95);
    expect(nearestRank(0.951, 100)).toBe(96);
    expect(nearestRank(0.9995, 14_276)).toBe(14_269);
    expect(nearestRank(1, 100)).toBe(100);
    expect(nearestRank(0.3, 1)).toBe(1);
  });

  it('does not let floating-point noise bump the rank (0.07 * 100 = 7.000000000000001)', () => {
    expect(0.07 * 100).toBeGreaterThan(7);
    expect(nearestRank(0.07, 100)).toBe(7);
    expect(nearestRank(0.29, 100)).toBe(29);
  });

  it('refuses a quantile outside [0, 1] or an empty count', () => {
    expect(() => nearestRank(-0.1, 10)).toThrow(RangeError);
    expect(() => nearestRank(Number.NaN, 10)).toThrow(RangeError);
    expect(() => nearestRank(0.5, 0)).toThrow(RangeError);
  });
});

describe('ExactSeries', () => {
  it('gives exact mean, min, max and nearest-rank quantiles, growing past its initial capacity', () => {
    const rng = new RandomStreams(1).stream('stats/series');
    const series = new ExactSeries(4);
    const values: number[] = [];
    for (let i = 0; i < 14_276; i++) {
      const valueUs = Math.round(exponential(rng, 3e6));
      values.push(valueUs);
      series.add(valueUs);
    }
    const sorted = values.slice().sort((a, b) => a - b);
    expect(series.count).toBe(14_276);
    expect(series.total).toBe(values.reduce((a, b) => a + b, 0));
    expect(series.mean).toBe(series.total / 14_276);
    expect(series.min).toBe(sorted[0]);
    expect(series.max).toBe(sorted[sorted.length - 1]);
    for (const q of [0.5, 0.95, 0.99]) {
      expect(series.quantile(q)).toBe(sorted[Math.ceil(q * sorted.length) - 1]);
    }
    expect(series.valueAt(0)).toBe(values[0]);
    expect(series.valueAt(14_275)).toBe(values[14_275]);
  });

  it('re-sorts after more values arrive', () => {
    const series = new ExactSeries();
    series.add(10);
    series.add(30);
    expect(series.max).toBe(30);
    series.add(50);
    series.add(-5);
    expect(series.max).toBe(50);
    expect(series.min).toBe(-5);
    expect(series.quantile(0.5)).toBe(10);
  });

  it('counts values at or below a threshold exactly', () => {
    const series = new ExactSeries();
    for (const value of [1, 2, 2, 3, 180, 181]) series.add(value);
    expect(series.fractionAtOrBelow(2)).toBe(3 / 6);
    expect(series.fractionAtOrBelow(180)).toBe(5 / 6);
    expect(series.fractionAtOrBelow(0)).toBe(0);
    expect(series.fractionAtOrBelow(1e9)).toBe(1);
  });

  it('answers NaN when empty and refuses non-finite values', () => {
    const series = new ExactSeries();
    expect(series.mean).toBeNaN();
    expect(series.quantile(0.99)).toBeNaN();
    expect(series.max).toBeNaN();
    expect(series.fractionAtOrBelow(1)).toBeNaN();
    expect(() => series.add(Number.NaN)).toThrow(RangeError);
    expect(() => series.add(Infinity)).toThrow(RangeError);
    expect(() => series.valueAt(0)).toThrow(RangeError);
  });
});
