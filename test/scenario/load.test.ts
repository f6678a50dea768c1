import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario, DEFAULT_TOPOLOGY } from '../../src/scenario/index.js';
import { scenarioFolder } from './helpers.js';

const BASE = path.resolve(import.meta.dirname, '../../scenarios/base.yaml');

describe('loading scenarios/base.yaml', () => {
  const scenario = loadScenario(BASE);

  it('gives the documented defaults, durations in microseconds', () => {
    expect(scenario.name).toBe('base');
    expect(scenario.sourcePath).toBe(BASE);
    expect(scenario.seed).toBe(1);
    expect(scenario.durationUs).toBe(48 * 3600 * 1_000_000);
    expect(scenario.topology).toEqual({ ...DEFAULT_TOPOLOGY });
    expect(scenario.acms).toEqual({
      pollIntervalUs: 30_000_000,
      pollJitterFraction: 0.1,
      indexTtlUs: { edgeUs: 30_000_000, parentUs: 30_000_000 },
      mergeIntervalUs: 10_000_000,
      replicationTimeoutUs: 300_000_000,
      agreementTimeoutUs: 10_000_000,
      requestTimeoutUs: 5_000_000,
      spBackoffUs: 60_000_000,
      quorum: 3,
      maxClockSkewUs: 5_000_000,
      subIndexCount: 64,
    });
    expect(scenario.workload).toEqual({ kind: 'paper-48h', submissions: 14276, files: 2000 });
    expect(scenario.metrics).toEqual({ sampleReceivers: 250, fingerprint: false });
    expect(scenario.network).toEqual({});
    expect(scenario.faults).toEqual([]);
    expect(scenario.expect).toEqual([]);
  });

  it('spells out exactly the built-in defaults (an empty scenario map loads the same)', () => {
    // An empty map, not an empty file: a file with no document at all is refused (test/hardening).
    const folder = scenarioFolder({ 'empty.yaml': '{}\n' });
    const empty = loadScenario(path.join(folder, 'empty.yaml'));
    expect({ ...empty, name: 'base', sourcePath: BASE }).toEqual(scenario);
  });

  it('is frozen all the way down', () => {
    expect(Object.isFrozen(scenario)).toBe(true);
    expect(Object.isFrozen(scenario.acms.indexTtlUs)).toBe(true);
    expect(() => {
      (scenario.topology as { edgeServers: number }).edgeServers = 1;
    }).toThrow(TypeError);
  });
});

