// Random draws are per component and per network link, so two scenarios that differ in one place share
// their random numbers everywhere else: a fault's effect can be read off the difference between runs.
import { describe, expect, it } from 'vitest';
import { runScenario, type RunResult } from '../../src/run/run.js';
import { smallScenario } from './support.js';

const PARTITIONED_CLUSTER = 3;

function deliveryTimes(result: RunResult): Map<string, number> {
  const metrics = result.world.metrics;
  const times = new Map<string, number>();
  for (let r = 0; r < metrics.sampleRows; r++) {
    const [edge, version, deliverUs] = metrics.sampleRow(r);
    const versionKey = (metrics.versions[version] as { versionKey: number }).versionKey;
    times.set(`${edge}/${versionKey}`, deliverUs);
  }
  return times;
}

describe('common random numbers', () => {
  const quiet = runScenario(smallScenario(), {});
  const faulted = runScenario(smallScenario([
    `faults=[{ kind: partition, at: 5m, for: 5m, target: { clusters: [${PARTITIONED_CLUSTER}] } }]`,
  ]), {});

  it('leaves acceptance alone when a fault touches only the delivery tier', () => {
    const acceptQuiet = quiet.world.metrics.versions.map((v) => `${v.versionKey}@${v.acceptUs}`);
    const acceptFaulted = faulted.world.metrics.versions.map((v) => `${v.versionKey}@${v.acceptUs}`);
    expect(acceptFaulted).toEqual(acceptQuiet);
  });

  it('changes the partitioned cluster and leaves nearly every other delivery to the microsecond', () => {
    const topology = quiet.world.topology;
    const before = deliveryTimes(quiet);
    const after = deliveryTimes(faulted);
    let inside = 0;
    let insideChanged = 0;
    let outside = 0;
    let outsideSame = 0;
    for (const [key, deliverUs] of before) {
      const edge = Number(key.split('/')[0]);
      if (topology.clusterOfEdgeServer(edge) === PARTITIONED_CLUSTER) {
        inside++;
        if (after.get(key) !== deliverUs) insideChanged++;
      } else {
        outside++;
        if (after.get(key) === deliverUs) outsideSame++;
      }
    }
    expect(inside).toBeGreaterThan(0);
    expect(insideChanged).toBeGreaterThan(0);
    // Other clusters share parent sites and SPs with it, so a few of their deliveries may move (a version the
    // partitioned cluster would have fetched first); with one shared network stream nearly all of them did.
    expect(outsideSame / outside).toBeGreaterThan(0.95);
  });
});
