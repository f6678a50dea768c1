import { describe, expect, it } from 'vitest';
import { FrontendInvariantChecker } from '../../src/acms/invariants.js';
import { makeVersionId } from '../../src/acms/version.js';

const v = makeVersionId(4, 'f4', 1000, 0);
const newer = makeVersionId(4, 'f4', 2000, 1);

function storeAndBit(checker: FrontendInvariantChecker, sps: number[], version = v): void {
  for (const sp of sps) {
    checker.observe(1, sp, { type: 'stored', version, sizeBytes: 1 });
    checker.observe(2, sp, { type: 'bitSet', version });
  }
}

describe('invariant checker', () => {
  it('passes a correct history and counts its checks', () => {
    const checker = new FrontendInvariantChecker(5);
    storeAndBit(checker, [0, 1, 2]);
    checker.observe(3, 0, { type: 'accepted', version: v, publisher: 100, submissionId: 1 });
    checker.observe(4, 1, { type: 'visible', version: v, sizeBytes: 1, previousKey: undefined });
    expect(checker.violations).toBe(0);
    expect(checker.checks).toBe(4);
    expect(checker.summary()).toContain('0 violations');
  });

  it('1: catches acceptance on a minority of bits, naming time, id and SPs', () => {
    const checker = new FrontendInvariantChecker(5);
    storeAndBit(checker, [0, 1]);
    checker.observe(3_500_000, 0, { type: 'accepted', version: v, publisher: 100, submissionId: 1 });
    expect(checker.violationsByInvariant[1]).toBe(1);
    const report = checker.reports[0]!;
    expect(report).toMatchObject({ invariant: 1, timeUs: 3_500_000, fileId: 4, versionKey: v.versionKey, sps: [0, 1] });
    expect(report.message).toContain('t=3.500000 s');
    expect(report.message).toContain('f4@1000.0');
  });

  it('2: catches an accepted version lost when holders drop to a minority, but not when a newer one is shown', () => {
    const checker = new FrontendInvariantChecker(5);
    storeAndBit(checker, [0, 1, 2]);
    checker.observe(3, 0, { type: 'accepted', version: v, publisher: 100, submissionId: 1 });
    checker.observe(4, 2, { type: 'diskLost' });
    expect(checker.violationsByInvariant[2]).toBe(1);
    expect(checker.reports[0]?.sps).toEqual([0, 1]);

    const ok = new FrontendInvariantChecker(5);
    storeAndBit(ok, [0, 1, 2]);
    storeAndBit(ok, [3, 4, 1], newer);
    ok.observe(3, 0, { type: 'accepted', version: v, publisher: 100, submissionId: 1 });
    ok.observe(5, 3, { type: 'visible', version: newer, sizeBytes: 1, previousKey: undefined });
    ok.observe(6, 2, { type: 'diskLost' });
    expect(ok.violations).toBe(0);
  });

  it('3 and 4: catches showing an unagreed version and a version going backwards', () => {
    const checker = new FrontendInvariantChecker(5);
    storeAndBit(checker, [0]);
    checker.observe(3, 0, { type: 'visible', version: v, sizeBytes: 1, previousKey: undefined });
    expect(checker.violationsByInvariant[3]).toBe(1);
    storeAndBit(checker, [1, 2, 3], newer);
    checker.observe(4, 0, { type: 'visible', version: newer, sizeBytes: 1, previousKey: v.versionKey });
    storeAndBit(checker, [1, 2]);
    checker.observe(5, 0, { type: 'visible', version: v, sizeBytes: 1, previousKey: newer.versionKey });
    expect(checker.violationsByInvariant[4]).toBe(1);
    // A disk loss starts a new log: showing an older version afterwards is not going backwards.
    checker.observe(6, 0, { type: 'diskLost' });
    checker.observe(7, 0, { type: 'visible', version: v, sizeBytes: 1, previousKey: undefined });
    expect(checker.violationsByInvariant[4]).toBe(1);
  });
});
