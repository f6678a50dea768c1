// Issue 15, generated over every key position of a full scenario: `__proto__`, `constructor` and
// `prototype` are refused wherever they appear, in YAML, in JSON and in --set (path or value), with a
// message naming the field, and Object.prototype is never touched. Also: duplicate JSON keys, empty
// files, deep nesting, alias bombs, garbage, late faults and `--set extends=`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { stringify as yamlStringify } from 'yaml';
import { ScenarioError, loadScenario } from '../../src/scenario/index.js';
import { scenarioFolder, thrownBy } from '../scenario/helpers.js';

const FORBIDDEN = ['__proto__', 'constructor', 'prototype'];

/** A scenario that uses every section, so every map in the format is a key position to poison. */
const FULL = {
  name: 'full',
  seed: 3,
  duration: '1h',
  topology: { countries: 10, isps: 30, edgeServers: 300 },
  acms: { pollInterval: '30s', indexTtl: { edge: '30s', parent: '30s' } },
  network: { routeInflation: 2 },
  workload: { kind: 'paper-48h', submissions: 10, files: 5 },
  faults: [{ kind: 'partition', at: '10m', for: '5m', target: { countries: ['US'] } }],
  metrics: { sampleReceivers: 10 },
  expect: [{ metric: 'invariants.violations', equals: 0 }],
  reference: { source: 'paper', values: [{ metric: 'propagation.meanS', value: 55 }] },
};

/** Every map's field path in FULL ('' is the top level). */
function mapPaths(value: unknown, prefix: string, out: string[]): string[] {
  if (Array.isArray(value)) value.forEach((item, i) => mapPaths(item, `${prefix}[${i}]`, out));
  else if (typeof value === 'object' && value !== null) {
    out.push(prefix);
    for (const [key, child] of Object.entries(value)) mapPaths(child, prefix === '' ? key : `${prefix}.${key}`, out);
  }
  return out;
}

/** A copy of FULL with `key: { quorum: 1 }` added as an own key of the map at `at`. */
function poisoned(at: string, key: string): unknown {
  const copy = JSON.parse(JSON.stringify(FULL)) as Record<string, unknown>;
  let target: Record<string, unknown> = copy;
  for (const step of at.match(/[^.[\]]+/g) ?? []) target = target[step] as Record<string, unknown>;
  Object.defineProperty(target, key, { value: { quorum: 1, acms: { quorum: 1 } }, enumerable: true, configurable: true, writable: true });
  return copy;
}

function expectUnpolluted(): void {
  const probe: Record<string, unknown> = {};
  expect(probe['quorum']).toBeUndefined();
  expect(probe['acms']).toBeUndefined();
  expect(Object.getPrototypeOf(probe)).toBe(Object.prototype);
}

afterEach(expectUnpolluted);

const positions = mapPaths(FULL, '', []);
let tried = 0;

describe('prototype keys are refused at every key position', () => {
  it(`covers ${positions.length} maps`, () => {
    expect(positions.length).toBeGreaterThanOrEqual(12);
  });

  for (const format of ['yaml', 'json'] as const) {
    it(`in ${format.toUpperCase()}: every map x ${FORBIDDEN.join(', ')}`, () => {
      for (const at of positions) {
        for (const key of FORBIDDEN) {
          tried++;
          const data = poisoned(at, key);
          const text = format === 'json' ? JSON.stringify(data, null, 2) : yamlStringify(data);
          const folder = scenarioFolder({ [`p.${format}`]: text });
          const error = thrownBy(() => loadScenario(path.join(folder, `p.${format}`)));
          const fieldPath = at === '' ? key : `${at}.${key}`;
          expect(error, `${format} ${fieldPath}`).toBeInstanceOf(ScenarioError);
          expect(error.message).toContain(`p.${format}: ${fieldPath}: got the key "${key}", expected a scenario key`);
          expectUnpolluted();
        }
      }
    });
  }

  it('in --set paths and values, and through an extended file', () => {
    const folder = scenarioFolder({ 'base.yaml': 'name: base\n', 'child.yaml': 'extends: base.yaml\nname: child\n' });
    const file = path.join(folder, 'child.yaml');
    for (const at of positions) {
      for (const key of FORBIDDEN) {
        tried += 2;
        const prefix = at === '' ? '' : `${at}.`;
        const asPath = thrownBy(() => loadScenario(file, [`${prefix}${key}.quorum=1`]));
        expect(asPath, `${prefix}${key}`).toBeInstanceOf(ScenarioError);
        expect(asPath.message).toMatch(/^--set: .*expected a field path without/);
        if (at === '') continue;
        const asValue = thrownBy(() => loadScenario(file, [`${at.replace(/\[\d+\]$/, '')}={ ${key}: { quorum: 1 } }`]));
        expect(asValue, `${at} value`).toBeInstanceOf(ScenarioError);
        expect(asValue.message).toMatch(new RegExp(`^--set: .*${key}: got the key "${key}"`));
      }
    }
    const parent = scenarioFolder({ 'base.yaml': 'acms:\n  __proto__: { quorum: 1 }\n', 'child.yaml': 'extends: base.yaml\n' });
    tried++;
    expect(thrownBy(() => loadScenario(path.join(parent, 'child.yaml'))).message).toMatch(/base\.yaml: acms\.__proto__: got the key "__proto__"/);
  });

  it(`tried more than 100 poisoned scenarios`, () => {
    expect(tried).toBeGreaterThan(100);
  });
});

