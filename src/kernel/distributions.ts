// Distributions as free functions over a uniform generator, each with its bounds stated.
import type { Rng } from './random.js';

/** Uniform on [lo, hi). */
export function uniform(rng: Rng, lo: number, hi: number): number {
  return lo + (hi - lo) * rng();
}

/** Uniform integer on [lo, hi], both ends included. */
export function uniformInt(rng: Rng, lo: number, hi: number): number {
  return lo + Math.floor(rng() * (hi - lo + 1));
}

/** Exponential with the given mean, on [0, +inf). */
export function exponential(rng: Rng, mean: number): number {
  return -mean * Math.log(1 - rng());
}

/** Normal (Box-Muller, one draw pair per value so that the stream position is predictable). */
export function normal(rng: Rng, mean: number, stdDev: number): number {
  const u1 = 1 - rng(); // (0, 1]: keeps log finite
  const u2 = rng();
  return mean + stdDev * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/** Lognormal: exp of a normal with parameters mu and sigma, on (0, +inf). Mean exp(mu + sigma^2/2). */
export function lognormal(rng: Rng, mu: number, sigma: number): number {
  return Math.exp(normal(rng, mu, sigma));
}

/** Pareto with scale (minimum) xMin and shape alpha, on [xMin, +inf). Mean alpha*xMin/(alpha-1) for alpha > 1. */
export function pareto(rng: Rng, xMin: number, alpha: number): number {
  return xMin / Math.pow(1 - rng(), 1 / alpha);
}

/** Picks index i with probability weights[i] / sum(weights). Build once, draw many times. */
export class WeightedChoice {
  private readonly cumulative: Float64Array;

  constructor(weights: readonly number[]) {
    if (weights.length === 0) throw new Error('WeightedChoice needs at least one weight');
    this.cumulative = new Float64Array(weights.length);
    let total = 0;
    for (let i = 0; i < weights.length; i++) {
      const weight = weights[i] as number;
      if (!(weight >= 0)) throw new Error(`weight ${i} must be >= 0, got ${weight}`);
      total += weight;
      this.cumulative[i] = total;
    }
    if (total <= 0) throw new Error('WeightedChoice needs a positive total weight');
  }

  get size(): number {
    return this.cumulative.length;
  }

  /** An index in [0, size). */
  draw(rng: Rng): number {
    const cumulative = this.cumulative;
    const target = rng() * (cumulative[cumulative.length - 1] as number);
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((cumulative[mid] as number) > target) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}

/** Zipf over ranks 1..n with exponent s: P(k) proportional to k^-s. Draws a rank in [1, n]. */
export class Zipf {
  private readonly choice: WeightedChoice;

  constructor(readonly n: number, readonly exponent: number) {
    if (!Number.isInteger(n) || n < 1) throw new Error(`Zipf needs n >= 1, got ${n}`);
    const weights: number[] = [];
    for (let k = 1; k <= n; k++) weights.push(Math.pow(k, -exponent));
    this.choice = new WeightedChoice(weights);
  }

  draw(rng: Rng): number {
    return this.choice.draw(rng) + 1;
  }

  /** The analytic mean rank. */
  mean(): number {
    let numerator = 0;
    let denominator = 0;
    for (let k = 1; k <= this.n; k++) {
      numerator += Math.pow(k, 1 - this.exponent);
      denominator += Math.pow(k, -this.exponent);
    }
    return numerator / denominator;
  }
}
