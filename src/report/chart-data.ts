// What goes into each chart, computed from the run's data: quantile curves instead of raw points,
// SP load in windows for long runs, fault intervals paired from the timeline. Pure functions, tested
// against the summary's own figures.
import { nearestRank } from '../metrics/index.js';
import type { FaultRow, SpLoadRow } from './run-data.js';
import { count } from './figure-text.js';

/**
 * Quantiles a CDF is drawn through: every half percent, then finer into the tail, so ~230 points show
 * 200 million deliveries. The summary's own percentiles (p50, p95, p99, p99.95) are among them.
 */
export const CDF_QUANTILES: readonly number[] = (() => {
  const grid: number[] = [];
  for (let i = 0; i <= 198; i++) grid.push(i / 200);
  for (let i = 990; i <= 999; i++) grid.push(i / 1000);
  for (let i = 9991; i <= 9999; i++) grid.push(i / 10000);
  grid.push(0.99995, 1);
  return grid;
})();

export interface CdfPoint {
  /** Fraction of values at or below valueS. */
  readonly q: number;
  readonly valueS: number;
}

/** The curve through `quantileUs` at CDF_QUANTILES; empty when there are no values. */
export function cdfPoints(count: number, quantileUs: (q: number) => number): CdfPoint[] {
  if (count === 0) return [];
  return CDF_QUANTILES.map((q) => ({ q, valueS: quantileUs(q) / 1e6 }));
}

/** Nearest-rank quantile of ascending values (the rule every acmsim percentile uses). */
export function sortedQuantile(sorted: Float64Array, q: number): number {
  return sorted[nearestRank(q, sorted.length) - 1] as number;
}

export interface SpLoadPoint {
  /** Start of the window, seconds of simulated time. */
  readonly startS: number;
  readonly sp: string;
  /** Mean per minute over the window. */
  readonly requestsPerMinute: number;
  readonly megabytesPerMinute: number;
}

/**
 * At most ~200 points per SP: a long run's minutes are averaged over windows of whole minutes (the
 * shortest of 1, 2, 5, 10, 15, 30, 60 that fits), still per minute so the axis keeps its unit.
 */
export function spLoadPoints(rows: readonly SpLoadRow[]): { windowMinutes: number; points: SpLoadPoint[] } {
  let minutes = 0;
  for (const row of rows) minutes = Math.max(minutes, row.minute + 1);
  const windowMinutes = [1, 2, 5, 10, 15, 30, 60].find((w) => minutes / w <= 200) ?? 60;
  const sums = new Map<string, { requests: number; bytes: number; window: number; sp: number }>();
  for (const row of rows) {
    const window = Math.floor(row.minute / windowMinutes);
    const key = `${window}/${row.sp}`;
    const sum = sums.get(key) ?? { requests: 0, bytes: 0, window, sp: row.sp };
    sum.requests += row.requests;
    sum.bytes += row.bytes;
    sums.set(key, sum);
  }
  const points = [...sums.values()]
    .sort((a, b) => a.window - b.window || a.sp - b.sp)
    .map((sum) => {
      const width = Math.min(windowMinutes, minutes - sum.window * windowMinutes); // the last window may be short
      return {
        startS: sum.window * windowMinutes * 60, sp: `SP ${sum.sp}`,
        requestsPerMinute: round(sum.requests / width, 2), megabytesPerMinute: round(sum.bytes / width / 1e6, 4),
      };
    });
  return { windowMinutes, points };
}

export interface FaultInterval {
  /** The row of the fault lane: a fault and its target, or a kind whose many random targets share one row. */
  readonly lane: string;
  readonly kind: string;
  readonly startS: number;
  readonly endS: number;
}

/** A kind with more distinct targets than this shares one lane (e.g. outages of random edge servers). */
export const MAX_LANES_PER_KIND = 4;

/**
 * Pairs each start in faults.csv with the next end of the same kind and target (a fault with no end lasts
 * to endS). A kind with many targets gets one lane, its overlapping intervals merged, named with the count.
 */
export function faultIntervals(rows: readonly FaultRow[], endS: number): FaultInterval[] {
  const open = new Map<string, number[]>();
  const paired: Array<{ kind: string; target: string; startS: number; endS: number }> = [];
  for (const row of rows) {
    const key = `${row.kind}\u0000${row.target}`;
    if (row.action === 'start') {
      open.set(key, [...(open.get(key) ?? []), row.timeS]);
    } else if (row.action === 'end') {
      const starts = open.get(key) ?? [];
      const startS = starts.shift();
      if (startS !== undefined) paired.push({ kind: row.kind, target: row.target, startS, endS: row.timeS });
    }
  }
  for (const [key, starts] of open) {
    const [kind = '', target = ''] = key.split('\u0000');
    for (const startS of starts) paired.push({ kind, target, startS, endS });
  }
  const targetsByKind = new Map<string, Set<string>>();
  for (const interval of paired) targetsByKind.set(interval.kind, (targetsByKind.get(interval.kind) ?? new Set()).add(interval.target));
  const intervals: FaultInterval[] = [];
  for (const [kind, targets] of [...targetsByKind].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const ofKind = paired.filter((interval) => interval.kind === kind).sort((a, b) => a.startS - b.startS || a.endS - b.endS);
    if (targets.size <= MAX_LANES_PER_KIND) {
      for (const interval of ofKind) intervals.push({ lane: `${kind}: ${interval.target}`, kind, startS: interval.startS, endS: interval.endS });
      continue;
    }
    const lane = `${kind}: ${count(ofKind.length)} times, ${count(targets.size)} targets`;
    const merged: FaultInterval[] = [];
    for (const interval of ofKind) {
      const last = merged.at(-1);
      if (last !== undefined && interval.startS <= last.endS) {
        merged[merged.length - 1] = { lane, kind, startS: last.startS, endS: Math.max(last.endS, interval.endS) };
      } else {
        merged.push({ lane, kind, startS: interval.startS, endS: interval.endS });
      }
    }
    intervals.push(...merged);
  }
  return intervals;
}

/** Time axis unit for a run: minutes up to three hours, hours beyond. */
export function timeUnitOf(simulatedS: number): { readonly name: 'min' | 'h'; readonly seconds: number } {
  return simulatedS <= 3 * 3600 ? { name: 'min', seconds: 60 } : { name: 'h', seconds: 3600 };
}

export function round(value: number, decimals: number): number {
  const scale = 10 ** decimals;
  return Math.round(value * scale) / scale;
}
