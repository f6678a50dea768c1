import { describe, expect, it } from 'vitest';
import { RandomStreams, lognormal, pareto, uniformInt, type Rng } from '../../src/kernel/index.js';
import {
  HISTOGRAM_MAX_VALUE_US, HISTOGRAM_RELATIVE_ERROR_BOUND, LatencyHistogram, bucketIndexOf, bucketLowerUs, bucketWidthUs,
} from '../../src/metrics/histogram.js';
import { nearestRank } from '../../src/metrics/stats.js';

const SAMPLE_COUNT = 200_000;

// Quantiles checked: the summary's, the far tail, and a dense grid so no region of the curve is skipped.
const QUANTILES: number[] = [0, 0.001, 0.01, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 0.9995, 0.9999, 1];
for (let i = 1; i < 1000; i++) QUANTILES.push(i / 1000);

function sample(count: number, draw: () => number): Float64Array {
  const values = new Float64Array(count);
  for (let i = 0; i < count; i++) values[i] = Math.min(HISTOGRAM_MAX_VALUE_US, Math.round(draw()));
  return values;
}

function histogramOf(values: Float64Array, thresholdsUs: number[] = []): LatencyHistogram {
  const histogram = new LatencyHistogram({ thresholdsUs });
  for (const value of values) histogram.record(value);
  return histogram;
}

/** Largest relative error of the histogram's quantiles against exact nearest-rank ones. */
function worstRelativeError(values: Float64Array): number {
  const histogram = histogramOf(values);
  const sorted = values.slice().sort();
  let worst = 0;
  for (const q of QUANTILES) {
    const exact = sorted[nearestRank(q, sorted.length) - 1] as number;
    const estimate = histogram.quantileUs(q);
    if (exact === 0) {
      expect(estimate).toBe(0);
      continue;
    }
    worst = Math.max(worst, Math.abs(estimate - exact) / exact);
  }
  return worst;
}

describe('bucket layout', () => {
  it('tiles [0, max] with contiguous buckets no wider than 1/256 of their lower bound', () => {
    let expectedLowerUs = 0;
    let index = 0;
    while (expectedLowerUs <= HISTOGRAM_MAX_VALUE_US) {
      expect(bucketLowerUs(index)).toBe(expectedLowerUs);
      expect(bucketIndexOf(expectedLowerUs)).toBe(index);
      const widthUs = bucketWidthUs(index);
      expect(bucketIndexOf(expectedLowerUs + widthUs - 1)).toBe(index);
      if (expectedLowerUs >= 512) expect(widthUs / expectedLowerUs).toBeLessThanOrEqual(1 / 256);
      expectedLowerUs += widthUs;
      index += 1;
    }
    expect(expectedLowerUs).toBe(HISTOGRAM_MAX_VALUE_US + 1);
    expect(index).toBe(9_216);
  });

  it('puts random values, on both sides of 2^32, inside their bucket', () => {
    const rng = new RandomStreams(7).stream('histogram/layout');
    for (let i = 0; i < 20_000; i++) {
      const valueUs = Math.floor(Math.pow(2, 43 * rng()));
      const index = bucketIndexOf(valueUs);
      expect(bucketLowerUs(index)).toBeLessThanOrEqual(valueUs);
      expect(valueUs).toBeLessThan(bucketLowerUs(index) + bucketWidthUs(index));
    }
  });
});

describe('LatencyHistogram.record', () => {
  it('files each value in the bucket bucketIndexOf names, below and above 2^31 (its integer path and its full one)', () => {
    const rng = new RandomStreams(11).stream('histogram/record-buckets');
    const values: number[] = [0, 1, 511, 512, 513, 2 ** 31 - 1, 2 ** 31, 2 ** 31 + 1, 2 ** 32 - 1, 2 ** 32, HISTOGRAM_MAX_VALUE_US];
    for (let e = 9; e < 43; e++) values.push(2 ** e - 1, 2 ** e, 2 ** e + 1);
    for (let i = 0; i < 20_000; i++) values.push(Math.floor(Math.pow(2, 43 * rng())));
    for (const valueUs of values) {
      const histogram = new LatencyHistogram();
      histogram.record(valueUs);
      expect(histogram.nonEmptyBuckets()).toEqual([[bucketLowerUs(bucketIndexOf(valueUs)), bucketWidthUs(bucketIndexOf(valueUs)), 1]]);
    }
  });
});

