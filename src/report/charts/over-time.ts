// Propagation over the run: p50 and p99 per window of acceptance time, with the fault timeline drawn
// underneath on the same time axis, so a fault's effect shows where it happens.
import type { TopLevelSpec } from 'vega-lite';
import type { FaultInterval } from '../chart-data.js';
import type { OverTimeRow } from '../run-data.js';
import { PAPER_COLOR, RUN_COLOR, SECOND_COLOR } from './common.js';

export interface OverTimeInput {
  readonly rows: readonly OverTimeRow[];
  readonly windowS: number;
  readonly faults: readonly FaultInterval[];
  readonly timeUnit: { readonly name: string; readonly seconds: number };
  readonly endS: number;
  readonly sampleReceivers: number | null;
}

export function overTimeSpec(input: OverTimeInput): TopLevelSpec {
  const unit = input.timeUnit.seconds;
  const axis = (title: string): unknown => ({
    field: 't', type: 'quantitative', scale: { domain: [0, input.endS / unit], nice: false }, axis: { title, tickMinStep: 1 },
  });
  const x = axis(`time the version was accepted (${input.timeUnit.name})`);
  const values = input.rows.flatMap((row) => {
    const t = (row.startS + input.windowS / 2) / unit;
    return [
      ...(row.p50S === null ? [] : [{ t, valueS: row.p50S, series: 'median (p50)', deliveries: row.deliveries }]),
      ...(row.p99S === null ? [] : [{ t, valueS: row.p99S, series: '99th percentile', deliveries: row.deliveries }]),
    ];
  });
  const windowText = input.windowS % 60 === 0 ? `${input.windowS / 60}-minute` : `${input.windowS}-second`;
  const who = input.sampleReceivers === null ? 'the sampled receivers' : `the ${input.sampleReceivers} sampled receivers`;
  const top = {
    width: 680, height: 220,
    data: { values },
    // Points only when there are few windows; 288 windows of a 48-hour run read better as a line.
    mark: { type: 'line', point: input.rows.length <= 60 ? { size: 18 } : false, strokeWidth: 1.5 },
    encoding: {
      x,
      y: { field: 'valueS', type: 'quantitative', axis: { title: 'propagation time (s)' } },
      color: { field: 'series', type: 'nominal', title: null, scale: { domain: ['median (p50)', '99th percentile'], range: [RUN_COLOR, SECOND_COLOR] } },
    },
  };
  const lanes = [...new Set(input.faults.map((fault) => fault.lane))];
  const bottom = {
    width: 680, height: Math.max(24, 22 * lanes.length),
    title: { text: 'faults in force', fontSize: 13, fontWeight: 'normal', anchor: 'start' },
    data: { values: input.faults.map((fault) => ({ lane: fault.lane, kind: fault.kind, t: fault.startS / unit, t2: fault.endS / unit })) },
    mark: { type: 'bar', color: PAPER_COLOR, opacity: 0.75, cornerRadius: 2 },
    encoding: {
      x: axis(`simulated time (${input.timeUnit.name})`), x2: { field: 't2' },
      y: { field: 'lane', type: 'nominal', sort: lanes, axis: { title: null, labelLimit: 260 } },
    },
  };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: 'Propagation over the run, with the faults',
      subtitle: `per ${windowText} window of acceptance time, deliveries to ${who}` + (lanes.length === 0 ? '; no faults in this run' : ''),
    },
    vconcat: lanes.length === 0 ? [top] : [top, bottom],
  } as unknown as TopLevelSpec;
}
