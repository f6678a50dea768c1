// Pieces shared by the report's charts: the log-scale time axis, number formats and the palette.
import type { CdfPoint } from '../chart-data.js';

export { count, percent, seconds } from '../figure-text.js';

/** Tick values for a log time axis, in seconds, labelled as a reader says them. */
const LOG_TICKS_S = [0.01, 0.1, 1, 3, 10, 30, 180, 600, 1800, 3600, 3 * 3600, 10 * 3600, 86_400];

export function logTimeAxis(lowS: number, highS: number, title: string): Record<string, unknown> {
  const values = LOG_TICKS_S.filter((value) => value >= lowS * 0.999 && value <= highS * 1.001);
  return {
    title,
    values,
    labelExpr: "datum.value >= 3600 ? format(datum.value / 3600, '~g') + ' h' : datum.value >= 60 ? format(datum.value / 60, '~g') + ' min' : format(datum.value, '~g') + ' s'",
    grid: true,
    labelOverlap: 'greedy',
    labelFlush: true, // the first and last labels stay inside the plot's width
  };
}

/** Domain of a log axis over a CDF's positive values, with a floor so a zero latency does not stretch it. */
export function logDomain(points: readonly CdfPoint[], floorS: number, minHighS = 0): [number, number] {
  const positive = points.map((point) => point.valueS).filter((value) => value > 0);
  const low = Math.max(floorS, Math.min(...positive));
  const high = Math.max(low * 10, minHighS, ...positive);
  return [low, high];
}

export const RUN_COLOR = '#1f77b4';
export const SECOND_COLOR = '#ff7f0e';
export const PAPER_COLOR = '#d62728';
export const MARK_COLOR = '#555';