describe('documents that would otherwise slip through or crash', () => {
  const cases: { title: string; file: string; text: string | Buffer; message: RegExp }[] = [
    { title: 'an empty file', file: 'e.yaml', text: '', message: /e\.yaml: got an empty document .*expected a map of scenario keys/ },
    { title: 'a comment-only file', file: 'c.yaml', text: '# nothing here\n\n   # really\n', message: /c\.yaml: got an empty document/ },
    { title: 'an empty JSON file', file: 'e.json', text: '', message: /e\.json: got a JSON syntax error/ },
    { title: 'JSON null', file: 'n.json', text: 'null', message: /n\.json: got an empty document/ },
    { title: 'duplicate JSON keys', file: 'd.json', text: '{\n  "seed": 1,\n  "seed": 2\n}\n', message: /d\.json:3:\d+: got a key written twice in one object, expected each key once/ },
    { title: 'duplicate nested JSON keys', file: 'dn.json', text: '{"acms": {"quorum": 3, "quorum": 1}}', message: /dn\.json:1:\d+: got a key written twice/ },
    { title: 'duplicate YAML keys', file: 'd.yaml', text: 'seed: 1\nseed: 2\n', message: /d\.yaml:2:1: got a YAML syntax error \(Map keys must be unique\)/ },
    { title: 'JSON nested 20,000 deep', file: 'deep.json', text: `{"a":${'['.repeat(20_000)}${']'.repeat(20_000)}}`, message: /deep\.json: a(\[0\])+: got maps or lists nested more than 16 levels deep/ },
    { title: 'YAML nested 20,000 deep', file: 'deep.yaml', text: `a: ${'['.repeat(20_000)}${']'.repeat(20_000)}\n`, message: /deep\.yaml(:1)?: got maps or lists nested too deeply to parse, expected a scenario/ },
    {
      title: 'a YAML alias bomb', file: 'bomb.yaml',
      text: 'a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n',
      message: /bomb\.yaml: got a document that cannot be expanded .*expected YAML with at most 100 alias expansions/,
    },
    { title: 'a garbage file', file: 'g.yaml', text: `${'x'.repeat(50_000)}\n`, message: /g\.yaml: got "x{70,}\.\.\. \(50002 characters\), expected a map/ },
    { title: 'a file over 256 KiB', file: 'big.yaml', text: `# ${'y'.repeat(300_000)}\n`, message: /big\.yaml: got a file of \d+ bytes, expected a scenario file of at most 256 KiB/ },
    { title: 'a late fault', file: 'late.yaml', text: 'duration: 1h\nfaults: [{ kind: dns-failure, at: 2h, target: { fraction: 0.1 } }]\n', message: /late\.yaml: faults\[0\]\.at: got "2h", expected a start time before the end of the run \(duration: 1h, set in .*late\.yaml\)/ },
    { title: 'a fault at the very end', file: 'end.yaml', text: 'duration: 1h\nfaults: [{ kind: dns-failure, at: 1h, target: { fraction: 0.1 } }]\n', message: /faults\[0\]\.at: got "1h", expected a start time before the end of the run/ },
    { title: 'a fault after the default duration', file: 'dl.yaml', text: 'faults: [{ kind: dns-failure, at: 49h, target: { fraction: 0.1 } }]\n', message: /faults\[0\]\.at: got "49h", .*\(duration: 2d, the default\)/ },
  ];
  for (const { title, file, text, message } of cases) {
    it(`refuses ${title}`, () => {
      const folder = scenarioFolder({});
      fs.writeFileSync(path.join(folder, file), text);
      const error = thrownBy(() => loadScenario(path.join(folder, file)));
      expect(error).toBeInstanceOf(ScenarioError);
      expect(error.message).toMatch(message);
      expect(error.message.length).toBeLessThan(400);
    });
  }

  it('refuses --set extends=..., a late fault through --set duration, and a huge --set value', () => {
    const folder = scenarioFolder({ 's.yaml': 'faults: [{ kind: dns-failure, at: 2h, target: { fraction: 0.1 } }]\n', 'other.yaml': 'seed: 9\n' });
    const file = path.join(folder, 's.yaml');
    expect(thrownBy(() => loadScenario(file, ['extends=other.yaml'])).message)
      .toMatch(/^--set: extends: got "extends=other\.yaml", expected a field other than extends/);
    expect(thrownBy(() => loadScenario(file, ['extends='])).message).toMatch(/^--set: extends:/);
    expect(thrownBy(() => loadScenario(file, ['duration=1h'])).message)
      .toMatch(/s\.yaml: faults\[0\]\.at: got "2h", expected a start time before the end of the run \(duration: 1h, set in --set\)/);
    const huge = thrownBy(() => loadScenario(file, [`name=${'z'.repeat(10_000)}`]));
    expect(huge.message.length).toBeLessThan(400);
  });
});
