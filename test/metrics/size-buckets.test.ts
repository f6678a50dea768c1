import { describe, expect, it } from 'vitest';
import {
  SIZE_BUCKET_COUNT, SIZE_BUCKET_LABELS, SIZE_BUCKET_UPPER_BOUNDS_BYTES, sizeBucketLabelOf, sizeBucketOf,
} from '../../src/metrics/size-buckets.js';

describe('size buckets', () => {
  it('has the six buckets of the issue, in order', () => {
    expect(SIZE_BUCKET_COUNT).toBe(6);
    expect(SIZE_BUCKET_LABELS).toEqual(['<1 KB', '1-10 KB', '10-100 KB', '100 KB-1 MB', '1-10 MB', '10-100 MB']);
    expect(SIZE_BUCKET_UPPER_BOUNDS_BYTES).toEqual([1e3, 1e4, 1e5, 1e6, 1e7]);
  });

  it('places each boundary in the bucket above it (decimal KB and MB)', () => {
    const cases: [number, number][] = [
      [0, 0], [999, 0], [1_000, 1], [9_999, 1], [10_000, 2], [99_999, 2], [100_000, 3], [999_999, 3],
      [1_000_000, 4], [9_999_999, 4], [10_000_000, 5], [99_999_999, 5],
    ];
    for (const [sizeBytes, bucket] of cases) expect(sizeBucketOf(sizeBytes)).toBe(bucket);
  });

  it('puts 100 MB and above in the last bucket', () => {
    expect(sizeBucketOf(100_000_000)).toBe(5);
    expect(sizeBucketOf(5e9)).toBe(5);
    expect(sizeBucketLabelOf(2e8)).toBe('10-100 MB');
    expect(sizeBucketLabelOf(512)).toBe('<1 KB');
  });

  it('refuses negative and NaN sizes', () => {
    expect(() => sizeBucketOf(-1)).toThrow(RangeError);
    expect(() => sizeBucketOf(Number.NaN)).toThrow(RangeError);
  });
});
