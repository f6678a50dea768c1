// A download its requester gave up on stops: when a cache times out on a file request, the World cancels the answer's
// transfer if it is on its way (the upstream's write fails at the reset), and does not start one that comes later.
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/run/run.js';
import { smallScenario } from './support.js';

describe('abandoned file requests', () => {
  it('stop their answers: saturated SPs under direct delivery see transfers cancelled, and delivery goes on', () => {
    // Every server fetching every file from the SPs over lossy paths: downloads outlast their allowance.
    const result = runScenario(smallScenario(['design.delivery=direct', 'duration=10m', 'faults=[{kind: loss, at: 0s, for: 10m, lossRate: 0.2, target: {sps: [0, 1, 2, 3, 4]}}]']));
    expect(result.world.network.counters.transfersCancelled).toBeGreaterThan(0);
    expect(result.summary.propagation.deliveries).toBeGreaterThan(0);
  });

  it('cancel nothing where nobody gives up (the fault-free cached world)', () => {
    const result = runScenario(smallScenario(['duration=10m']));
    expect(result.world.network.counters.transfersCancelled).toBe(0);
  });
});
