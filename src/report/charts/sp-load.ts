// What each Storage Point serves per minute: requests (index and file responses) and megabytes.
import type { TopLevelSpec } from 'vega-lite';
import type { SpLoadPoint } from '../chart-data.js';

export interface SpLoadInput {
  readonly points: readonly SpLoadPoint[];
  readonly windowMinutes: number;
  readonly timeUnit: { readonly name: string; readonly seconds: number };
  readonly endS: number;
}

export function spLoadSpec(input: SpLoadInput): TopLevelSpec {
  const values = input.points.map((point) => ({ ...point, t: point.startS / input.timeUnit.seconds }));
  const x = {
    field: 't', type: 'quantitative', scale: { domain: [0, input.endS / input.timeUnit.seconds], nice: false },
    axis: { title: `simulated time (${input.timeUnit.name})`, tickMinStep: 1 },
  };
  const color = { field: 'sp', type: 'nominal', title: 'Storage Point' };
  const panel = (field: string, title: string): unknown => ({
    width: 680, height: 150,
    mark: { type: 'line', strokeWidth: 1.5, interpolate: 'step-after' },
    encoding: { x, y: { field, type: 'quantitative', axis: { title } }, color },
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: 'Storage Point load',
      subtitle: input.windowMinutes === 1 ? 'per minute, per SP' : `per minute, per SP (averaged over ${input.windowMinutes}-minute windows)`,
    },
    data: { values },
    vconcat: [panel('requestsPerMinute', 'requests / min'), panel('megabytesPerMinute', 'MB / min')],
  } as unknown as TopLevelSpec;
}
