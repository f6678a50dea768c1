// Acceptance delay: from a publisher's submission to agreement among the Storage Points, for every
// accepted submission (exact: each is in submissions.csv).
import type { TopLevelSpec } from 'vega-lite';
import type { CdfPoint } from '../chart-data.js';
import { RUN_COLOR, count, logDomain, logTimeAxis, seconds } from './common.js';

export interface AcceptanceCdfInput {
  readonly points: readonly CdfPoint[];
  readonly accepted: number;
  readonly failed: number;
  readonly p50S: number | null;
  readonly p99S: number | null;
}

export function acceptanceCdfSpec(input: AcceptanceCdfInput): TopLevelSpec {
  const domain = logDomain(input.points, 0.01);
  const x = { field: 'valueS', type: 'quantitative', scale: { type: 'log', domain, clamp: true }, axis: logTimeAxis(domain[0], domain[1], 't: acceptance delay, submission to agreement (log scale)') };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: 'Acceptance delay',
      subtitle: `${count(input.accepted)} accepted submissions (${count(input.failed)} failed); median ${seconds(input.p50S)}, 99th percentile ${seconds(input.p99S)}`,
    },
    width: 680, height: 260,
    data: { values: input.points.filter((point) => point.valueS > 0) },
    mark: { type: 'line', interpolate: 'monotone', strokeWidth: 2, color: RUN_COLOR },
    encoding: {
      x,
      y: { field: 'q', type: 'quantitative', scale: { domain: [0, 1] }, axis: { title: 'share of submissions ≤ t', format: '.0%' } },
    },
  } as unknown as TopLevelSpec;
}
