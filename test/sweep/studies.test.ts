// The what-if studies in scenarios/studies/ (issue 17) are valid and expand as the README describes them
// (they are too slow to run in tests). delivery.yaml is a draft for a key this branch lacks: not checked here.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/scenario/index.js';
import { planSweep } from '../../src/sweep/plan.js';

const STUDIES = join(import.meta.dirname, '../../scenarios/studies');
const HOUR_US = 3_600_000_000;

describe('scenarios/studies', () => {
  it('fault-processes: the paper set-up for 12 hours at the paper rate of submissions, with SP crash and partition processes', () => {
    const scenario = loadScenario(join(STUDIES, 'fault-processes.yaml'));
    expect(scenario.durationUs).toBe(12 * HOUR_US);
    expect(scenario.topology.edgeServers).toBe(15_000);
    expect(scenario.workload).toMatchObject({ submissions: Math.round((14_276 * 12) / 48) });
    const kinds = scenario.faults.map((fault) => fault.kind);
    expect(kinds.filter((kind) => kind === 'sp-crash')).toHaveLength(5);
    expect(kinds.filter((kind) => kind === 'partition')).toHaveLength(6);
  });

  it('sp-count: 3, 5, 7 and 9 SPs x 3 seeds, each with one crash process per SP after the same partitions', () => {
    const plan = planSweep(join(STUDIES, 'sp-count.yaml'));
    expect(plan.runs).toHaveLength(12);
    expect(plan.file.metrics).toContain('acceptance.within60sFraction');
    const perPoint = plan.points.map((point) => new Map(point.params));
    expect(perPoint.map((params) => params.get('topology.storagePoints'))).toEqual([3, 5, 7, 9]);
    for (const params of perPoint) {
      const faults = params.get('faults') as { kind: string; target: { sps?: number[] } }[];
      const crashed = faults.filter((fault) => fault.kind === 'sp-crash').map((fault) => fault.target.sps);
      const count = params.get('topology.storagePoints') as number;
      expect(crashed).toEqual(Array.from({ length: count }, (_, sp) => [sp]));
      // The shared faults keep their indexes (and so their random streams) at every SP count.
      expect(faults.slice(0, 7)).toEqual((perPoint[0]?.get('faults') as unknown[]).slice(0, 7));
    }
  });

  it('frontends: quorum, primary-backup and single x 3 seeds, invariant violations by invariant', () => {
    const plan = planSweep(join(STUDIES, 'frontends.yaml'));
    expect(plan.runs).toHaveLength(9);
    expect(plan.points.map((point) => point.params[0]?.[1])).toEqual(['quorum', 'primary-backup', 'single']);
    expect(plan.file.metrics).toEqual(expect.arrayContaining(['invariants.byInvariant.2', 'invariants.byInvariant.5']));
  });
});
