// The shrinker keeps a step only when the SAME property still fails: a candidate that fails another
// property, or none, is not progress. Judged here by a rule over the case, so the outcome is exact.
import { describe, expect, it } from 'vitest';
import { shrinkCase, candidates } from '../../src/fuzz/shrink.js';
import { generateCase } from '../../src/fuzz/generate.js';
import type { FuzzCase } from '../../src/fuzz/fuzz-case.js';
import { ScenarioError } from '../../src/scenario/index.js';

/** Property P fails while a disk-keeping SP crash and a partition are both present; Q fails whenever P does not. */
function propertiesFailing(c: FuzzCase): string[] {
  const crash = c.faults.some((fault) => fault.kind === 'sp-crash');
  const partition = c.faults.some((fault) => fault.kind === 'partition');
  return crash && partition ? ['P'] : ['Q'];
}

function caseWithManyFaults(): FuzzCase {
  for (let seed = 1; ; seed++) {
    const c = generateCase(seed);
    if (c.faults.length >= 6 && propertiesFailing(c).includes('P')) return c;
  }
}

describe('shrinking', () => {
  it('keeps only steps that still fail the same property', () => {
    const original = caseWithManyFaults();
    const tried: string[][] = [];
    const result = shrinkCase(original, (candidate) => {
      const failing = propertiesFailing(candidate);
      tried.push(failing);
      return failing.includes('P');
    });
    // Candidates failing only Q were offered (dropping every fault is the first step tried) and refused.
    expect(tried.some((failing) => !failing.includes('P'))).toBe(true);
    expect(propertiesFailing(result.smallest)).toEqual(['P']);
    expect(result.smallest.faults.map((fault) => fault.kind).sort()).toEqual(['partition', 'sp-crash']);
    expect(result.smallest.topology.edgeServers).toBeLessThanOrEqual(original.topology.edgeServers);
    expect(result.smallest.workload.submissions).toBe(1);
    expect(result.smallest.acms).toEqual({});
  });

  it('skips candidates that are not valid scenarios without counting them as runs', () => {
    const original = caseWithManyFaults();
    let calls = 0;
    const result = shrinkCase(original, () => {
      calls++;
      throw new ScenarioError({ file: 'x.yaml' }, 'topology', 'x', 'y');
    });
    expect(result.smallest).toBe(original);
    expect(result.runs).toBe(0);
    expect(calls).toBe([...candidates(original)].length);
  });

  it('stops at its run budget', () => {
    const result = shrinkCase(caseWithManyFaults(), () => false, 5);
    expect(result.runs).toBe(5);
    expect(result.budgetExhausted).toBe(true);
  });
});