describe('extends', () => {
  const folder = scenarioFolder({
    'base.yaml': [
      'name: parent',
      'seed: 7',
      'topology: { edgeServers: 2000, isps: 100, countries: 10 }',
      'acms: { pollInterval: 20s, indexTtl: { edge: 15s } }',
      'network: { routeInflation: 2, lossFloor: 0.001 }',
      'faults:',
      '  - { kind: sp-crash, at: 1h, for: 10m, target: { sps: [0] } }',
      '  - { kind: loss, at: 2h, lossRate: 0.2, target: { fraction: 0.5 } }',
      'expect: [{ metric: propagation.p99S, max: 180 }]',
    ].join('\n'),
    'ci/child.yaml': [
      'extends: ../base.yaml',
      'duration: 2h',
      'topology: { edgeServers: 300 }',
      'acms: { indexTtl: { parent: 45s }, mergeInterval: 5s }',
      'network: { lossFloor: null }',
      'faults:',
      '  - { kind: partition, at: 30m, for: 5m, direction: inbound, target: { continents: [AS] } }',
    ].join('\n'),
    'ci/grandchild.json': JSON.stringify({ extends: 'child.yaml', name: 'gc', seed: 9, acms: { quorum: 5 } }),
  });

  it('inherits, then overrides: maps merge key by key, lists replace, null resets', () => {
    const child = loadScenario(path.join(folder, 'ci/child.yaml'));
    expect(child.name).toBe('child'); // names are not inherited
    expect(child.seed).toBe(7);
    expect(child.durationUs).toBe(2 * 3600 * 1_000_000);
    expect(child.topology.edgeServers).toBe(300);
    expect(child.topology.isps).toBe(100);
    expect(child.acms.pollIntervalUs).toBe(20_000_000);
    expect(child.acms.indexTtlUs).toEqual({ edgeUs: 15_000_000, parentUs: 45_000_000 });
    expect(child.acms.mergeIntervalUs).toBe(5_000_000);
    expect(child.network).toEqual({ routeInflation: 2 });
    expect(child.faults).toEqual([
      { index: 0, kind: 'partition', direction: 'inbound', target: { by: 'continents', codes: ['AS'] }, timing: { mode: 'once', atUs: 1_800_000_000, forUs: 300_000_000 } },
    ]);
    expect(child.expect).toEqual([{ metric: 'propagation.p99S', max: 180 }]);
  });

  it('chains through several files, JSON included', () => {
    const grandchild = loadScenario(path.join(folder, 'ci/grandchild.json'));
    expect(grandchild.name).toBe('gc');
    expect(grandchild.seed).toBe(9);
    expect(grandchild.acms.quorum).toBe(5);
    expect(grandchild.topology.edgeServers).toBe(300);
    expect(grandchild.acms.pollIntervalUs).toBe(20_000_000);
    expect(grandchild.sourcePath).toBe(path.join(folder, 'ci/grandchild.json'));
  });

  it('reports an inherited bad value in the file that wrote it', () => {
    const bad = scenarioFolder({
      'parent.yaml': 'acms: { spBackoff: -1m }',
      'child.yaml': 'extends: parent.yaml\nseed: 3',
    });
    expect(() => loadScenario(path.join(bad, 'child.yaml'))).toThrow(/parent\.yaml: acms\.spBackoff: got "-1m"/);
  });
});

describe('--set overrides', () => {
  const folder = scenarioFolder({
    'x.yaml': [
      'topology: { isps: 100, edgeServers: 500 }',
      'faults:',
      '  - { kind: partition, at: 6h, for: 30m, target: { countries: [MY] } }',
    ].join('\n'),
  });
  const file = path.join(folder, 'x.yaml');

  it('sets scalars, nested keys and list items, parsed as YAML', () => {
    const scenario = loadScenario(file, [
      'acms.pollInterval=20s',
      'topology.edgeServers=2000',
      'faults[0].at=2h',
      'faults[0].target.countries=[SG, TH]',
      'acms.indexTtl.edge=10s',
      'metrics.fingerprint=true',
      'name=renamed',
    ]);
    expect(scenario.acms.pollIntervalUs).toBe(20_000_000);
    expect(scenario.topology.edgeServers).toBe(2000);
    expect(scenario.acms.indexTtlUs).toEqual({ edgeUs: 10_000_000, parentUs: 30_000_000 });
    expect(scenario.metrics.fingerprint).toBe(true);
    expect(scenario.name).toBe('renamed');
    const fault = scenario.faults[0];
    expect(fault?.timing).toEqual({ mode: 'once', atUs: 2 * 3600 * 1_000_000, forUs: 1_800_000_000 });
    expect(fault?.target).toEqual({ by: 'countries', codes: ['SG', 'TH'] });
  });

  it('appends a list item, and an empty value resets to the default', () => {
    const scenario = loadScenario(file, ['faults[1]={ kind: dns-failure, at: 1h, target: { isps: [3] } }', 'topology.edgeServers=']);
    expect(scenario.faults.map((fault) => fault.kind)).toEqual(['partition', 'dns-failure']);
    expect(scenario.topology.edgeServers).toBe(15000);
  });

  it('validates what it sets, and names --set when the path is malformed', () => {
    expect(() => loadScenario(file, ['acms.pollInterval=-5s'])).toThrow(/--set: acms\.pollInterval: got "-5s", expected a positive duration like "30s"/);
    expect(() => loadScenario(file, ['acms.pollIntervl=20s'])).toThrow(/did you mean `pollInterval`\?/);
    expect(() => loadScenario(file, ['nothing'])).toThrow(/--set: got "nothing", expected path=value/);
    expect(() => loadScenario(file, ['faults[5].at=1h'])).toThrow(/faults\[5\]: got "faults\[5\]\.at=1h", expected an index from 0 to 1/);
    expect(() => loadScenario(file, ['topology.edgeServers.count=1'])).toThrow(/a path through maps and lists/);
    expect(() => loadScenario(file, ['seed.value=1'])).toThrow(/^--set: seed: got a map, expected an integer >= 0$/);
    expect(() => loadScenario(file, ['acms..x=1'])).toThrow(/expected a field path/);
  });
});

