// Propagation over time: the latencies of deliveries grouped by fixed windows of their version's
// acceptance time, each window a LatencyHistogram, so a window's p50 and p99 stay within 0.2%.
import { LatencyHistogram } from './histogram.js';
import { secondsFromUs } from './format.js';

const US_PER_MINUTE = 60_000_000;

/** Column names of propagation-over-time.csv, in the order `rows` fills them. */
export const OVER_TIME_CSV_HEADER: readonly string[] = ['windowStartS', 'windowS', 'deliveries', 'meanS', 'p50S', 'p99S', 'maxS'];

/**
 * The window for a run of totalUs: the longest of 10, 5, 2 and 1 minutes that still cuts the run into at
 * least 24 windows (1 minute for runs under 24 minutes), so a short CI run shows where its fault hit and
 * the 48-hour replay is drawn in 10-minute steps.
 */
export function overTimeWindowUs(totalUs: number): number {
  for (const minutes of [10, 5, 2]) {
    if (totalUs / (minutes * US_PER_MINUTE) >= 24) return minutes * US_PER_MINUTE;
  }
  return US_PER_MINUTE;
}

export class WindowedQuantiles {
  private readonly windows: LatencyHistogram[] = [];

  constructor(readonly windowUs: number) {
    if (!(windowUs > 0 && windowUs % 1_000_000 === 0)) throw new RangeError(`window must be a positive whole number of seconds (in µs), got ${windowUs}`);
  }

  /** One value (µs, an integer >= 0) in the window holding timeUs (>= 0). */
  add(timeUs: number, valueUs: number): void {
    const index = Math.floor(timeUs / this.windowUs);
    if (!(index >= 0)) throw new RangeError(`time must be >= 0 µs, got ${timeUs}`);
    while (this.windows.length <= index) this.windows.push(new LatencyHistogram());
    (this.windows[index] as LatencyHistogram).record(valueUs);
  }

  /** One row per window from 0 through the last one with a value; empty windows give empty cells. */
  rows(): Array<Array<string | number>> {
    return this.windows.map((histogram, index) => {
      const start = [(index * this.windowUs) / 1e6, this.windowUs / 1e6, histogram.count]; // whole seconds: windows are whole minutes
      if (histogram.count === 0) return [...start, '', '', '', ''];
      return [
        ...start, secondsFromUs(histogram.meanUs), secondsFromUs(histogram.quantileUs(0.5)),
        secondsFromUs(histogram.quantileUs(0.99)), secondsFromUs(histogram.maxUs),
      ];
    });
  }
}