describe('LatencyHistogram quantiles stay within 0.5% of the exact nearest-rank values', () => {
  const streams = new RandomStreams(2005);

  it('on uniform data (0 .. 300 s)', () => {
    const rng = streams.stream('histogram/uniform');
    const worst = worstRelativeError(sample(SAMPLE_COUNT, () => uniformInt(rng, 0, 300_000_000)));
    expect(worst).toBeLessThanOrEqual(HISTOGRAM_RELATIVE_ERROR_BOUND);
    expect(worst).toBeLessThan(0.005);
  });

  it('on lognormal data (median 40 s, like propagation)', () => {
    const rng = streams.stream('histogram/lognormal');
    const worst = worstRelativeError(sample(SAMPLE_COUNT, () => lognormal(rng, Math.log(40e6), 0.6)));
    expect(worst).toBeLessThanOrEqual(HISTOGRAM_RELATIVE_ERROR_BOUND);
    expect(worst).toBeLessThan(0.005);
  });

  it('on a heavy tail (Pareto alpha 1.1 from 1 s, mixed with sub-millisecond values)', () => {
    const rng: Rng = streams.stream('histogram/pareto');
    const worst = worstRelativeError(
      sample(SAMPLE_COUNT, () => (rng() < 0.1 ? uniformInt(rng, 0, 2_000) : pareto(rng, 1e6, 1.1))),
    );
    expect(worst).toBeLessThanOrEqual(HISTOGRAM_RELATIVE_ERROR_BOUND);
    expect(worst).toBeLessThan(0.005);
  });

  it('is exact below 512 µs and at q = 0 and q = 1', () => {
    const rng = streams.stream('histogram/small');
    const values = sample(10_000, () => uniformInt(rng, 0, 511));
    expect(worstRelativeError(values)).toBe(0);
    const wide = sample(10_000, () => uniformInt(rng, 1_000, 9e12));
    const histogram = histogramOf(wide);
    const sorted = wide.slice().sort();
    expect(histogram.quantileUs(0)).toBe(sorted[0]);
    expect(histogram.quantileUs(1)).toBe(sorted[sorted.length - 1]);
  });
});

