// The liveness report of a run: checked when every fault heals, against bounds derived from the timers.
import { describe, expect, it } from 'vitest';
import { checkLiveness, livenessBounds } from '../../src/check/liveness.js';
import { scenarioOf, type FuzzCase } from '../../src/fuzz/fuzz-case.js';
import { runScenario } from '../../src/run/run.js';
import type { Scenario } from '../../src/scenario/types.js';

const SMALL: FuzzCase = {
  name: 'liveness-small', seed: 5, durationS: 900,
  topology: { countries: 5, isps: 10, edgeServers: 60, storagePoints: 5, parentSitesPerContinent: 1, publishers: 2 },
  acms: {}, workload: { submissions: 10, files: 5 },
  faults: [{ kind: 'sp-crash', atS: 60, forS: 120, target: { sps: [1] }, params: { diskLost: false } }],
};

describe('liveness', () => {
  it('checks every due version and submission after the heal, and finds none behind in a healthy run', () => {
    const scenario = scenarioOf(SMALL);
    const report = checkLiveness(scenario, runScenario(scenario));
    expect(report.applicable).toBe(true);
    expect(report.healedAtS).toBe(180);
    expect(report.storagePoints.checked).toBeGreaterThan(0);
    expect(report.receivers.checked).toBeGreaterThan(0);
    expect(report.publishers.checked).toBeGreaterThan(0);
    expect(report.violations).toBe(0);
  });

  it('is not applicable when a fault never heals', () => {
    const base = scenarioOf(SMALL);
    const scenario: Scenario = { ...base, faults: base.faults.map((f) => ({ ...f, timing: { mode: 'random' as const, mtbfUs: 600e6, mttrUs: 60e6 } })) };
    const report = checkLiveness(scenario, runScenario(scenario));
    expect(report.applicable).toBe(false);
    expect(report.violations).toBe(0);
  });

  it('derives bounds that grow with the file size and the number of SPs', () => {
    const scenario = scenarioOf(SMALL);
    const bounds = livenessBounds(scenario);
    // 5 SPs, merge 10 s x 1.2: 6 rounds + 60 s fetch time-out + 1 KB at 50 KB/s.
    expect(bounds.storagePointsUs(1000)).toBeCloseTo(6 * 12e6 + 60e6 + 20e3, -3);
    expect(bounds.receiversUs(1e6)).toBeGreaterThan(bounds.receiversUs(1e3));
    const nine = livenessBounds(scenarioOf({ ...SMALL, topology: { ...SMALL.topology, countries: 9, storagePoints: 9 } }));
    expect(nine.storagePointsUs(1000)).toBeGreaterThan(bounds.storagePointsUs(1000));
    // Always: 8 attempts of 100 s + 4 ms, 7 back-offs of at most 72 s. After the heal: two attempts and one back-off.
    expect(bounds.publishersHardUs(1000)).toBeCloseTo(8 * (100e6 + 4e3) + 7 * 72e6, -3);
    expect(bounds.publishersUs(1000)).toBeCloseTo(2 * (100e6 + 4e3) + 72e6, -3);
    // 85 MB cannot be replicated at 50 KB/s within the 300 s replication timeout: only the hard bound holds.
    expect(bounds.publishersUs(85e6)).toBe(Infinity);
  });
});
