// propagation-histogram.json: a histogram written out and read back answers every query exactly as
// the original, so the report's CDF equals the run's summary.
import { describe, expect, it } from 'vitest';
import { LatencyHistogram, histogramFileText, parseHistogramFile } from '../../src/metrics/index.js';
import { RandomStreams } from '../../src/kernel/random.js';

describe('propagation-histogram.json', () => {
  it('restores count, sum, min, max, thresholds and every quantile exactly', () => {
    const rng = new RandomStreams(3).stream('histogram-file-test');
    const original = new LatencyHistogram({ thresholdsUs: [180_000_000] });
    for (let i = 0; i < 20_000; i++) original.record(Math.floor(Math.exp(rng() * 22)));
    const restored = parseHistogramFile(histogramFileText(original), 'test.json');
    expect(restored.count).toBe(original.count);
    expect(restored.sumUsExact).toBe(original.sumUsExact);
    expect(restored.minUs).toBe(original.minUs);
    expect(restored.maxUs).toBe(original.maxUs);
    expect(restored.fractionAtOrBelow(180_000_000)).toBe(original.fractionAtOrBelow(180_000_000));
    for (const q of [0, 0.001, 0.25, 0.5, 0.95, 0.99, 0.9995, 1]) expect(restored.quantileUs(q)).toBe(original.quantileUs(q));
    expect(histogramFileText(restored)).toBe(histogramFileText(original));
  });

  it('round-trips an empty histogram', () => {
    const empty = new LatencyHistogram({ thresholdsUs: [180_000_000] });
    const restored = parseHistogramFile(histogramFileText(empty), 'empty.json');
    expect(restored.count).toBe(0);
    expect(Number.isNaN(restored.quantileUs(0.5))).toBe(true);
  });

  it('names the field that is wrong', () => {
    expect(() => parseHistogramFile('{"buckets": [[1, 2]], "thresholds": [], "sumUs": "0"}', 'bad.json'))
      .toThrow('bad.json: field "buckets": got [[1,2]], expected a list of [lowerUs, widthUs, count]');
    expect(() => parseHistogramFile('{"buckets": [[513, 1, 1]], "thresholds": [], "sumUs": "0", "minUs": 1, "maxUs": 1}', 'bad.json'))
      .toThrow('bad.json: not a bucket of this histogram layout: lower 513 µs, width 1 µs, count 1');
    expect(() => parseHistogramFile('not json', 'bad.json')).toThrow(/^bad\.json: not valid JSON/);
  });
});
