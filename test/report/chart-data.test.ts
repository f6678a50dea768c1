// What goes into the charts: quantile curves, SP load windows and fault lanes, from small inputs whose
// answers are known.
import { describe, expect, it } from 'vitest';
import { CDF_QUANTILES, cdfPoints, faultIntervals, sortedQuantile, spLoadPoints, timeUnitOf } from '../../src/report/chart-data.js';
import type { FaultRow, SpLoadRow } from '../../src/report/run-data.js';

describe('CDF points', () => {
  it('pass through the summary percentiles and end at the maximum', () => {
    for (const q of [0.5, 0.95, 0.99, 0.9995, 1]) expect(CDF_QUANTILES).toContain(q);
    const sorted = Float64Array.from({ length: 1000 }, (_, i) => (i + 1) * 1000);
    const points = cdfPoints(sorted.length, (q) => sortedQuantile(sorted, q));
    expect(points.find((point) => point.q === 0.5)?.valueS).toBe(0.5);
    expect(points.find((point) => point.q === 0.99)?.valueS).toBe(0.99);
    expect(points.at(-1)).toEqual({ q: 1, valueS: 1 });
    expect(points.length).toBeLessThan(250); // downsampled, whatever the number of values
    expect(cdfPoints(0, () => 0)).toEqual([]);
  });
});

describe('SP load points', () => {
  it('keep one point per minute per SP on a short run', () => {
    const rows: SpLoadRow[] = [0, 1, 2].flatMap((minute) => [0, 1].map((sp) => ({ minute, sp, requests: minute * 10 + sp, bytes: 2e6 })));
    const { windowMinutes, points } = spLoadPoints(rows);
    expect(windowMinutes).toBe(1);
    expect(points).toHaveLength(6);
    expect(points[3]).toEqual({ startS: 60, sp: 'SP 1', requestsPerMinute: 11, megabytesPerMinute: 2 });
  });

  it('average a long run over windows, keeping the total and the per-minute unit', () => {
    const rows: SpLoadRow[] = Array.from({ length: 2_885 }, (_, minute) => ({ minute, sp: 0, requests: minute % 3 === 0 ? 6 : 0, bytes: 0 }));
    const { windowMinutes, points } = spLoadPoints(rows);
    expect(windowMinutes).toBe(15);
    expect(points).toHaveLength(193);
    expect(points[0]?.requestsPerMinute).toBe(2); // five minutes of 6 in each 15
    expect(points.at(-1)?.requestsPerMinute).toBe(2.4); // the last window is 5 minutes long: 12 / 5
    const total = points.reduce((sum, point, i) => sum + point.requestsPerMinute * (i === points.length - 1 ? 5 : 15), 0);
    expect(total).toBe(rows.reduce((sum, row) => sum + row.requests, 0));
  });
});

describe('fault intervals', () => {
  const row = (timeS: number, kind: string, action: string, target: string): FaultRow => ({ timeS, kind, action, target, detail: '' });

  it('pair each start with its end, and run an unended fault to the end of the run', () => {
    const intervals = faultIntervals([
      row(120, 'partition', 'start', 'countries=US'), row(180, 'partition', 'end', 'countries=US'), row(300, 'sp-crash', 'start', 'sps=0'),
    ], 900);
    expect(intervals).toEqual([
      { lane: 'partition: countries=US', kind: 'partition', startS: 120, endS: 180 },
      { lane: 'sp-crash: sps=0', kind: 'sp-crash', startS: 300, endS: 900 },
    ]);
  });

  it('put a kind with many random targets on one lane, overlapping outages merged', () => {
    const rows = [
      row(10, 'edge-outage', 'start', 'edge 1'), row(15, 'edge-outage', 'start', 'edge 2'), row(20, 'edge-outage', 'end', 'edge 1'),
      row(30, 'edge-outage', 'end', 'edge 2'), row(40, 'edge-outage', 'start', 'edge 3'), row(50, 'edge-outage', 'end', 'edge 3'),
      row(60, 'edge-outage', 'start', 'edge 4'), row(70, 'edge-outage', 'end', 'edge 4'), row(80, 'edge-outage', 'start', 'edge 5'), row(90, 'edge-outage', 'end', 'edge 5'),
    ];
    const intervals = faultIntervals(rows, 100);
    expect(new Set(intervals.map((interval) => interval.lane))).toEqual(new Set(['edge-outage: 5 times, 5 targets']));
    expect(intervals.map((interval) => [interval.startS, interval.endS])).toEqual([[10, 30], [40, 50], [60, 70], [80, 90]]);
  });

  it('choose minutes up to three hours and hours beyond', () => {
    expect(timeUnitOf(2100).name).toBe('min');
    expect(timeUnitOf(48 * 3600 + 300).name).toBe('h');
  });
});
