// The across-seed statistics of sweeps: t quantiles against published table values, and a confidence
// interval worked out by hand.
import { describe, expect, it } from 'vitest';
import { studentTCdf, studentTQuantile, summariseSample } from '../../src/metrics/student-t.js';

describe('studentTQuantile', () => {
  it('matches the two-sided 95% critical values of standard t tables', () => {
    // t(0.975; df) from any statistics table (e.g. NIST/SEMATECH e-Handbook, table 1.3.6.7.2).
    const table: [number, number][] = [[1, 12.706], [2, 4.303], [4, 2.776], [9, 2.262], [29, 2.045], [100, 1.984]];
    for (const [df, value] of table) expect(studentTQuantile(0.975, df)).toBeCloseTo(value, 3);
    expect(studentTQuantile(0.975, 1e6)).toBeCloseTo(1.959964, 5); // tends to the normal quantile
    expect(studentTQuantile(0.995, 4)).toBeCloseTo(4.604, 3);
  });

  it('inverts the CDF', () => {
    for (const df of [1, 3, 7, 30]) expect(studentTCdf(studentTQuantile(0.9, df), df)).toBeCloseTo(0.9, 12);
    expect(studentTCdf(0, 5)).toBe(0.5);
  });
});

describe('summariseSample', () => {
  it('gives the mean, sd and 95% interval of 1..5 as computed by hand', () => {
    // mean 3, sd = sqrt(10 / 4) = 1.5811388, se = sd / sqrt(5) = 0.7071068, t(0.975; 4) = 2.7764451
    // half width = 1.9632432: [1.0367568, 4.9632432].
    const summary = summariseSample([1, 2, 3, 4, 5]);
    expect(summary.n).toBe(5);
    expect(summary.mean).toBe(3);
    expect(summary.sd).toBeCloseTo(1.5811388, 7);
    expect(summary.ciLow).toBeCloseTo(1.0367568, 6);
    expect(summary.ciHigh).toBeCloseTo(4.9632432, 6);
  });

  it('has no spread for one value and nothing for none', () => {
    expect(summariseSample([7])).toEqual({ n: 1, mean: 7, sd: null, ciLow: null, ciHigh: null });
    expect(summariseSample([])).toEqual({ n: 0, mean: null, sd: null, ciLow: null, ciHigh: null });
    expect(summariseSample([2, 2, 2])).toEqual({ n: 3, mean: 2, sd: 0, ciLow: 2, ciHigh: 2 });
  });
});
