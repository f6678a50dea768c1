// The case generator: the same seed gives the same case; every case is a valid scenario within the
// stated ranges, every fault heals, and disk losses stay within what the quorum tolerates.
import { describe, expect, it } from 'vitest';
import { generateCase, GENERATOR_RANGES, NOT_FUZZED } from '../../src/fuzz/generate.js';
import { scenarioOf } from '../../src/fuzz/fuzz-case.js';
import { healTimeUs } from '../../src/check/liveness.js';
import { majorityOf } from '../../src/acms/frontend-params.js';
import { FAULT_KINDS } from '../../src/scenario/types.js';

const SEEDS = Array.from({ length: 300 }, (_, i) => i * 7919 + 1);

describe('generateCase', () => {
  it('is a function of its seed', () => {
    expect(generateCase(42)).toEqual(generateCase(42));
    expect(generateCase(42)).not.toEqual(generateCase(43));
  });

  it('draws valid scenarios within the ranges, with every fault kind, healing faults and bounded disk loss', () => {
    const kinds = new Set<string>();
    for (const seed of SEEDS) {
      const c = generateCase(seed);
      const scenario = scenarioOf(c);
      const t = scenario.topology;
      expect(t.edgeServers).toBeGreaterThanOrEqual(GENERATOR_RANGES.edgeServers[0]);
      expect(t.edgeServers).toBeLessThanOrEqual(GENERATOR_RANGES.edgeServers[1]);
      expect(t.storagePoints).toBeGreaterThanOrEqual(3);
      expect(t.storagePoints).toBeLessThanOrEqual(9);
      expect(scenario.acms.quorum).toBeGreaterThanOrEqual(majorityOf(t.storagePoints));
      const healUs = healTimeUs(scenario);
      expect(healUs).not.toBeNull();
      expect(healUs as number).toBeLessThanOrEqual(scenario.durationUs);
      const diskLost = new Set(c.faults.filter((f) => f.kind === 'sp-crash' && f.params['diskLost'] === true).flatMap((f) => ('sps' in f.target ? f.target.sps : [])));
      expect(diskLost.size).toBeLessThanOrEqual(scenario.acms.quorum - majorityOf(t.storagePoints));
      for (const fault of c.faults) kinds.add(fault.kind);
    }
    expect([...kinds].sort()).toEqual(FAULT_KINDS.filter((kind) => !NOT_FUZZED.includes(kind)).sort());
  });

  it('leaves out the kinds it is told to', () => {
    for (const seed of SEEDS.slice(0, 50)) {
      expect(generateCase(seed, { withoutKinds: ['cache-outage', 'sp-crash'] }).faults.every((f) => f.kind !== 'cache-outage' && f.kind !== 'sp-crash')).toBe(true);
    }
  });
});
