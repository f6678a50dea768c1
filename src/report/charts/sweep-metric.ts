// A sweep chart: one metric against one swept parameter, the mean of the replicas at each point with
// its 95% confidence interval, one line per combination of the other swept parameters.
import type { TopLevelSpec } from 'vega-lite';
import { RUN_COLOR } from './common.js';

export interface SweepSeriesPoint {
  readonly x: number | string;
  readonly mean: number;
  readonly ciLow: number | null;
  readonly ciHigh: number | null;
  readonly n: number;
  /** The other swept parameters' values, e.g. "loss=0.001"; '' when only this parameter varies. */
  readonly series: string;
}

export interface SweepMetricInput {
  readonly metric: string;
  readonly parameter: string;
  readonly numericX: boolean;
  /** Values spread over two decades or more (all positive): drawn on a log axis. */
  readonly logX: boolean;
  readonly points: readonly SweepSeriesPoint[];
  /** Name of the series legend (the other parameters), or null when there is one series. */
  readonly seriesTitle: string | null;
}

export function sweepMetricSpec(input: SweepMetricInput): TopLevelSpec {
  const x = input.numericX
    ? {
      field: 'x', type: 'quantitative', scale: input.logX ? { type: 'log', padding: 24, nice: false } : { zero: false, nice: false, padding: 24 },
      // Each swept value as written, one tick each (a d3 number format would round 15 to "2e+1").
      axis: { title: input.parameter, values: [...new Set(input.points.map((point) => point.x))], labelExpr: "'' + datum.value" },
    }
    : { field: 'x', type: 'ordinal', sort: null, axis: { title: input.parameter, labelAngle: 0 } };
  const color = input.seriesTitle === null
    ? { value: RUN_COLOR }
    : { field: 'series', type: 'nominal', title: input.seriesTitle };
  const withInterval = input.points.filter((point) => point.ciLow !== null && point.ciHigh !== null);
  const y = { field: 'mean', type: 'quantitative', scale: { zero: false }, axis: { title: input.metric } };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: `${input.metric} against ${input.parameter}`,
      subtitle: withInterval.length === 0 ? 'mean of the replicas at each point' : 'mean of the replicas at each point; bars: 95% confidence interval',
    },
    width: 560, height: 260,
    layer: [
      { data: { values: withInterval }, mark: { type: 'rule', strokeWidth: 2 }, encoding: { x, y: { field: 'ciLow', type: 'quantitative' }, y2: { field: 'ciHigh' }, color } },
      { data: { values: withInterval }, mark: { type: 'tick', orient: 'horizontal', thickness: 2, size: 12 }, encoding: { x, y: { field: 'ciLow', type: 'quantitative' }, color } },
      { data: { values: withInterval }, mark: { type: 'tick', orient: 'horizontal', thickness: 2, size: 12 }, encoding: { x, y: { field: 'ciHigh', type: 'quantitative' }, color } },
      { data: { values: input.points }, mark: { type: 'line', point: { size: 50, filled: true }, strokeWidth: 1.5 }, encoding: { x, y, color, detail: { field: 'series' } } },
    ],
  } as unknown as TopLevelSpec;
}
