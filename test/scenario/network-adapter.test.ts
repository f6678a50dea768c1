import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RandomStreams } from '../../src/kernel/random.js';
import { buildTopology } from '../../src/network/topology-builder.js';
import { ScenarioError, loadScenario } from '../../src/scenario/index.js';
import { checkFaultTargets, toNetworkFault } from '../../src/scenario/network-adapter.js';
import { scenarioFolder, thrownBy } from './helpers.js';

const SMALL = 'topology: { countries: 10, isps: 40, edgeServers: 300, storagePoints: 5, publishers: 2, parentSitesPerContinent: 1 }\n';

function load(faults: string): ReturnType<typeof loadScenario> {
  const folder = scenarioFolder({ 's.yaml': `${SMALL}faults:\n${faults}` });
  return loadScenario(path.join(folder, 's.yaml'));
}

describe('network adapter', () => {
  it('converts faults to the network module\'s shape', () => {
    const scenario = load([
      '  - { kind: loss, at: 1h, for: 5m, lossRate: 0.3, target: { isps: [2] } }',
      '  - { kind: latency, mtbf: 6h, mttr: 10m, extraLatency: 200ms, target: { fraction: 0.1 } }',
      '  - { kind: sp-crash, at: 2h, diskLost: true, target: { sps: [1] } }',
    ].join('\n'));
    expect(scenario.faults.map(toNetworkFault)).toEqual([
      { kind: 'loss', atUs: 3_600_000_000, forUs: 300_000_000, probability: 0.3, target: { isps: [2] } },
      { kind: 'latency', mtbfUs: 21_600_000_000, mttrUs: 600_000_000, extraUs: 200_000, target: { fraction: 0.1 } },
      { kind: 'sp-crash', atUs: 7_200_000_000, diskLost: true, target: { sps: [1] } },
    ]);
  });

  it('turns a country the topology lacks into a ScenarioError at its list position', () => {
    const scenario = load('  - { kind: partition, at: 6h, target: { countries: [US, ZZ] } }');
    const topology = buildTopology(new RandomStreams(scenario.seed), scenario.topology);
    const error = thrownBy(() => checkFaultTargets(scenario, topology));
    expect(error).toBeInstanceOf(ScenarioError);
    expect(error.message).toMatch(/s\.yaml: faults\[0\]\.target\.countries\[1\]: got "ZZ", expected a country of the topology \(10: /);
  });

  it('accepts targets that exist', () => {
    const scenario = load('  - { kind: partition, at: 6h, target: { countries: [US] } }\n  - { kind: cache-outage, at: 1h, target: { clusters: [0] } }');
    const topology = buildTopology(new RandomStreams(scenario.seed), scenario.topology);
    expect(() => checkFaultTargets(scenario, topology)).not.toThrow();
  });
});
