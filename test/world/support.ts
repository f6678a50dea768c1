// Small scenarios for world-level tests: the base scenario with a small topology and workload.
import path from 'node:path';
import { loadScenario } from '../../src/scenario/index.js';
import type { Scenario } from '../../src/scenario/types.js';

export const BASE = path.join(import.meta.dirname, '..', '..', 'scenarios', 'base.yaml');

/** 200 edge servers in 40 ISPs, 5 SPs, 60 submissions over 20 minutes, every receiver sampled. */
export function smallScenario(extra: readonly string[] = []): Scenario {
  return loadScenario(BASE, [
    'name=small', 'seed=7', 'duration=20m',
    'topology.countries=10', 'topology.isps=40', 'topology.edgeServers=200', 'topology.parentSitesPerContinent=1', 'topology.publishers=2',
    'workload.submissions=60', 'workload.files=30', 'metrics.sampleReceivers=200',
    ...extra,
  ]);
}
