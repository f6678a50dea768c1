// Exact statistics for low-volume series (e.g. ~14k acceptance latencies): every value is kept,
// so percentiles are exact. Also owns the nearest-rank rule that the histogram shares.

/**
 * Nearest-rank percentile rule: the q-quantile of n sorted values is the value at 1-based rank
 * ceil(q * n), clamped to [1, n]; so q = 0 gives the minimum and q = 1 the maximum, and every answer is
 * an observed value (no interpolation). Chosen because it is the textbook definition, it never invents
 * a value, and "p99 <= 180 s" then means "at least 99% of the values are <= 180 s".
 *
 * q * n is computed in floating point, where e.g. 0.07 * 100 = 7.000000000000001; a product within
 * 1e-9 above an integer is taken as that integer so the rank does not jump by one.
 */
export function nearestRank(q: number, count: number): number {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile must be in [0, 1], got ${q}`);
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`nearestRank needs count >= 1, got ${count}`);
  const product = q * count;
  let rank = Math.ceil(product);
  if (rank - product > 1 - 1e-9) rank -= 1;
  if (rank < 1) rank = 1;
  if (rank > count) rank = count;
  return rank;
}

/**
 * A growable series of numbers with exact mean, min, max and nearest-rank quantiles. Values are in
 * whatever unit the caller uses (the acceptance series holds microseconds). Sorting happens lazily,
 * once per batch of additions, on a copy, so insertion order stays available via `valueAt`.
 */
export class ExactSeries {
  private values: Float64Array;
  private length = 0;
  private sum = 0;
  private sorted: Float64Array | null = null;

  /** initialCapacity: 16,384 holds the paper's 14,276 submissions without a resize (an assumption of scale, not a limit). */
  constructor(initialCapacity = 16_384) {
    this.values = new Float64Array(Math.max(1, initialCapacity));
  }

  add(value: number): void {
    if (!Number.isFinite(value)) throw new RangeError(`ExactSeries.add needs a finite number, got ${value}`);
    if (this.length === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length] = value;
    this.length += 1;
    this.sum += value;
    this.sorted = null;
  }

  get count(): number {
    return this.length;
  }

  /** The i-th value in insertion order. */
  valueAt(index: number): number {
    if (!(index >= 0 && index < this.length)) throw new RangeError(`index ${index} outside [0, ${this.length})`);
    return this.values[index] as number;
  }

  /** Sum of the values. Exact while every partial sum is an integer below 2^53 (true for µs latencies here). */
  get total(): number {
    return this.sum;
  }

  /** Arithmetic mean; NaN when empty (serialises to null in JSON). */
  get mean(): number {
    return this.length === 0 ? Number.NaN : this.sum / this.length;
  }

  /** Smallest value; NaN when empty. */
  get min(): number {
    return this.length === 0 ? Number.NaN : (this.sortedValues()[0] as number);
  }

  /** Largest value; NaN when empty. */
  get max(): number {
    return this.length === 0 ? Number.NaN : (this.sortedValues()[this.length - 1] as number);
  }

  /** Nearest-rank q-quantile (see `nearestRank`); NaN when empty. */
  quantile(q: number): number {
    if (this.length === 0) {
      nearestRank(q, 1); // still refuse a bad q
      return Number.NaN;
    }
    return this.sortedValues()[nearestRank(q, this.length) - 1] as number;
  }

  /** Fraction of values <= threshold, exact; NaN when empty. */
  fractionAtOrBelow(threshold: number): number {
    if (this.length === 0) return Number.NaN;
    const sorted = this.sortedValues();
    // Binary search for the first value above the threshold.
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((sorted[mid] as number) <= threshold) lo = mid + 1;
      else hi = mid;
    }
    return lo / this.length;
  }

  private sortedValues(): Float64Array {
    if (this.sorted === null) {
      // Typed-array sort is numeric and deterministic (ties are equal numbers, so order among them is invisible).
      this.sorted = this.values.slice(0, this.length).sort();
    }
    return this.sorted;
  }
}
