// Streaming log-linear latency histogram: fixed memory, allocation-free O(1) record, quantiles within
// 0.2% relative error, exact count / sum / min / max, and exact counters for thresholds named up front.
import { nearestRank } from './stats.js';

// Layout (all values are integer microseconds):
// - values 0 .. 511 each have their own bucket, so they are exact;
// - every octave [2^e, 2^(e+1)) with e >= 9 is cut into 256 equal sub-buckets of width 2^(e-8).
// A bucket's width is then at most 1/256 of its lower bound; answering with the bucket's middle
// is off by at most half a width, i.e. at most 1/512 (0.195%) of the true value. 256 sub-buckets is
// the smallest power of two that keeps the bound (< 0.5%) with margin; 128 would give 0.39%.
const SUB_BITS = 8;
const SUB_COUNT = 1 << SUB_BITS; // 256
const LINEAR_LIMIT = SUB_COUNT * 2; // 512: below it, one bucket per integer
const TWO_POW_32 = 4_294_967_296;

/**
 * Largest value accepted: 2^43 - 1 µs, about 102 days. The brief asks for 0 .. ~1e12 µs (11.6 days);
 * two more octaves cost 4 KB and leave room for a pathological tail without a clamp.
 */
export const HISTOGRAM_MAX_VALUE_US = 2 ** 43 - 1;
const MAX_EXPONENT = 42; // floor(log2(HISTOGRAM_MAX_VALUE_US))
const BUCKET_COUNT = ((MAX_EXPONENT - SUB_BITS) << SUB_BITS) + LINEAR_LIMIT; // 9,216 buckets, 72 KB

/** Worst-case relative error of `quantileUs` against the exact nearest-rank value: half a bucket width. */
export const HISTOGRAM_RELATIVE_ERROR_BOUND = 1 / (2 * SUB_COUNT);

// The sum is kept as high * 2^52 + low with low < 2^52, so adding one value (< 2^43) never leaves the
// exactly representable integers (< 2^53): 200 M deliveries of ~55 s sum to ~1.1e16 µs, above 2^53.
const SUM_SPLIT = 2 ** 52;

export interface LatencyHistogramOptions {
  /**
   * Values (µs) for which `fractionAtOrBelow` must be exact, e.g. [180e6] for "within 180 s". Each adds
   * one comparison per record. Default none.
   */
  readonly thresholdsUs?: readonly number[];
}

/**
 * Throws unless valueUs is an integer in [0, HISTOGRAM_MAX_VALUE_US]. Kept out of record: with the message's template
 * literal inline, the optimising compiler may turn the value into a string before the check (as it did for the
 * kernel's event times, src/kernel/simulator.ts).
 */
function checkRecordable(valueUs: number): void {
  if (!(valueUs >= 0 && valueUs <= HISTOGRAM_MAX_VALUE_US) || Math.floor(valueUs) !== valueUs) {
    throw new RangeError(`LatencyHistogram.record needs an integer in [0, ${HISTOGRAM_MAX_VALUE_US}] µs, got ${valueUs}`);
  }
}

/** The bucket index of an integer value in [0, HISTOGRAM_MAX_VALUE_US]. Exported for tests. */
export function bucketIndexOf(valueUs: number): number {
  if (valueUs < LINEAR_LIMIT) return valueUs;
  if (valueUs < TWO_POW_32) return octaveBucketIndexOf(valueUs);
  const exponent = 63 - Math.clz32(Math.floor(valueUs / TWO_POW_32));
  // valueUs >> (exponent - 8), in [256, 512): a division by a power of two is exact.
  const top = Math.floor(valueUs / 2 ** (exponent - SUB_BITS));
  return ((exponent - SUB_BITS) << SUB_BITS) + top;
}

/**
 * bucketIndexOf for an integer in [LINEAR_LIMIT, 2^32), in 32-bit arithmetic: record calls it with a small integer,
 * which the optimising compiler keeps unboxed (6 ns a record in a loop of its own, against 9 through bucketIndexOf).
 */
function octaveBucketIndexOf(valueUs: number): number {
  const exponent = 31 - Math.clz32(valueUs);
  return ((exponent - SUB_BITS) << SUB_BITS) + (valueUs >>> (exponent - SUB_BITS)); // the top 9 bits, in [256, 512)
}

/** Smallest value (µs) that falls in the bucket. */
export function bucketLowerUs(index: number): number {
  if (index < LINEAR_LIMIT) return index;
  const shift = (index >> SUB_BITS) - 1;
  return (index - (shift << SUB_BITS)) * 2 ** shift;
}

/** Number of integer values in the bucket. */
export function bucketWidthUs(index: number): number {
  if (index < LINEAR_LIMIT) return 1;
  return 2 ** ((index >> SUB_BITS) - 1);
}

