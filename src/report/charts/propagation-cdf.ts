// The paper's first figure: the distribution of propagation times over every delivery, with the
// 3-minute mark, and beside it the tail (fraction later than t) where the 99.95% figure lives.
import type { TopLevelSpec } from 'vega-lite';
import type { CdfPoint } from '../chart-data.js';
import { MARK_COLOR, PAPER_COLOR, RUN_COLOR, count, logDomain, logTimeAxis, percent } from './common.js';

export interface PropagationCdfInput {
  readonly points: readonly CdfPoint[];
  readonly deliveries: number;
  readonly sampled: boolean;
  /** The summary's within180sFraction: over every pair, an undelivered one counting as late. */
  readonly within180sFraction: number | null;
  /** The reference's propagation.within180sFraction and where it comes from, when the scenario names one. */
  readonly reference: { readonly within180sFraction: number; readonly source: string } | null;
}

const THREE_MINUTES_S = 180;
const PANEL_HEIGHT = 260;

export function propagationCdfSpec(input: PropagationCdfInput): TopLevelSpec {
  const domain = logDomain(input.points, 0.1, 900); // the 3-minute mark always inside, with the 10-minute tick beyond it
  const xAxis = logTimeAxis(domain[0], domain[1], 't: propagation time, acceptance to install (log scale)');
  const x = { field: 'valueS', type: 'quantitative', scale: { type: 'log', domain, clamp: true }, axis: xAxis };
  const runLabel = input.sampled ? 'this run (sampled receivers)' : 'this run';
  const paperLabel = input.reference === null ? '' : `paper: ${percent(input.reference.within180sFraction)} within 3 min`;
  const color = {
    field: 'series', type: 'nominal', title: null,
    // With nothing to compare against, a one-entry legend would only repeat the title.
    ...(input.reference === null ? { legend: null } : {}),
    scale: { domain: input.reference === null ? [runLabel] : [runLabel, paperLabel], range: [RUN_COLOR, PAPER_COLOR] },
  };
  const curve = input.points.filter((point) => point.valueS > 0).map((point) => ({ ...point, series: runLabel, laterThan: 1 - point.q }));
  const tail = curve.filter((point) => point.laterThan > 0);
  // The label goes where the curve is not: at the foot of the rule on the left, at its head on the right.
  const threeMinuteRule = (labelAtTop: boolean): unknown => ({
    data: { values: [{ valueS: THREE_MINUTES_S, text: '3 min' }] },
    layer: [
      { mark: { type: 'rule', strokeDash: [5, 4], color: MARK_COLOR }, encoding: { x } },
      {
        mark: { type: 'text', align: 'left', dx: 4, baseline: labelAtTop ? 'top' : 'bottom', y: labelAtTop ? 4 : PANEL_HEIGHT - 4, color: MARK_COLOR, fontSize: 12 },
        encoding: { x, text: { field: 'text' } },
      },
    ],
  });
  const within = input.within180sFraction;
  // Nothing late: no point to mark on a log axis (the subtitle says 100%).
  const runMark = within === null || within >= 1 ? [] : [{
    data: { values: [{ valueS: THREE_MINUTES_S, laterThan: 1 - within, series: runLabel, text: `${percent(1 - within)} later` }] },
    layer: [
      { mark: { type: 'point', filled: true, size: 70 }, encoding: { x, y: { field: 'laterThan', type: 'quantitative' }, color } },
      { mark: { type: 'text', align: 'left', dx: 8, dy: -8, fontSize: 12, color: RUN_COLOR }, encoding: { x, y: { field: 'laterThan', type: 'quantitative' }, text: { field: 'text' } } },
    ],
  }];
  const paperMark = input.reference === null ? [] : [{
    data: { values: [{ valueS: THREE_MINUTES_S, laterThan: 1 - input.reference.within180sFraction, series: paperLabel, text: `paper ${percent(1 - input.reference.within180sFraction)} later` }] },
    layer: [
      { mark: { type: 'point', shape: 'diamond', filled: true, size: 110 }, encoding: { x, y: { field: 'laterThan', type: 'quantitative' }, color } },
      { mark: { type: 'text', align: 'left', dx: 8, dy: 10, fontSize: 12, color: PAPER_COLOR }, encoding: { x, y: { field: 'laterThan', type: 'quantitative' }, text: { field: 'text' } } },
    ],
  }];
  /** One panel: the curve through `values` on the shared time axis, with the layers drawn over it. */
  const panel = (values: unknown[], y: unknown, over: unknown[]): unknown => ({
    width: 330, height: PANEL_HEIGHT,
    layer: [{ data: { values }, mark: { type: 'line', interpolate: 'monotone', strokeWidth: 2 }, encoding: { x, y, color } }, ...over],
  });
  const subtitle = [
    input.sampled ? `${count(input.deliveries)} deliveries to the sampled receivers` : `all ${count(input.deliveries)} deliveries of a version to a receiver`,
    within === null ? 'no version to deliver' : `within 3 minutes: ${percent(within)} of (version, receiver) pairs, undelivered ones counted as late`,
    ...(input.reference === null ? [] : [`${input.reference.source}: ${percent(input.reference.within180sFraction)} within 3 minutes`]),
  ];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: 'Propagation time, every delivery', subtitle },
    hconcat: [
      panel(curve, { field: 'q', type: 'quantitative', scale: { domain: [0, 1] }, axis: { title: 'share of deliveries \u2264 t', format: '.0%' } }, [threeMinuteRule(false)]),
      panel(tail, {
        field: 'laterThan', type: 'quantitative', scale: { type: 'log', domain: [1e-5, 1], clamp: true },
        axis: { title: 'share later than t (log scale)', values: [1, 0.1, 0.01, 0.001, 0.0001, 0.00001], format: '~%' },
      }, [threeMinuteRule(true), ...runMark, ...paperMark]),
    ],
    resolve: { scale: { y: 'independent' } },
  } as unknown as TopLevelSpec;
}
