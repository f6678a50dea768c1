// The resolver rule of a renumbering (src/network/renumbering.ts) and its place in the fault schedule:
// correct resolvers switch at their TTL, BIND 4.8 resolvers refuse for 15 minutes on a non-overlapping list.
import { describe, expect, it } from 'vitest';
import { Simulator } from '../../src/kernel/simulator.js';
import { RandomStreams } from '../../src/kernel/random.js';
import { buildTopology } from '../../src/network/topology-builder.js';
import { FaultSchedule, FaultSpecError, type FaultSpec } from '../../src/network/faults.js';
import { BIND48_REFUSAL_US, failureWindow, type Renumbering } from '../../src/network/renumbering.js';

const M = 60_000_000;
const hardCutOver: Renumbering = { atUs: 10 * M, dnsTtlUs: 60 * M, addressesOverlap: false, oldAddressesAnswerForUs: 0 };
const makeBeforeBreak: Renumbering = { ...hardCutOver, oldAddressesAnswerForUs: 60 * M };

describe('the resolver rule', () => {
  it('a correct resolver uses the dead old address until its record expires, then switches', () => {
    expect(failureWindow(hardCutOver, { bind48: false, phase: 0.5 })).toEqual({ startUs: 10 * M, endUs: 40 * M, cause: 'stale' });
    // Its refetch falls at the change itself: it never uses a dead address.
    expect(failureWindow(hardCutOver, { bind48: false, phase: 0 })).toBeNull();
  });

  it('a correct resolver loses nothing when the old addresses answer for a TTL (make-before-break)', () => {
    for (const phase of [0, 0.3, 0.999]) {
      expect(failureWindow(makeBeforeBreak, { bind48: false, phase })).toBeNull();
      expect(failureWindow({ ...makeBeforeBreak, addressesOverlap: true }, { bind48: true, phase })).toBeNull();
    }
  });

  it('BIND 4.8 refreshes when 15 minutes remain and refuses 15 minutes on a non-overlapping list, old addresses or not', () => {
    // Refresh cycle 60 - 15 = 45 min; at phase 0.5 the refresh comes 22.5 min after the change.
    const refreshUs = 10 * M + 22.5 * M;
    expect(failureWindow(makeBeforeBreak, { bind48: true, phase: 0.5 })).toEqual({ startUs: refreshUs, endUs: refreshUs + BIND48_REFUSAL_US, cause: 'refused' });
    // With a hard cut-over it is stale from the change, then refuses: 15 minutes longer than being stale alone.
    expect(failureWindow(hardCutOver, { bind48: true, phase: 0.5 })).toEqual({ startUs: 10 * M, endUs: refreshUs + BIND48_REFUSAL_US, cause: 'refused' });
    expect(failureWindow(hardCutOver, { bind48: true, phase: 0 })).toEqual({ startUs: 10 * M, endUs: 25 * M, cause: 'refused' });
  });

  it('BIND 4.8 switches at its refresh when the lists overlap', () => {
    const overlapping = { ...hardCutOver, addressesOverlap: true };
    expect(failureWindow(overlapping, { bind48: true, phase: 0.5 })).toEqual({ startUs: 10 * M, endUs: 10 * M + 22.5 * M, cause: 'stale' });
  });

  it('costs BIND 4.8 at least 15 minutes per resolver on a non-overlapping list, and a correct one at most a TTL', () => {
    for (let i = 0; i < 100; i++) {
      const phase = i / 100;
      const bind = failureWindow(hardCutOver, { bind48: true, phase });
      const correct = failureWindow(hardCutOver, { bind48: false, phase });
      expect(bind !== null && bind.endUs - bind.startUs >= BIND48_REFUSAL_US).toBe(true);
      expect(correct === null || correct.endUs - correct.startUs < hardCutOver.dnsTtlUs).toBe(true);
    }
  });

  it('refuses a TTL of 15 minutes or less, and a phase outside [0, 1)', () => {
    expect(() => failureWindow({ ...hardCutOver, dnsTtlUs: 15 * M }, { bind48: false, phase: 0 })).toThrow(RangeError);
    expect(() => failureWindow(hardCutOver, { bind48: false, phase: 1 })).toThrow(RangeError);
  });
});