/** Everything a histogram holds, in plain values (see LatencyHistogram.nonEmptyBuckets and restore). */
export interface HistogramState {
  readonly buckets: ReadonlyArray<readonly [number, number, number]>;
  readonly minUs: number;
  readonly maxUs: number;
  readonly sumUs: bigint;
  readonly thresholdsUs: readonly number[];
  readonly thresholdCounts: readonly number[];
}

export class LatencyHistogram {
  private readonly counts = new Float64Array(BUCKET_COUNT);
  private readonly thresholds: Float64Array;
  private readonly thresholdCounts: Float64Array;
  private total = 0;
  private sumLow = 0;
  private sumHigh = 0;
  private minimum = Number.POSITIVE_INFINITY;
  private maximum = Number.NEGATIVE_INFINITY;

  constructor(options: LatencyHistogramOptions = {}) {
    const thresholdsUs = options.thresholdsUs ?? [];
    this.thresholds = new Float64Array(thresholdsUs.length);
    for (let i = 0; i < thresholdsUs.length; i++) {
      const thresholdUs = thresholdsUs[i] as number;
      if (!Number.isFinite(thresholdUs)) throw new RangeError(`threshold ${i} must be finite, got ${thresholdUs}`);
      this.thresholds[i] = thresholdUs;
    }
    this.thresholdCounts = new Float64Array(thresholdsUs.length);
  }

  /**
   * Adds one value. Hot path (called ~200 M times per full run): no allocation, no branches beyond the
   * range check, the bucket choice and the threshold loop. A value outside [0, 2^43) or not an integer
   * is a caller bug and throws.
   */
  record(valueUs: number): void {
    // An integer below 2^31 (every propagation time under 35 minutes) is checked in one conversion; anything else
    // is checked in full.
    const small = valueUs | 0;
    let index: number;
    if (small === valueUs && small >= 0) {
      index = small < LINEAR_LIMIT ? small : octaveBucketIndexOf(small);
    } else {
      checkRecordable(valueUs);
      index = bucketIndexOf(valueUs);
    }
    this.counts[index] = (this.counts[index] as number) + 1;
    this.total += 1;
    let sumLow = this.sumLow + valueUs;
    if (sumLow >= SUM_SPLIT) {
      sumLow -= SUM_SPLIT;
      this.sumHigh += 1;
    }
    this.sumLow = sumLow;
    if (valueUs < this.minimum) this.minimum = valueUs;
    if (valueUs > this.maximum) this.maximum = valueUs;
    const thresholds = this.thresholds;
    for (let i = 0; i < thresholds.length; i++) {
      if (valueUs <= (thresholds[i] as number)) this.thresholdCounts[i] = (this.thresholdCounts[i] as number) + 1;
    }
  }

  /** Exact number of recorded values. */
  get count(): number {
    return this.total;
  }

  /** Exact sum as a bigint (the number form below rounds once it passes 2^53). */
  get sumUsExact(): bigint {
    return BigInt(this.sumHigh) * BigInt(SUM_SPLIT) + BigInt(this.sumLow);
  }

  /** Sum of the values; exact below 2^53 µs (~285 years of latency), correctly rounded above. */
  get sumUs(): number {
    return this.sumHigh * SUM_SPLIT + this.sumLow;
  }

  /** Mean of the values, from the exact sum; NaN when empty. */
  get meanUs(): number {
    if (this.total === 0) return Number.NaN;
    return this.sumHigh * (SUM_SPLIT / this.total) + this.sumLow / this.total;
  }

  /** Exact minimum; NaN when empty. */
  get minUs(): number {
    return this.total === 0 ? Number.NaN : this.minimum;
  }

  /** Exact maximum; NaN when empty. */
  get maxUs(): number {
    return this.total === 0 ? Number.NaN : this.maximum;
  }

  /**
   * Nearest-rank q-quantile (the rule in stats.ts), within HISTOGRAM_RELATIVE_ERROR_BOUND of the exact
   * one; exact for values below 512 µs, for q = 0 (the minimum) and q = 1 (the maximum). NaN when empty.
   */
  quantileUs(q: number): number {
    if (this.total === 0) {
      nearestRank(q, 1); // still refuse a bad q
      return Number.NaN;
    }
    const rank = nearestRank(q, this.total);
    if (rank === 1) return this.minimum;
    if (rank === this.total) return this.maximum;
    const counts = this.counts;
    let seen = 0;
    for (let index = 0; index < BUCKET_COUNT; index++) {
      seen += counts[index] as number;
      if (seen >= rank) {
        const widthUs = bucketWidthUs(index);
        const middleUs = bucketLowerUs(index) + (widthUs === 1 ? 0 : widthUs / 2);
        return Math.min(this.maximum, Math.max(this.minimum, middleUs));
      }
    }
    return this.maximum; // unreachable: the counts add up to total
  }