describe('the typed result', () => {
  it('converts faults of every kind, with kind-specific defaults', () => {
    const folder = scenarioFolder({
      'f.yaml': [
        'faults:',
        '  - { kind: sp-crash, at: 1h, target: { sps: [0, 1] } }',
        '  - { kind: sp-crash, at: 1h, for: 1m, diskLost: true, target: { sps: [2] } }',
        '  - { kind: mtu-blackhole, at: 0, for: 1h, target: { isps: [5] } }',
        '  - { kind: latency, at: 1h, for: 1h, extraLatency: 250ms, target: { clusters: [12] } }',
        '  - { kind: clock-skew, at: 3h, offset: "-3s", target: { sps: [4] } }',
        '  - { kind: edge-outage, mtbf: 12h, mttr: 5m, target: { fraction: 0.01 } }',
        '  - { kind: cache-outage, at: 2h, for: 20m, target: { continents: [EU, NA] } }',
      ].join('\n'),
    });
    const faults = loadScenario(path.join(folder, 'f.yaml')).faults;
    expect(faults[0]).toMatchObject({ kind: 'sp-crash', diskLost: false, timing: { mode: 'once', atUs: 3_600_000_000, forUs: null } });
    expect(faults[1]).toMatchObject({ kind: 'sp-crash', diskLost: true, target: { by: 'sps', ids: [2] } });
    expect(faults[2]).toMatchObject({ kind: 'mtu-blackhole', mtuBytes: 1400, timing: { atUs: 0 } });
    expect(faults[3]).toMatchObject({ kind: 'latency', extraLatencyUs: 250_000, target: { by: 'clusters', ids: [12] } });
    expect(faults[4]).toMatchObject({ kind: 'clock-skew', offsetUs: -3_000_000, driftPpm: 0 });
    expect(faults[5]).toMatchObject({ kind: 'edge-outage', timing: { mode: 'random', mtbfUs: 43_200_000_000, mttrUs: 300_000_000 } });
    expect(faults[6]).toMatchObject({ kind: 'cache-outage', index: 6, target: { by: 'continents', codes: ['EU', 'NA'] } });
  });

  it('keeps expectations, by-size rows included', () => {
    const folder = scenarioFolder({
      'e.yaml': [
        'expect:',
        '  - { metric: propagation.p99S, max: 180, tolerance: 0.05 }',
        '  - { metric: invariants.violations, equals: 0 }',
        '  - { metric: "bySize.10-100 MB.p95S", min: 1, max: 600 }',
        '  - { metric: fingerprint, equals: "9f2c" }',
      ].join('\n'),
    });
    expect(loadScenario(path.join(folder, 'e.yaml')).expect).toEqual([
      { metric: 'propagation.p99S', max: 180, tolerance: 0.05 },
      { metric: 'invariants.violations', equals: 0 },
      { metric: 'bySize.10-100 MB.p95S', min: 1, max: 600 },
      { metric: 'fingerprint', equals: '9f2c' },
    ]);
  });

  it('resolves a trace workload relative to the scenario file', () => {
    const folder = scenarioFolder({
      'traces/t.csv': 'timeS,file,sizeBytes,publisher\n1.5,a.xml,100,0\n',
      'scenarios/t.yaml': 'workload: { kind: trace, file: ../traces/t.csv }',
    });
    const scenario = loadScenario(path.join(folder, 'scenarios/t.yaml'));
    expect(scenario.workload).toEqual({ kind: 'trace', filePath: path.join(folder, 'traces/t.csv') });
  });
});
