// The paper-scale sweeps in scenarios/sweeps/ are valid and expand as intended (they are too slow to run in tests).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planSweep } from '../../src/sweep/plan.js';

const SWEEPS = join(import.meta.dirname, '../../scenarios/sweeps');

describe('scenarios/sweeps', () => {
  it('holds the two paper-scale sweeps, and every file there is valid against its scenario', () => {
    const files = readdirSync(SWEEPS).filter((name) => /\.ya?ml$/.test(name)).sort();
    expect(files).toEqual(expect.arrayContaining(['path-loss.yaml', 'poll-vs-ttl.yaml']));
    for (const file of files) expect(() => planSweep(join(SWEEPS, file))).not.toThrow();
  });

  it('poll-vs-ttl: 3 x 3 points x 2 seeds of the 48-hour replay on 15,000 servers', () => {
    const plan = planSweep(join(SWEEPS, 'poll-vs-ttl.yaml'));
    expect(plan.runs).toHaveLength(18);
    expect(plan.parameters).toEqual(['acms.pollInterval', 'acms.indexTtl']);
    expect(plan.baseScenario.durationUs).toBe(48 * 3_600_000_000);
    expect(plan.baseScenario.topology.edgeServers).toBe(15_000);
    expect(plan.file.metrics).toEqual(expect.arrayContaining(['propagation.meanS', 'propagation.p95S', 'spLoad.requests']));
  });

  it('path-loss: 4 loss rates x 2 seeds against the 3-minute figure', () => {
    const plan = planSweep(join(SWEEPS, 'path-loss.yaml'));
    expect(plan.runs).toHaveLength(8);
    expect(plan.points.map((point) => point.params[0]?.[1])).toEqual([0, 0.001, 0.003, 0.01]);
    expect(plan.file.metrics[0]).toBe('propagation.within180sFraction');
  });
});