  /** Exact fraction of values <= thresholdUs; thresholdUs must be one given to the constructor. NaN when empty. */
  fractionAtOrBelow(thresholdUs: number): number {
    const index = this.thresholdIndex(thresholdUs);
    return this.total === 0 ? Number.NaN : (this.thresholdCounts[index] as number) / this.total;
  }

  /** Exact number of values <= thresholdUs; thresholdUs must be one given to the constructor. */
  countAtOrBelow(thresholdUs: number): number {
    return this.thresholdCounts[this.thresholdIndex(thresholdUs)] as number;
  }

  /** Adds every value recorded in `other` (which is left unchanged). Both must have the same thresholds. */
  merge(other: LatencyHistogram): void {
    if (!sameValues(this.thresholds, other.thresholds)) {
      throw new Error(
        `cannot merge histograms with different thresholds: [${Array.from(this.thresholds).join(', ')}] vs [${Array.from(other.thresholds).join(', ')}]`,
      );
    }
    for (let index = 0; index < BUCKET_COUNT; index++) {
      this.counts[index] = (this.counts[index] as number) + (other.counts[index] as number);
    }
    for (let i = 0; i < this.thresholdCounts.length; i++) {
      this.thresholdCounts[i] = (this.thresholdCounts[i] as number) + (other.thresholdCounts[i] as number);
    }
    this.total += other.total;
    let sumLow = this.sumLow + other.sumLow; // both < 2^52, so the sum is < 2^53: exact
    this.sumHigh += other.sumHigh;
    if (sumLow >= SUM_SPLIT) {
      sumLow -= SUM_SPLIT;
      this.sumHigh += 1;
    }
    this.sumLow = sumLow;
    if (other.minimum < this.minimum) this.minimum = other.minimum;
    if (other.maximum > this.maximum) this.maximum = other.maximum;
  }

  /**
   * The non-empty buckets in ascending order, as [lowerUs, widthUs, count]: with count, min, max, the
   * exact sum and the threshold counts this is the whole state, so a histogram written out this way can
   * be restored (`LatencyHistogram.restore`) and answer every query exactly as the original did.
   */
  nonEmptyBuckets(): Array<[number, number, number]> {
    const buckets: Array<[number, number, number]> = [];
    for (let index = 0; index < BUCKET_COUNT; index++) {
      const count = this.counts[index] as number;
      if (count > 0) buckets.push([bucketLowerUs(index), bucketWidthUs(index), count]);
    }
    return buckets;
  }

  /** The state `nonEmptyBuckets` and the exact getters expose, rebuilt into a histogram (see HistogramState). */
  static restore(state: HistogramState): LatencyHistogram {
    const histogram = new LatencyHistogram({ thresholdsUs: state.thresholdsUs });
    let total = 0;
    for (const [lowerUs, widthUs, count] of state.buckets) {
      const index = bucketIndexOf(lowerUs);
      if (bucketLowerUs(index) !== lowerUs || bucketWidthUs(index) !== widthUs || !(count > 0)) {
        throw new RangeError(`not a bucket of this histogram layout: lower ${lowerUs} µs, width ${widthUs} µs, count ${count}`);
      }
      histogram.counts[index] = (histogram.counts[index] as number) + count;
      total += count;
    }
    if (state.thresholdCounts.length !== state.thresholdsUs.length) throw new RangeError('one threshold count per threshold is needed');
    state.thresholdCounts.forEach((count, i) => { histogram.thresholdCounts[i] = count; });
    histogram.total = total;
    histogram.sumHigh = Number(state.sumUs / BigInt(SUM_SPLIT));
    histogram.sumLow = Number(state.sumUs % BigInt(SUM_SPLIT));
    if (total > 0) {
      histogram.minimum = state.minUs;
      histogram.maximum = state.maxUs;
    }
    return histogram;
  }

  /** Thresholds given to the constructor and the exact count at or below each. */
  thresholdState(): { thresholdsUs: number[]; thresholdCounts: number[] } {
    return { thresholdsUs: Array.from(this.thresholds), thresholdCounts: Array.from(this.thresholdCounts) };
  }

  private thresholdIndex(thresholdUs: number): number {
    for (let i = 0; i < this.thresholds.length; i++) {
      if (this.thresholds[i] === thresholdUs) return i;
    }
    throw new Error(
      `threshold ${thresholdUs} µs was not registered; exact fractions need it in thresholdsUs (registered: [${Array.from(this.thresholds).join(', ')}])`,
    );
  }
}

function sameValues(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) return false;
  }
  return true;
}
