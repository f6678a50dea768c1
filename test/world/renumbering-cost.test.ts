// The cost of a renumbering through BIND 4.8 resolvers against correct ones (seed 000's war story), on the CI
// world of scenarios/ci/bind48-renumbering.yaml: every SP and parent site moves to a non-overlapping address list.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/scenario/index.js';
import { runScenario, type RunResult } from '../../src/run/run.js';
import type { FaultTimelineRow } from '../../src/network/faults.js';
import { BIND48_REFUSAL_US } from '../../src/network/renumbering.js';
import { healTimeUs } from '../../src/check/liveness.js';

const FILE = path.join(import.meta.dirname, '..', '..', 'scenarios', 'ci', 'bind48-renumbering.yaml');
const run = (overrides: readonly string[]): RunResult => runScenario(loadScenario(FILE, [...overrides]));

/** Each cluster cache's failure window, [startUs, endUs), from the fault timeline. */
function cacheWindows(timeline: readonly FaultTimelineRow[]): Map<string, [number, number]> {
  const windows = new Map<string, [number, number]>();
  for (const row of timeline) {
    if (!row.target.startsWith('cluster-cache/')) continue;
    const timeUs = Math.round(row.timeS * 1e6);
    const window = windows.get(row.target) ?? [NaN, NaN];
    if (row.action === 'start') window[0] = timeUs;
    else window[1] = timeUs;
    windows.set(row.target, window);
  }
  return windows;
}

describe('a renumbering with make-before-break (old addresses answer for a TTL)', () => {
  const correct = run(['faults[0].bind48Share=0']);
  const bind48 = run(['faults[0].bind48Share=1']);
  const noFault = run(['faults=[]']);

  it('costs correct resolvers nothing: the run is the run without the fault', () => {
    expect(correct.world.unresolvedRequests).toBe(0);
    expect(correct.summary.propagation).toEqual(noFault.summary.propagation);
    expect(correct.summary.acceptance).toEqual(noFault.summary.acceptance);
  });

  it('costs every BIND 4.8 cache a 15-minute refusal, and the versions accepted then wait for its end', () => {
    const windows = cacheWindows(bind48.faultTimeline);
    expect(windows.size).toBe(bind48.world.topology.clusterCount);
    for (const [startUs, endUs] of windows.values()) expect(endUs - startUs).toBe(BIND48_REFUSAL_US);
    expect(bind48.world.unresolvedRequests).toBeGreaterThan(0);
    // A version accepted as a cache's window opens reaches its receivers only when the window closes.
    expect(bind48.summary.propagation.maxS).toBeGreaterThan(14 * 60);
    expect(bind48.summary.propagation.undelivered).toBe(0);
    expect(bind48.summary.invariants.violations).toBe(0);
  });
});

describe('a renumbering with a hard cut-over (old addresses dead at once)', () => {
  const correct = run(['faults[0].bind48Share=0', 'faults[0].oldAddressesAnswerFor=0s']);
  const bind48 = run(['faults[0].bind48Share=1', 'faults[0].oldAddressesAnswerFor=0s']);

  it('costs correct resolvers up to a TTL, and each BIND 4.8 cache no less, ending no earlier at the same phase', () => {
    expect(correct.world.unresolvedRequests).toBeGreaterThan(0);
    const correctWindows = cacheWindows(correct.faultTimeline);
    const bindWindows = cacheWindows(bind48.faultTimeline);
    for (const [cache, [startUs, endUs]] of bindWindows) {
      expect(endUs - startUs).toBeGreaterThanOrEqual(BIND48_REFUSAL_US);
      const same = correctWindows.get(cache);
      if (same !== undefined) expect(endUs).toBeGreaterThanOrEqual(same[1]);
    }
    expect(bind48.world.unresolvedRequests).toBeGreaterThan(correct.world.unresolvedRequests);
  });
});

describe('liveness after a renumbering', () => {
  it('counts the faults healed one TTL after the change, when every window has closed', () => {
    const scenario = loadScenario(FILE, ['faults[0].bind48Share=1']);
    expect(healTimeUs(scenario)).toBe(5 * 60e6 + 20 * 60e6);
    const result = run(['faults[0].bind48Share=1', 'faults[0].oldAddressesAnswerFor=0s']);
    let lastEndUs = 0;
    for (const row of result.faultTimeline) if (row.action === 'end') lastEndUs = Math.max(lastEndUs, row.timeS * 1e6);
    expect(lastEndUs).toBeLessThanOrEqual(healTimeUs(scenario) as number);
  });
});
