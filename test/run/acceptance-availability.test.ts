// Acceptance availability (issue 17, study 1): summary.json's acceptance.within60sFraction is the share of
// every submission accepted within 1 minute; failed and pending submissions count against it.
import { describe, expect, it } from 'vitest';
import { ACCEPTED_WITHIN_60_S_US, shareAcceptedWithin } from '../../src/run/summary.js';
import { runScenario } from '../../src/run/run.js';
import { metricProblem } from '../../src/sweep/summary-metrics.js';
import type { SubmissionRow } from '../../src/world/submission-log.js';
import { smallScenario } from '../world/support.js';

function row(index: number, outcome: SubmissionRow['outcome'], submitUs: number, acceptUs: number): SubmissionRow {
  return { index, publisher: 0, submitUs, acceptUs, outcome, acceptingSp: outcome === 'accepted' ? 0 : -1, versionKey: index };
}

describe('share of submissions accepted within 60 s', () => {
  it('counts an acceptance at exactly the bound, not one a microsecond later, and counts failures and pending as late', () => {
    const rows = [
      row(0, 'accepted', 1_000_000, 1_000_000 + ACCEPTED_WITHIN_60_S_US),
      row(1, 'accepted', 0, ACCEPTED_WITHIN_60_S_US + 1),
      row(2, 'accepted', 5_000_000, 5_250_000),
      row(3, 'failed', 0, -1),
      row(4, 'pending', 0, -1),
    ];
    expect(shareAcceptedWithin(rows, ACCEPTED_WITHIN_60_S_US)).toBe(0.4);
  });

  it('is null over no submissions, not 0', () => {
    expect(shareAcceptedWithin([], ACCEPTED_WITHIN_60_S_US)).toBeNull();
  });

  it('is in a run summary, agrees with the submissions it was measured over, and falls when the SPs are down', () => {
    // Without faults most are accepted in under a second; a large file's replication can take minutes.
    const healthy = runScenario(smallScenario([])).summary;
    expect(healthy.acceptance.within60sFraction).toBeGreaterThan(0.95);
    // Every SP down for 5 minutes from minute 2: what is submitted then waits past a minute, or fails.
    const down = runScenario(smallScenario(['faults=[{ kind: sp-crash, at: 2m, for: 5m, target: { sps: [0, 1, 2, 3, 4] } }]']));
    const rows = down.world.submissions.rows;
    const recount = rows.filter((r) => r.outcome === 'accepted' && r.acceptUs - r.submitUs <= 60_000_000).length / rows.length;
    expect(down.summary.acceptance.within60sFraction).toBeCloseTo(recount, 6);
    expect(down.summary.acceptance.within60sFraction).toBeLessThan((healthy.acceptance.within60sFraction as number) - 0.05);
  });

  it('can be named as a sweep metric', () => {
    expect(metricProblem('acceptance.within60sFraction')).toBeUndefined();
    expect(metricProblem('invariants.byInvariant.5')).toBeUndefined();
  });
});