describe('a renumber fault in the schedule', () => {
  const topology = buildTopology(new RandomStreams(7));
  const allSps = { sps: Array.from({ length: topology.storagePointCount }, (_, i) => i) };
  function setup(spec: Partial<Extract<FaultSpec, { kind: 'renumber' }>>) {
    const sim = new Simulator();
    const full: FaultSpec = { kind: 'renumber', target: allSps, atUs: 10 * M, dnsTtlUs: 60 * M, ...spec };
    return { sim, faults: new FaultSchedule(sim, topology, new RandomStreams(7), [full], { targetId: 1 }) };
  }
  const sp = topology.spAddress(0);
  const parent = topology.parentSiteAddress(0);
  const caches = Array.from({ length: topology.clusterCount }, (_, c) => topology.clusterCacheAddress(c));

  it('fails a cache\'s requests to a renumbered SP inside its window only, and to nothing else', () => {
    const { sim, faults } = setup({ bind48Share: 1, oldAddressesAnswerForUs: 60 * M });
    const blockedAt = (atUs: number): number => {
      sim.run({ untilUs: atUs });
      return caches.filter((cache) => !faults.canResolveName(cache, sp, atUs)).length;
    };
    expect(blockedAt(10 * M - 1)).toBe(0);
    // Every BIND 4.8 window opens within one refresh cycle (45 min) and lasts 15 minutes.
    const during = blockedAt(40 * M);
    expect(during).toBeGreaterThan(0);
    expect(caches.every((cache) => faults.canResolveName(cache, parent, sim.nowUs))).toBe(true);
    expect(blockedAt(10 * M + 45 * M + 15 * M)).toBe(0);
    // One start and one end per resolver (caches and parents), plus the change itself.
    expect(faults.timeline.length).toBe(1 + 2 * (caches.length + topology.parentSiteCount));
  });

  it('reports every window start and end as a transition, cluster caches\' in their own cluster only', () => {
    // Parents alone move: the caches are the only resolvers, so the global schedule holds only the change.
    const { sim, faults } = setup({
      target: { continents: ['AF', 'AS', 'EU', 'NA', 'SA', 'OC'] }, renumbered: 'parents', bind48Share: 1, oldAddressesAnswerForUs: 60 * M,
    });
    expect(faults.nextTransitionUs(0)).toBe(10 * M);
    expect(faults.nextTransitionUs(10 * M + 1)).toBe(Infinity);
    const reportedUs = new Map<string, number>();
    for (const cache of caches) reportedUs.set(topology.describe(cache), faults.nextTransitionInClusterUs(10 * M + 1, topology.nodeCluster[cache] as number));
    sim.run({ untilUs: 200 * M });
    const starts = faults.timeline.filter((row) => row.target.startsWith('cluster-cache/') && row.action === 'start');
    expect(starts.length).toBe(topology.clusterCount);
    for (const row of starts) expect(reportedUs.get(row.target)).toBe(Math.round(row.timeS * 1e6));
  });

  it('with correct resolvers and make-before-break, nothing fails and no window is scheduled', () => {
    const { sim, faults } = setup({ bind48Share: 0, oldAddressesAnswerForUs: 60 * M });
    sim.run({ untilUs: 200 * M });
    expect(faults.timeline.length).toBe(1);
  });

  it('draws the same phases whatever the share: raising it only marks more resolvers BIND 4.8', () => {
    const windows = (share: number): string[] => {
      const { sim, faults } = setup({ bind48Share: share });
      sim.run({ untilUs: 200 * M });
      return faults.timeline.slice(1).filter((row) => row.action === 'start' && row.detail.startsWith('stale')).map((row) => `${row.target} ${row.detail}`);
    };
    const few = windows(0.3);
    const none = windows(0);
    expect(few.length).toBeLessThan(none.length);
    for (const row of few) expect(none).toContain(row);
  });

  it('refuses for, a short TTL and a target with no SP or parent site', () => {
    expect(() => setup({ forUs: M })).toThrow(FaultSpecError);
    expect(() => setup({ dnsTtlUs: 10 * M })).toThrow(FaultSpecError);
    expect(() => setup({ bind48Share: 2 })).toThrow(FaultSpecError);
    expect(() => setup({ target: { clusters: [0] } })).toThrow(FaultSpecError);
  });
});
