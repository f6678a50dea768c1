// The determinism self-check: a share of runs is run twice and must give the same event-trajectory
// fingerprint. A world that differs between the two runs (a test-only hook with memory) is reported.
import { describe, expect, it } from 'vitest';
import { fuzz } from '../../src/fuzz/fuzz.js';
import type { World } from '../../src/world/world.js';
import type { StoragePointParams } from '../../src/acms/frontend-params.js';

describe('determinism self-check', () => {
  it('runs about the stated share twice and passes when runs repeat exactly', async () => {
    const report = await fuzz({ seed: 3, runs: 12, jobs: 1, determinismShare: 0.5, shrinkPerProperty: 0, withoutKinds: ['cache-outage'] });
    expect(report.determinismChecks).toBeGreaterThan(2);
    expect(report.determinismChecks).toBeLessThan(12);
    expect(report.byProperty['determinism']).toBeUndefined();
  }, 120_000);

  it('reports a run whose second run differs as a determinism failure', async () => {
    let worlds = 0;
    // Every other world gets a slower merge and larger control messages on SP 0 (every front-end design sends
    // control messages; only quorum merges): the same case, run twice, takes two trajectories.
    const hook = (world: World): void => {
      if (worlds++ % 2 === 1) {
        const sp = world.storagePoints[0] as unknown as { params: StoragePointParams };
        sp.params = { ...sp.params, mergeIntervalUs: sp.params.mergeIntervalUs * 3, controlMessageBytes: sp.params.controlMessageBytes * 100 };
      }
    };
    const report = await fuzz({ seed: 3, runs: 3, jobs: 1, determinismShare: 1, shrinkPerProperty: 0, hook });
    expect(report.byProperty['determinism']).toBe(3);
    expect(report.failures.filter((failure) => failure.property === 'determinism')[0]?.detail).toMatch(/gave fingerprints [0-9a-f]{8} and [0-9a-f]{8}/);
  }, 120_000);
});
