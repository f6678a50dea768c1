// The four safety invariants over many seeded random fault schedules, convergence after the heal
// (liveness), and proof that the checker catches a deliberately broken (quorum 1) Storage Point.
import { describe, expect, it } from 'vitest';
import { RandomStreams } from '../../src/kernel/index.js';
import type { StoragePointParams } from '../../src/acms/frontend-params.js';
import { scheduleRandomRun, type ScheduledFault } from './support/fault-schedule.js';
import { FrontendHarness } from './support/harness.js';

const S = 1_000_000;
const SAFETY_PHASE_US = 60 * S;
const LIVENESS_PHASE_US = 30 * S;
const SEEDS = 200;

function randomRun(seed: number, sp: Partial<StoragePointParams> = {}): { h: FrontendHarness; faults: ScheduledFault[] } {
  const h = new FrontendHarness({ seed, sp });
  const faults = scheduleRandomRun(h, new RandomStreams(seed).stream('faults'), {
    safetyPhaseUs: SAFETY_PHASE_US,
    maxFaultySps: 2,
    recoveryWindowUs: 10 * S,
    submissions: 10,
    fileCount: 4,
  });
  h.runUntil(SAFETY_PHASE_US + LIVENESS_PHASE_US);
  return { h, faults };
}

describe('invariants under random fault schedules', () => {
  it(`hold with zero violations over ${SEEDS} seeds, and every SP converges after the heal`, () => {
    let checks = 0;
    let accepted = 0;
    let faultCount = 0;
    const failures: string[] = [];
    for (let seed = 1; seed <= SEEDS; seed++) {
      const { h, faults } = randomRun(seed);
      checks += h.checker.checks;
      accepted += h.accepts.length;
      faultCount += faults.length;
      const behind = [0, 1, 2, 3, 4].filter((sp) => !h.upToDateSps().includes(sp));
      if (h.checker.violations > 0 || behind.length > 0) {
        failures.push(
          `seed ${seed}: ${h.checker.summary()} behind=[${behind.join(',')}] ${h.checker.reports[0]?.message ?? ''} faults=${JSON.stringify(faults)}`,
        );
      }
    }
    expect(failures).toEqual([]);
    // The runs did real work: many acceptances and checks under many faults.
    expect(accepted).toBeGreaterThan(SEEDS * 5);
    expect(faultCount).toBeGreaterThan(SEEDS * 5);
    expect(checks).toBeGreaterThan(SEEDS * 50);
  });

  it('a broken Storage Point that accepts on its own bit (quorum 1) is caught', () => {
    let caughtRuns = 0;
    const byInvariant = { 1: 0, 2: 0, 3: 0, 4: 0 };
    for (let seed = 1; seed <= 20; seed++) {
      const { h } = randomRun(seed, { quorum: 1 });
      if (h.checker.violations > 0) caughtRuns++;
      for (const n of [1, 2, 3, 4] as const) byInvariant[n] += h.checker.violationsByInvariant[n];
      for (const report of h.checker.reports) {
        expect(report.message).toMatch(/^t=\d+\.\d{6} s: invariant [1-4] /);
        expect(report.sps.length).toBeGreaterThan(0);
      }
    }
    expect(caughtRuns).toBe(20);
    expect(byInvariant[1]).toBeGreaterThan(0);
    expect(byInvariant[3]).toBeGreaterThan(0);
  });

  it('a run is a pure function of its seed', () => {
    const first = randomRun(7);
    const second = randomRun(7);
    expect(second.h.sim.fingerprint).toBe(first.h.sim.fingerprint);
    expect(second.h.sim.eventsProcessed).toBe(first.h.sim.eventsProcessed);
    expect(second.h.accepts).toEqual(first.h.accepts);
    expect(randomRun(8).h.sim.fingerprint).not.toBe(first.h.sim.fingerprint);
  });
});
