// The checker for the serial what-if designs (primary-backup, single): no majority, one history per file.
import { describe, expect, it } from 'vitest';
import { FrontendInvariantChecker } from '../../src/acms/invariants.js';
import { makeVersionId, type VersionId } from '../../src/acms/version.js';

function commitAndAccept(checker: FrontendInvariantChecker, nowUs: number, sp: number, version: VersionId): void {
  checker.observe(nowUs, sp, { type: 'stored', version, sizeBytes: 10 });
  checker.observe(nowUs, sp, { type: 'agreed', version, via: 'commit' });
  checker.observe(nowUs, sp, { type: 'visible', version, sizeBytes: 10, previousKey: undefined });
  checker.observe(nowUs, sp, { type: 'accepted', version, publisher: 100, submissionId: 1 });
}

describe('invariant checker, serial designs', () => {
  it('the quorum design keeps its four invariants and its summary as before', () => {
    const checker = new FrontendInvariantChecker(5);
    expect(checker.invariants).toEqual([1, 2, 3, 4]);
    expect(Object.keys(checker.violationsByInvariant)).toEqual(['1', '2', '3', '4']);
    expect(checker.summary()).toBe('invariants: 0 checks, 0 violations (#1:0 #2:0 #3:0 #4:0)');
  });

  it('needs no majority: a version stored and committed by its primary alone is fine', () => {
    const checker = new FrontendInvariantChecker(5, 100, 'primary-backup');
    commitAndAccept(checker, 1, 0, makeVersionId(1, 'f', 100, 0));
    expect(checker.violations).toBe(0);
    expect(checker.invariants).toEqual([1, 2, 3, 4, 5]);
  });

  it('a new primary that holds the previous version continues the history', () => {
    const checker = new FrontendInvariantChecker(5, 100, 'primary-backup');
    const first = makeVersionId(1, 'f', 100, 0);
    checker.observe(0, 1, { type: 'stored', version: first, sizeBytes: 10 });
    commitAndAccept(checker, 1, 0, first);
    commitAndAccept(checker, 2, 1, makeVersionId(1, 'f', 200, 1));
    expect(checker.violations).toBe(0);
  });

  it('two primaries accepting versions of one file fork its history (invariant 5)', () => {
    const checker = new FrontendInvariantChecker(5, 100, 'primary-backup');
    const deposed = makeVersionId(1, 'f', 100, 0);
    commitAndAccept(checker, 1, 0, deposed);
    commitAndAccept(checker, 2, 1, makeVersionId(1, 'f', 200, 1));
    expect(checker.violationsByInvariant[5]).toBe(1);
    expect(checker.reports[0]?.sps).toEqual([1, 0]);
    // Another file, accepted once: no fork.
    commitAndAccept(checker, 3, 1, makeVersionId(2, 'g', 300, 1));
    expect(checker.violations).toBe(1);
  });

  it('a roll-back that discards the only copy of an accepted version loses it (invariant 2)', () => {
    const checker = new FrontendInvariantChecker(5, 100, 'primary-backup');
    commitAndAccept(checker, 1, 0, makeVersionId(1, 'f', 100, 0));
    checker.observe(2, 0, { type: 'rolledBack', newPrimary: 1, term: 1 });
    expect(checker.violationsByInvariant[2]).toBe(1);
    expect(checker.reports[0]?.message).toMatch(/held by no SP/);
  });

  it('a snapshot may show only committed versions (invariant 3)', () => {
    const checker = new FrontendInvariantChecker(3, 100, 'single');
    const version = makeVersionId(1, 'f', 100, 0);
    checker.observe(1, 0, { type: 'stored', version, sizeBytes: 10 });
    checker.observe(1, 0, { type: 'visible', version, sizeBytes: 10, previousKey: undefined });
    expect(checker.violationsByInvariant[3]).toBe(1);
  });
});
