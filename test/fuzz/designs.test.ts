// The fuzzer draws front-end designs and renumberings (issue 17), each from a stream of its own, so a quorum case
// without a renumbering is exactly the case the same seed drew before either was drawn; and it judges each design by what the design
// promises: primary-backup's split brain after a take-over is waived (counted, not a failure), nothing else is.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateCase } from '../../src/fuzz/generate.js';
import { toRawScenario, type FuzzCase } from '../../src/fuzz/fuzz-case.js';
import { runCase } from '../../src/fuzz/run-case.js';
import { WAIVED_AFTER_FAIL_OVER } from '../../src/fuzz/properties.js';

const BEFORE = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', 'cases-before-designs.json'), 'utf8')) as { cases: FuzzCase[] };
const SEEDS = Array.from({ length: 300 }, (_, i) => i * 7919 + 1);
const QUORUM_ONLY = ['quorum', 'agreementTimeout', 'mergeInterval', 'maxClockSkew'];

describe('fuzz cases with front-end designs', () => {
  it('draws every design, quorum most often', () => {
    const counts: Record<string, number> = {};
    for (const seed of SEEDS) {
      const design = generateCase(seed).design?.frontend ?? 'quorum';
      counts[design] = (counts[design] ?? 0) + 1;
    }
    expect(Object.keys(counts).sort()).toEqual(['primary-backup', 'quorum', 'single']);
    expect(counts['quorum']).toBeGreaterThan(SEEDS.length / 2);
    expect(counts['primary-backup']).toBeGreaterThan(counts['single'] as number);
  });

  it('leaves every other draw as it was: a quorum case is the old case, a what-if case is the old world behind another front end', () => {
    const designs = new Set<string>();
    let renumbered = 0;
    for (const before of BEFORE.cases) {
      const drawn = generateCase(before.seed);
      const design = drawn.design?.frontend ?? 'quorum';
      designs.add(design);
      // A renumbering, when drawn, is appended (from its own stream) and lengthens the run: the rest is as before.
      const last = drawn.faults[drawn.faults.length - 1];
      const now = last?.kind === 'renumber' ? { ...drawn, faults: drawn.faults.slice(0, -1), durationS: before.durationS } : drawn;
      if (now !== drawn) renumbered++;
      if (design === 'quorum' && now.delivery !== undefined) {
        // A delivery design (its own stream) keeps the world, workload and faults; it drops the acms key it refuses.
        // Its run may be longer: push's fall-back poll lengthens the liveness bound the duration is made from.
        const { delivery: _delivery, acms, durationS, ...rest } = now;
        const { acms: beforeAcms, durationS: _before, ...beforeRest } = before;
        if (now.delivery === 'push') expect(durationS).toBeGreaterThanOrEqual(before.durationS);
        expect(rest, `seed ${before.seed}`).toEqual(beforeRest);
        for (const [key, value] of Object.entries(acms)) expect(value).toEqual(beforeAcms[key]);
        continue;
      }
      if (design === 'quorum') {
        expect(now, `seed ${before.seed}`).toEqual(before);
        expect(toRawScenario(now)).toEqual(toRawScenario(before));
        if (now !== drawn) expect(drawn.durationS).toBeGreaterThanOrEqual(before.durationS);
        continue;
      }
      expect(now.topology).toEqual(before.topology);
      expect(now.workload).toEqual(before.workload);
      expect(now.faults.map(({ params: { diskLost: _disk, ...params }, ...fault }) => ({ ...fault, params })))
        .toEqual(before.faults.map(({ params: { diskLost: _disk, ...params }, ...fault }) => ({ ...fault, params })));
      expect(now.faults.some((fault) => fault.params['diskLost'] === true), `seed ${before.seed}: serial designs keep their disks`).toBe(false);
      for (const [key, value] of Object.entries(now.acms)) expect(value).toEqual(before.acms[key]);
      for (const key of QUORUM_ONLY) expect(now.acms[key]).toBeUndefined();
    }
    expect(designs.size).toBeGreaterThan(1);
    expect(renumbered).toBeGreaterThan(0);
  });

  it('checks invariant 5 only for the serial designs (a quorum case file is unchanged)', () => {
    const metricsOf = (c: FuzzCase): string[] => (toRawScenario(c)['expect'] as { metric: string }[]).map((e) => e.metric);
    const quorum = BEFORE.cases[0] as FuzzCase;
    expect(metricsOf(quorum)).not.toContain('invariants.byInvariant.5');
    expect(metricsOf({ ...quorum, design: { frontend: 'single' } })).toContain('invariants.byInvariant.5');
  });
});

describe('what each design is held to', () => {
  /** A small world whose SP 0 (the primary) is in the US; the US cut off for 5 minutes in the middle. */
  const world: FuzzCase = {
    name: 'fuzz-design-split', seed: 3, durationS: 1500,
    topology: { countries: 20, isps: 40, edgeServers: 200, storagePoints: 5, parentSitesPerContinent: 1, publishers: 8 },
    acms: {}, workload: { submissions: 80, files: 10 },
    faults: [{ kind: 'partition', atS: 120, forS: 300, target: { countries: ['US'] }, params: { direction: 'both' } }],
  };

  it('waives primary-backup split-brain violations after a take-over, and reports them', () => {
    const outcome = runCase({ ...world, design: { frontend: 'primary-backup' } });
    expect(outcome.failures).toEqual([]);
    expect(outcome.waived.map((failure) => failure.property)).toContain('invariant-5');
    for (const failure of outcome.waived) expect(WAIVED_AFTER_FAIL_OVER).toContain(failure.property);
  });

  it('waives nothing for quorum or single under the same partition, nor for primary-backup without a take-over', () => {
    for (const design of [undefined, { frontend: 'single' } as const]) {
      const outcome = runCase({ ...world, ...(design === undefined ? {} : { design }) });
      expect(outcome.waived, design?.frontend ?? 'quorum').toEqual([]);
      expect(outcome.failures, design?.frontend ?? 'quorum').toEqual([]);
    }
    const calm = runCase({ ...world, faults: [], design: { frontend: 'primary-backup' } });
    expect(calm).toMatchObject({ failures: [], waived: [] });
  });

  it('draws push delivery too (cached mostly; never direct, which swamps the SPs), refusing the acms key it does not take', () => {
    const counts: Record<string, number> = {};
    for (const seed of SEEDS) {
      const drawn = generateCase(seed);
      const delivery = drawn.delivery ?? 'cached';
      counts[delivery] = (counts[delivery] ?? 0) + 1;
      if (delivery === 'direct') expect(drawn.acms['indexTtl']).toBeUndefined();
      if (delivery === 'push') expect(drawn.acms['pollInterval']).toBeUndefined();
      if (drawn.delivery !== undefined) expect((toRawScenario(drawn)['design'] as { delivery: string }).delivery).toBe(drawn.delivery);
    }
    expect(Object.keys(counts).sort()).toEqual(['cached', 'push']);
    expect(counts['cached']).toBeGreaterThan(SEEDS.length / 2);
  });
});