describe('LatencyHistogram exact aggregates', () => {
  it('has exact count, mean, min and max', () => {
    const rng = new RandomStreams(3).stream('histogram/aggregates');
    const values = sample(50_000, () => lognormal(rng, Math.log(55e6), 1));
    const histogram = histogramOf(values);
    let sum = 0;
    let min = Infinity;
    let max = -Infinity;
    for (const value of values) {
      sum += value;
      min = Math.min(min, value);
      max = Math.max(max, value);
    }
    expect(histogram.count).toBe(50_000);
    expect(histogram.sumUs).toBe(sum); // below 2^53, so the plain sum is exact too
    expect(histogram.meanUs).toBeCloseTo(sum / 50_000, 6);
    expect(histogram.minUs).toBe(min);
    expect(histogram.maxUs).toBe(max);
  });

  it('keeps the sum exact past 2^53, where a plain double sum drops the small values', () => {
    const histogram = new LatencyHistogram();
    let expected = 0n;
    let naive = 0;
    for (let i = 0; i < 4_000; i++) {
      const valueUs = i < 2_000 ? HISTOGRAM_MAX_VALUE_US : 1; // the small values come after the sum passed 2^53
      histogram.record(valueUs);
      expected += BigInt(valueUs);
      naive += valueUs;
    }
    expect(expected > 2n ** 53n).toBe(true);
    expect(histogram.sumUsExact).toBe(expected);
    expect(BigInt(naive)).not.toBe(expected);
    expect(histogram.meanUs).toBeCloseTo(Number(expected) / 4_000, 3);
  });

  it('counts registered thresholds exactly, even where a bucket straddles them', () => {
    const thresholdUs = 180_000_000;
    // 180 s lies inside a bucket 2^19 µs wide: values a few µs either side must still split exactly.
    expect(bucketLowerUs(bucketIndexOf(thresholdUs))).not.toBe(thresholdUs);
    const histogram = new LatencyHistogram({ thresholdsUs: [thresholdUs, 1_000] });
    const offsetsUs = [-3, -1, 0, 0, 1, 2, 5, -100_000, 400_000];
    for (const offsetUs of offsetsUs) histogram.record(thresholdUs + offsetUs);
    histogram.record(999);
    expect(histogram.countAtOrBelow(thresholdUs)).toBe(6);
    expect(histogram.fractionAtOrBelow(thresholdUs)).toBe(6 / 10);
    expect(histogram.fractionAtOrBelow(1_000)).toBe(1 / 10);
    expect(() => histogram.fractionAtOrBelow(60_000_000)).toThrow(/not registered/);
  });

  it('merges into the same state as recording everything in one histogram', () => {
    const rng = new RandomStreams(11).stream('histogram/merge');
    const values = sample(30_000, () => pareto(rng, 5e6, 1.5));
    const whole = histogramOf(values, [180e6]);
    const left = histogramOf(values.subarray(0, 12_345), [180e6]);
    const right = histogramOf(values.subarray(12_345), [180e6]);
    left.merge(right);
    expect(left.count).toBe(whole.count);
    expect(left.sumUsExact).toBe(whole.sumUsExact);
    expect(left.meanUs).toBe(whole.meanUs);
    expect(left.minUs).toBe(whole.minUs);
    expect(left.maxUs).toBe(whole.maxUs);
    expect(left.fractionAtOrBelow(180e6)).toBe(whole.fractionAtOrBelow(180e6));
    for (const q of QUANTILES) expect(left.quantileUs(q)).toBe(whole.quantileUs(q));
    expect(() => left.merge(new LatencyHistogram())).toThrow(/different thresholds/);
  });

  it('merging an empty histogram changes nothing, and merging into an empty one copies', () => {
    const full = histogramOf(new Float64Array([5, 1_000_000, 7]));
    full.merge(new LatencyHistogram());
    expect([full.count, full.minUs, full.maxUs, full.sumUs]).toEqual([3, 5, 1_000_000, 1_000_012]);
    const empty = new LatencyHistogram();
    empty.merge(full);
    expect([empty.count, empty.minUs, empty.maxUs, empty.quantileUs(0.5)]).toEqual([3, 5, 1_000_000, 7]);
  });

  it('reports NaN when empty and refuses bad values and bad quantiles', () => {
    const histogram = new LatencyHistogram({ thresholdsUs: [10] });
    expect(histogram.count).toBe(0);
    expect(histogram.meanUs).toBeNaN();
    expect(histogram.minUs).toBeNaN();
    expect(histogram.maxUs).toBeNaN();
    expect(histogram.quantileUs(0.5)).toBeNaN();
    expect(histogram.fractionAtOrBelow(10)).toBeNaN();
    for (const bad of [-1, -0.5, Number.NaN, 1.5, 2 ** 31 + 0.5, HISTOGRAM_MAX_VALUE_US + 1, Infinity, -Infinity]) {
      expect(() => histogram.record(bad)).toThrow(RangeError);
    }
    expect(histogram.count).toBe(0);
    expect(() => histogram.quantileUs(1.01)).toThrow(RangeError);
    expect(() => new LatencyHistogram({ thresholdsUs: [Number.NaN] })).toThrow(RangeError);
  });
});
