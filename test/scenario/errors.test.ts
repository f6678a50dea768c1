import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ScenarioError, loadScenario, scenarioError } from '../../src/scenario/index.js';
import { NETWORK_PARAMETERS } from '../../src/scenario/validate.js';
import { DEFAULT_LATENCY_PARAMS } from '../../src/network/latency.js';
import { DEFAULT_TRANSFER_PARAMS } from '../../src/network/transfer-model.js';
import { scenarioFolder, thrownBy } from './helpers.js';

/** Loads `text` as <folder>/x.yaml (plus any extra files) and returns the ScenarioError it raises. */
function errorOf(text: string, extraFiles: Record<string, string> = {}, fileName = 'x.yaml'): ScenarioError {
  const folder = scenarioFolder({ [fileName]: text, ...extraFiles });
  const error = thrownBy(() => loadScenario(path.join(folder, fileName)));
  expect(error).toBeInstanceOf(ScenarioError);
  return error as ScenarioError;
}

describe('each problem is a ScenarioError naming the file, field, value and expectation', () => {
  it('a renumbering refuses for/mtbf, a short TTL, a share above 1, an unknown node set and a cluster target', () => {
    const renumber = (extra: string): string => errorOf(`faults: [{ kind: renumber, at: 1h, target: { sps: [0] }${extra} }]`).message;
    expect(renumber(', for: 10m')).toMatch(/x\.yaml: faults\[0\]\.for: got "10m", expected no `for`, `mtbf` or `mttr`: a renumbering happens once/);
    expect(renumber(', dnsTtl: 15m')).toMatch(/faults\[0\]\.dnsTtl: got "15m", expected a duration from 16m to 7d/);
    expect(renumber(', bind48Share: 1.5')).toMatch(/faults\[0\]\.bind48Share: got 1\.5, expected a fraction from 0 to 1/);
    expect(renumber(', renumbered: caches')).toMatch(/faults\[0\]\.renumbered: got "caches", expected one of: sps, parents, both/);
    expect(renumber(', oldAddressesAnswerFor: -1m')).toMatch(/faults\[0\]\.oldAddressesAnswerFor: got "-1m"/);
    expect(errorOf('faults: [{ kind: renumber, at: 1h, target: { clusters: [0] } }]').message).toMatch(/faults\[0\]\.target\.clusters: got an unknown key/);
  });

  it('a YAML syntax error names the file and line', () => {
    const error = errorOf('name: ok\nacms:\n  pollInterval: [30s\nseed: 2\n');
    expect(error.message).toMatch(/x\.yaml:\d+:\d+: got a YAML syntax error \(.+\), expected valid YAML/);
    expect(error.location.line).toBeGreaterThanOrEqual(3);
    const tabs = errorOf('acms:\n  pollInterval: 30s\n   mergeInterval: 5s\n');
    expect(tabs.message).toMatch(/^.*x\.yaml:2:17: got a YAML syntax error \(Nested mappings are not allowed in compact mappings\), expected valid YAML$/);
  });

  it('a JSON syntax error names the file and line', () => {
    expect(errorOf('{\n  "seed": 1,\n}\n', {}, 'x.json').message).toMatch(/x\.json:3:1: got a JSON syntax error \(Expected double-quoted property name/);
    expect(errorOf('{\n  "seed": 1,\n  "duration" 5 }\n', {}, 'x.json').message).toMatch(/x\.json:3:\d+: got a JSON syntax error/);
  });

  it('a key written twice is an error', () => {
    expect(errorOf('seed: 1\nseed: 2\n').message).toMatch(/x\.yaml:2:1: .*unique/i);
  });

  it('an unknown key suggests the nearest known key', () => {
    expect(errorOf('acms:\n  pollIntervall: 30s\n').message)
      .toMatch(/x\.yaml: acms\.pollIntervall: got an unknown key, expected a known key \(did you mean `pollInterval`\?\)$/);
    expect(errorOf('topolgy: { isps: 3 }').message).toMatch(/did you mean `topology`\?/);
    expect(errorOf('colour: red').message).toMatch(/colour: got an unknown key, expected one of: name, extends, seed, duration/);
    expect(errorOf('faults: [{ kind: loss, at: 1h, lossRte: 0.1, target: { fraction: 1 } }]').message)
      .toMatch(/faults\[0\]\.lossRte: .*did you mean `lossRate`/);
  });

  it('a negative duration', () => {
    expect(errorOf('acms: { pollInterval: -5s }').message)
      .toMatch(/x\.yaml: acms\.pollInterval: got "-5s", expected a positive duration like "30s"/);
    expect(errorOf('faults: [{ kind: partition, at: -1h, target: { sps: [0] } }]').message)
      .toMatch(/faults\[0\]\.at: got "-1h", expected a duration of zero or more/);
    expect(errorOf('duration: 0').message).toMatch(/duration: got 0, expected a positive duration/);
    expect(errorOf('duration: 2 weeks').message).toMatch(/duration: got "2 weeks"/);
  });

  it('a quorum larger than the SP count, or below 1', () => {
    expect(errorOf('topology: { storagePoints: 3 }\nacms: { quorum: 4 }').message)
      .toMatch(/acms\.quorum: got 4, expected an integer from 1 to the number of storage points \(topology\.storagePoints: 3\)/);
    expect(errorOf('acms: { quorum: 0 }').message).toMatch(/acms\.quorum: got 0/);
    expect(errorOf('acms: { quorum: 2.5 }').message).toMatch(/acms\.quorum: got 2\.5/);
  });

  it('a bad fault kind, with a suggestion', () => {
    expect(errorOf('faults:\n  - { kind: partiton, at: 1h, target: { sps: [0] } }').message)
      .toMatch(/faults\[0\]\.kind: got "partiton", expected one of: sp-crash, partition, .* \(did you mean `partition`\?\)/);
    expect(errorOf('faults:\n  - { at: 1h, target: { sps: [0] } }').message).toMatch(/faults\[0\]\.kind: got nothing/);
  });

  it('a malformed country code names its list position', () => {
    const text = 'faults:\n' + '  - { kind: loss, at: 1h, lossRate: 0.5, target: { fraction: 0.1 } }\n'.repeat(2)
      + '  - { kind: partition, at: 6h, for: 30m, target: { countries: [MY, my] } }\n';
    expect(errorOf(text).message)
      .toMatch(/x\.yaml: faults\[2\]\.target\.countries\[1\]: got "my", expected a two-letter country code in capitals, like "MY"/);
  });

  it('a missing trace file names the path it looked for', () => {
    const error = errorOf('workload: { kind: trace, file: traces/nope.csv }');
    expect(error.message).toMatch(/x\.yaml: workload\.file: got "traces\/nope\.csv", expected an existing CSV file \(looked for .*traces\/nope\.csv\)/);
  });

  it('a bad row in the trace names the CSV, line and column', () => {
    const error = errorOf('workload: { kind: trace, file: t.csv }', { 't.csv': 'timeS,file,sizeBytes,publisher\n1,a,10,0\n2,b,ten,0\n' });
    expect(error.message).toMatch(/t\.csv:3:5: sizeBytes: got "ten", expected a whole number of bytes/);
  });

  it('a cycle in extends', () => {
    const error = errorOf('extends: b.yaml', { 'b.yaml': 'extends: c.yaml', 'c.yaml': 'extends: x.yaml' });
    expect(error.message).toMatch(/c\.yaml: extends: got "x\.yaml", expected a file that does not extend this one in turn \(cycle: x\.yaml -> b\.yaml -> c\.yaml -> x\.yaml\)/);
    expect(errorOf('extends: x.yaml').message).toMatch(/cycle: x\.yaml -> x\.yaml/);
  });

  it('a missing scenario or extended file names the path', () => {
    const missing = thrownBy(() => loadScenario('/nonexistent/where.yaml'));
    expect(missing).toBeInstanceOf(ScenarioError);
    expect(missing.message).toMatch(/\/nonexistent\/where\.yaml: expected an existing, readable file .*ENOENT/);
    expect(errorOf('extends: ../gone/base.yaml').message).toMatch(/x\.yaml: extends: got "\.\.\/gone\/base\.yaml", expected an existing, readable file/);
  });

  it('wrong types, out-of-range values and malformed targets', () => {
    const cases: [string, RegExp][] = [
      ['topology: { edgeServers: many }', /topology\.edgeServers: got "many", expected an integer >= 1/],
      ['topology: { countries: 60, isps: 10 }', /topology\.isps: got 10, expected at least one ISP per country/],
      ['acms: { pollJitter: 1.5 }', /acms\.pollJitter: got 1\.5, expected a fraction/],
      ['acms: { indexTtl: { edge: 30s, child: 5s } }', /acms\.indexTtl\.child: got an unknown key, expected one of: edge, parent/],
      ['acms: [1, 2]', /acms: got a list of 2, expected a map/],
      ['metrics: { fingerprint: "yes" }', /metrics\.fingerprint: got "yes", expected true or false/],
      ['network: { routeInflation: "2x" }', /network\.routeInflation: got "2x", expected a finite number/],
      ['network: { routeInflation: .inf }', /network\.routeInflation: got Infinity, expected a finite number/],
      ['network: { cacheForwarding: cut-thru }', /network\.cacheForwarding: got "cut-thru", expected one of: store-and-forward, cut-through \(did you mean `cut-through`\?\)/],
      ['network: { cacheForwarding: 3 }', /network\.cacheForwarding: got 3, expected one of: store-and-forward, cut-through/],
      ['design: { delivery: direct }\nnetwork: { cacheForwarding: cut-through }', /x\.yaml: network\.cacheForwarding: got "cut-through", expected no network\.cacheForwarding with design\.delivery: direct/],
      ['name: "my scenario"', /name: got "my scenario", expected a name of letters/],
      ['seed: -1', /seed: got -1, expected an integer >= 0/],
      ['duration: 200d', /duration: got "200d", expected a duration of at most 60 days/],
      ['seed: 99999999999999999999', /seed: got 100000000000000000000, expected an integer >= 0 and at most 9007199254740991/],
      ['workload: { kind: paper48h }', /workload\.kind: got "paper48h", .*did you mean `paper-48h`/],
      ['workload: { kind: trace }', /workload\.file: got nothing, expected the path of a CSV trace/],
      ['workload: { kind: paper-48h, file: a.csv }', /workload\.file: got an unknown key/],
      ['faults: { kind: loss }', /faults: got a map, expected a list/],
      ['faults: [{ kind: loss, at: 1h, lossRate: 1.2, target: { fraction: 0.5 } }]', /faults\[0\]\.lossRate: got 1\.2, expected a fraction from 0 to 1/],
      ['faults: [{ kind: loss, at: 1h, target: { fraction: 0.5 } }]', /faults\[0\]\.lossRate: got nothing, expected a loss rate/],
      ['faults: [{ kind: loss, at: 1h, lossRate: 0.1, target: { fraction: -0.1 } }]', /faults\[0\]\.target\.fraction: got -0\.1, expected a fraction from 0 to 1/],
      ['faults: [{ kind: edge-outage, at: 1h, target: { continents: [EU, XX] } }]', /faults\[0\]\.target\.continents\[1\]: got "XX", expected one of: AF, AS, EU, NA, SA, OC/],
      ['faults: [{ kind: sp-crash, at: 1h, target: { sps: [0, 5] } }]', /faults\[0\]\.target\.sps\[1\]: got 5, expected an integer from 0 to 4/],
      ['faults: [{ kind: sp-crash, at: 1h, target: { fraction: 0.5 } }]', /faults\[0\]\.target\.fraction: got an unknown key, expected one of: sps/],
      ['faults: [{ kind: edge-outage, at: 1h, target: { sps: [0] } }]', /faults\[0\]\.target\.sps: got an unknown key/],
      ['faults: [{ kind: dns-failure, at: 1h, target: { isps: [1], fraction: 0.5 } }]', /faults\[0\]\.target: got a map, expected exactly one selector/],
      ['faults: [{ kind: dns-failure, at: 1h, target: { isps: [] } }]', /faults\[0\]\.target\.isps: got an empty list, expected a non-empty list/],
      ['faults: [{ kind: dns-failure, at: 1h, target: { isps: [1, 1] } }]', /faults\[0\]\.target\.isps\[1\]: got 1, expected no repeated entries/],
      ['faults: [{ kind: dns-failure, at: 1h }]', /faults\[0\]\.target: got nothing, expected a target map/],
      ['faults: [{ kind: edge-outage, at: 1h, mtbf: 2h, mttr: 1m, target: { fraction: 0.1 } }]', /faults\[0\]: .*not both/],
      ['faults: [{ kind: edge-outage, mtbf: 2h, target: { fraction: 0.1 } }]', /faults\[0\]\.mttr: got nothing/],
      ['faults: [{ kind: edge-outage, for: 2h, target: { fraction: 0.1 } }]', /faults\[0\]\.at: got nothing, expected a start time/],
      ['faults: [{ kind: partition, at: 1h, direction: sideways, target: { isps: [0] } }]', /faults\[0\]\.direction: got "sideways", expected one of: both, inbound, outbound/],
      ['faults: [{ kind: clock-skew, at: 1h, target: { sps: [0] } }]', /faults\[0\]: got a map, expected a clock-skew fault with `offset`/],
      ['faults: [{ kind: mtu-blackhole, at: 1h, mtuBytes: 20, target: { isps: [0] } }]', /faults\[0\]\.mtuBytes: got 20, expected an integer from 68 to 9000/],
      ['faults: [{ kind: sp-crash, at: 1h, diskLost: 1, target: { sps: [0] } }]', /faults\[0\]\.diskLost: got 1, expected true or false/],
      ['expect: [{ metric: "propagation p99", max: 1 }]', /expect\[0\]\.metric: got "propagation p99", expected a metric path/],
      ['expect: [{ metric: propagation.p99S }]', /expect\[0\]: got a map, expected at least one of min, max or equals/],
      ['expect: [{ metric: propagation.p99S, min: 5, max: 1 }]', /expect\[0\]\.min: got 5, expected a minimum no larger than max/],
      ['expect: [{ metric: propagation.p99S, max: 1, tolerance: -0.1 }]', /expect\[0\]\.tolerance: got -0\.1/],
      ['expect: [{ metric: propagation.p99S, equals: 1, max: 2 }]', /expect\[0\]\.equals: got 1, expected equals alone/],
      ['topology: { countries: 61 }', /topology\.countries: got 61, expected at most 60/],
      ['topology: { countries: 10, isps: 20, edgeServers: 15 }', /topology\.edgeServers: got 15, expected at least one edge server per ISP \(isps: 20\)/],
      ['topology: { countries: 4, storagePoints: 5 }', /topology\.storagePoints: got 5, expected at most one per country \(countries: 4\)/],
      ['reference: { values: [{ metric: propagation.meanS, value: 55 }] }', /reference\.source: got nothing, expected a non-empty string naming where the figures come from/],
      ['reference: { source: paper, values: [] }', /reference\.values: got an empty list, expected a list of \{ metric, value \}/],
      ['reference: { source: paper, values: [{ metric: propagation.meanS, value: fast }] }', /reference\.values\[0\]\.value: got "fast", expected a finite number/],
      ['reference: { source: paper, values: [{ metric: "mean propagation", value: 55 }] }', /reference\.values\[0\]\.metric: got "mean propagation", expected a metric path/],
      ['reference: { source: paper, values: [{ metric: propagation.meanS, value: 55, unit: s }] }', /reference\.values\[0\]\.unit: got an unknown key/],
      ['network: { routeInflaton: 2 }', /network\.routeInflaton: got an unknown key, .*did you mean `routeInflation`/],
      ['network: { pathLossProbability: 2 }', /network\.pathLossProbability: got 2, expected a number at least 0 and at most 1/],
      ['network: { routeInflation: -1 }', /network\.routeInflation: got -1, expected a number at least 1/],
      ['network: { segmentBytes: 1500.5 }', /network\.segmentBytes: got 1500\.5, expected an integer at least 68 and at most 9000/],
      ['faults: [{ kind: clock-skew, at: 1m, offset: 1000d, target: { sps: [0] } }]', /faults\[0\]\.offset: got "1000d", expected an offset within 30 days/],
      ['faults: [{ kind: clock-skew, at: 1m, driftPpm: 1e6, target: { sps: [0] } }]', /faults\[0\]\.driftPpm: got 1000000, expected a drift within 10000 ppm/],
      ['- a\n- b\n', /x\.yaml: got a list, expected a map of scenario keys/],
    ];
    for (const [text, pattern] of cases) {
      expect(errorOf(text).message, text).toMatch(pattern);
    }
  });
});

describe('the network section', () => {
  it('accepts exactly the network model\'s scalar parameters, each at its default', () => {
    const scalars = Object.entries({ ...DEFAULT_LATENCY_PARAMS, ...DEFAULT_TRANSFER_PARAMS }).filter(([, value]) => typeof value === 'number');
    expect(Object.keys(NETWORK_PARAMETERS).sort()).toEqual(scalars.map(([name]) => name).sort());
    const folder = scenarioFolder({ 'n.yaml': `network: { ${scalars.map(([name, value]) => `${name}: ${String(value)}`).join(', ')} }` });
    expect(loadScenario(path.join(folder, 'n.yaml')).network).toEqual(Object.fromEntries(scalars));
  });
});

describe('scenarioError', () => {
  it('builds an error in the same format for checks only the integrator can make', () => {
    const folder = scenarioFolder({ 'p.yaml': 'faults: [{ kind: partition, at: 1h, target: { countries: [ZZ] } }]' });
    const scenario = loadScenario(path.join(folder, 'p.yaml'));
    const error = scenarioError(scenario, 'faults[0].target.countries[0]', 'ZZ', "a country of the topology (one of its 60)");
    expect(error).toBeInstanceOf(ScenarioError);
    expect(error.message).toBe(`${path.join(folder, 'p.yaml')}: faults[0].target.countries[0]: got "ZZ", expected a country of the topology (one of its 60)`);
  });
});
