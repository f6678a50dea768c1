// Scenario-level behaviour of 5 SPs and 2 publishers under the faults the issue names.
import { describe, expect, it } from 'vitest';
import { FrontendHarness } from './support/harness.js';

const S = 1_000_000;
const MERGE_US = 2 * S; // TEST_SP_PARAMS.mergeIntervalUs

function submitMany(h: FrontendHarness, count: number, sizeBytes: number, gapUs: number, startUs = h.sim.nowUs): number[] {
  const files: number[] = [];
  for (let i = 0; i < count; i++) {
    const fileId = i;
    files.push(fileId);
    h.at(startUs + i * gapUs, () => h.submit(i % 2, sizeBytes, fileId));
  }
  return files;
}

describe('front end scenarios on 5 SPs', () => {
  it('with 2 SPs crashed, or 2 partitioned away, submissions are still accepted', () => {
    for (const fault of ['crash', 'partition'] as const) {
      const h = new FrontendHarness({ seed: 11 });
      if (fault === 'crash') {
        h.crash(3);
        h.crash(4);
      } else {
        h.partition([3, 4]);
      }
      submitMany(h, 8, 2000, 1 * S);
      h.runFor(60 * S);
      expect(h.accepts).toHaveLength(8);
      expect(h.finalFailures).toHaveLength(0);
      expect(h.checker.violations).toBe(0);
      for (const accept of h.accepts) expect([0, 1, 2]).toContain(accept.version.originSp);
    }
  });

  it('with 3 away none is accepted and publishers get failures; after the heal their retries succeed', () => {
    const h = new FrontendHarness({ seed: 12 });
    h.partition([2, 3, 4]);
    submitMany(h, 4, 2000, 1 * S);
    h.runFor(25 * S);
    expect(h.accepts).toHaveLength(0);
    expect(h.attemptFailures.length).toBeGreaterThanOrEqual(4);
    // The SPs on the publishers' side answer "failed" (not only silence): no quorum of copies in time.
    expect(h.attemptFailures.some((f) => f.type === 'attemptFailed' && f.reason === 'replicationTimeout')).toBe(true);
    h.heal();
    h.runFor(60 * S);
    expect(h.accepts.length).toBe(4);
    expect(h.accepts.every((a) => a.attempts > 1 && a.acceptedUs > 25 * S)).toBe(true);
    expect(h.finalFailures).toHaveLength(0);
    expect(h.checker.violations).toBe(0);
  });

  it('with 3 SPs crashed nothing is accepted until they restart', () => {
    const h = new FrontendHarness({ seed: 13 });
    for (const sp of [0, 1, 2]) h.crash(sp);
    submitMany(h, 3, 500, 1 * S);
    h.runFor(20 * S);
    expect(h.accepts).toHaveLength(0);
    for (const sp of [0, 1, 2]) h.restart(sp, false);
    h.runFor(60 * S);
    expect(h.accepts).toHaveLength(3);
    expect(h.checker.violations).toBe(0);
  });

  it('an SP partitioned away during agreements has every accepted version within a few merge intervals of the heal', () => {
    const h = new FrontendHarness({ seed: 14 });
    h.partition([4]);
    submitMany(h, 12, 3000, 1_500_000);
    h.runUntil(30 * S);
    expect(h.accepts).toHaveLength(12);
    expect(h.upToDateSps()).toEqual([0, 1, 2, 3]);
    expect(h.sps[4]!.snapshot.length).toBe(0);
    h.heal();
    h.runFor(3 * MERGE_US);
    expect(h.upToDateSps()).toEqual([0, 1, 2, 3, 4]);
    expect(h.sps[4]!.agreementCount).toBeGreaterThanOrEqual(12);
    expect(h.checker.violations).toBe(0);
  });

  it('an SP restarted with a lost disk catches up by merging', () => {
    const h = new FrontendHarness({ seed: 15 });
    submitMany(h, 10, 20_000, 1 * S);
    h.runUntil(15 * S);
    expect(h.upToDateSps()).toEqual([0, 1, 2, 3, 4]);
    h.crash(2);
    h.runFor(5 * S);
    h.restart(2, true);
    expect(h.sps[2]!.snapshot.length).toBe(0);
    h.runFor(3 * MERGE_US);
    expect(h.upToDateSps()).toEqual([0, 1, 2, 3, 4]);
    expect(h.checker.violations).toBe(0);
    expect(h.checker.checks).toBeGreaterThan(20);
  });

  it('an MTU black hole on one SP stalls replication of large files to it, but not acceptance', () => {
    const h = new FrontendHarness({ seed: 16 });
    h.blackHole(4, 1500);
    const small = h.submit(0, 600);
    const large = h.submit(1, 1_000_000);
    h.runFor(20 * S);
    expect(h.accepts).toHaveLength(2);
    const sp4 = h.sps[4]!;
    expect(h.visibleKey(4, small)).toBeDefined();
    expect(h.visibleKey(4, large)).toBeUndefined();
    expect(sp4.isAgreed(h.visibleKey(0, large)!)).toBe(true); // it learnt the agreement (small messages) ...
    expect(sp4.isStored(h.visibleKey(0, large)!)).toBe(false); // ... but cannot get the file
    h.clearBlackHole(4);
    h.runFor(3 * MERGE_US);
    expect(h.visibleKey(4, large)).toBe(h.visibleKey(0, large));
    expect(h.checker.violations).toBe(0);
  });

  it('clock skew within the bound changes nothing; beyond it the skewed SP is refused and publishers fail over', () => {
    function run(offsetUs: number): FrontendHarness {
      const h = new FrontendHarness({ seed: 17 });
      const nearest = h.spOrderFor(100)[0]!;
      h.setClockOffset(nearest, offsetUs);
      h.setSpOrder(1, h.spOrderFor(100)); // both publishers prefer the skewed SP
      submitMany(h, 6, 1000, 2 * S);
      h.runFor(60 * S);
      return h;
    }
    const baseline = run(0);
    const skewed = run(900_000);
    const skewedSp = skewed.spOrderFor(100)[0]!;
    const outcome = (h: FrontendHarness) => h.accepts.map((a) => [a.publisher, a.submissionId, a.version.fileId, a.version.originSp, a.attempts]);
    expect(outcome(skewed)).toEqual(outcome(baseline));
    expect(skewed.accepts.every((a) => a.version.originSp === skewedSp)).toBe(true);
    expect(skewed.spObservations.filter((o) => o.observation.type === 'refused')).toHaveLength(0);
    // The skew shows up only in the ids' timestamps.
    for (let i = 0; i < baseline.accepts.length; i++) {
      expect(skewed.accepts[i]!.version.timestampUs - baseline.accepts[i]!.version.timestampUs).toBe(900_000);
    }

    for (const offsetUs of [5 * S, -70 * S]) {
      const beyond = run(offsetUs);
      expect(beyond.accepts).toHaveLength(6);
      expect(beyond.accepts.every((a) => a.version.originSp !== skewedSp && a.attempts === 2)).toBe(true);
      expect(beyond.attemptFailures.every((f) => f.type === 'attemptFailed' && f.reason === 'refusedByPeers')).toBe(true);
      expect(beyond.spObservations.filter((o) => o.observation.type === 'refused').length).toBeGreaterThanOrEqual(6 * 2);
      expect(beyond.checker.violations).toBe(0);
    }
  });

  it('the checker reports data loss when faults exceed what a majority quorum tolerates', () => {
    const h = new FrontendHarness({ seed: 18 });
    h.partition([3, 4]);
    const fileId = h.submit(0, 800);
    h.runFor(10 * S);
    expect(h.accepts).toHaveLength(1);
    expect(h.checker.violations).toBe(0);
    // Only SPs 0, 1, 2 hold it; losing one disk while 3 and 4 are still away leaves a majority without it.
    const holder = h.accepts[0]!.version.originSp;
    h.crash(holder);
    h.restart(holder, true);
    expect(h.checker.violationsByInvariant[2]).toBe(1);
    const report = h.checker.reports[0]!;
    expect(report.fileId).toBe(fileId);
    expect(report.sps).toHaveLength(2);
    expect(report.message).toContain('invariant 2');
  });

  it('merging moves each agreement to each SP once: O(changes), not O(all files), per round', () => {
    const h = new FrontendHarness({ seed: 19 });
    submitMany(h, 40, 700, 2 * S);
    h.runFor(120 * S);
    expect(h.accepts).toHaveLength(40);
    let entries = 0;
    let largest = 0;
    let rounds = 0;
    for (const { observation } of h.spObservations) {
      if (observation.type !== 'merged') continue;
      rounds++;
      entries += observation.entries;
      largest = Math.max(largest, observation.entries);
    }
    expect(rounds).toBeGreaterThan(5 * 50);
    expect(entries).toBeLessThanOrEqual(40 * 5 * 4);
    // One submission every 2 s and a visit to each peer every ~4 merge rounds (8 s): a handful per page.
    expect(largest).toBeLessThanOrEqual(8);
  });
});
