// The six file-size buckets of by-size.csv (issue 6): decades from <1 KB up to 10-100 MB.
// Owns the boundaries, the labels and the mapping from a size to its bucket.

/**
 * Decimal units: 1 KB = 1,000 bytes, 1 MB = 1,000,000 bytes. The buckets are decades (10^3 .. 10^8),
 * which only line up with decimal units; the paper ("most (40%) are of small sizes, less than 1k")
 * does not say which it means. An assumption, stated here once for every component that buckets sizes.
 */
export const BYTES_PER_KB = 1_000;
export const BYTES_PER_MB = 1_000_000;

/**
 * Exclusive upper bound of each bucket but the last, in bytes. The last bucket (10-100 MB) also takes
 * everything >= 100 MB: the paper's workload has nothing above 100 MB, so a seventh row would almost
 * always be empty, and a stray large file still shows up where the largest files are reported.
 */
export const SIZE_BUCKET_UPPER_BOUNDS_BYTES: readonly number[] = [
  1 * BYTES_PER_KB,
  10 * BYTES_PER_KB,
  100 * BYTES_PER_KB,
  1 * BYTES_PER_MB,
  10 * BYTES_PER_MB,
];

/** Labels for the CSV, ASCII only so every spreadsheet reads them the same way. */
export const SIZE_BUCKET_LABELS: readonly string[] = [
  '<1 KB',
  '1-10 KB',
  '10-100 KB',
  '100 KB-1 MB',
  '1-10 MB',
  '10-100 MB',
];

export const SIZE_BUCKET_COUNT = SIZE_BUCKET_LABELS.length;

/** Bucket index in [0, SIZE_BUCKET_COUNT) for a size in bytes (>= 0; sizes >= 100 MB go to the last bucket). */
export function sizeBucketOf(sizeBytes: number): number {
  if (!(sizeBytes >= 0)) throw new RangeError(`sizeBucketOf needs a size >= 0 bytes, got ${sizeBytes}`);
  const bounds = SIZE_BUCKET_UPPER_BOUNDS_BYTES;
  for (let index = 0; index < bounds.length; index++) {
    if (sizeBytes < (bounds[index] as number)) return index;
  }
  return bounds.length;
}

/** The label of the bucket a size falls in, e.g. sizeBucketLabelOf(512) === '<1 KB'. */
export function sizeBucketLabelOf(sizeBytes: number): string {
  return SIZE_BUCKET_LABELS[sizeBucketOf(sizeBytes)] as string;
}
