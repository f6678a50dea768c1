// Issue 15, generated over many inputs: every documented range (src/scenario/limits.ts) is accepted at
// both ends and refused just beyond them, with huge, tiny, fractional and non-numeric values, always as
// a ScenarioError that names the file and the field, never as another kind of error.
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ScenarioError, loadScenario } from '../../src/scenario/index.js';
import { ACMS_LIMITS, METRICS_LIMITS, NETWORK_LIMITS, TOPOLOGY_LIMITS, WORKLOAD_LIMITS, type Range } from '../../src/scenario/limits.js';
import { scenarioFolder, thrownBy } from '../scenario/helpers.js';

/** Topologies that satisfy the cross-field rules (isps >= countries, edgeServers >= isps, SPs <= countries). */
const SMALLEST_TOPOLOGY = { countries: 1, isps: 1, edgeServers: 1, storagePoints: 1, parentSitesPerContinent: 1, publishers: 1 };
const LARGEST_TOPOLOGY = { countries: 60, isps: 100_000, edgeServers: 1_000_000, storagePoints: 32, parentSitesPerContinent: 1_000, publishers: 1_000 };

interface Field {
  readonly path: string;
  readonly range: Range;
  /** Durations are written with a unit; everything else as a plain number. */
  readonly duration: boolean;
  /** Other settings the field needs to be valid at its bounds. */
  readonly companions: (value: number) => string[];
}

const fields: Field[] = [];
for (const [key, range] of Object.entries(TOPOLOGY_LIMITS)) {
  fields.push({
    path: `topology.${key}`, range, duration: false,
    companions: (value) => {
      const base = value <= range.min ? SMALLEST_TOPOLOGY : LARGEST_TOPOLOGY;
      const quorum = key === 'storagePoints' ? Math.floor(value / 2) + 1 : Math.floor(base.storagePoints / 2) + 1;
      return [`topology=${JSON.stringify({ ...base, [key]: undefined })}`, `acms.quorum=${quorum}`];
    },
  });
}
for (const [key, range] of Object.entries(ACMS_LIMITS)) {
  fields.push({ path: `acms.${key}`, range, duration: key !== 'subIndexCount', companions: () => [] });
}
for (const [key, range] of Object.entries(WORKLOAD_LIMITS)) fields.push({ path: `workload.${key}`, range, duration: false, companions: () => [] });
for (const [key, range] of Object.entries(METRICS_LIMITS)) fields.push({ path: `metrics.${key}`, range, duration: false, companions: () => [] });
for (const [key, range] of Object.entries(NETWORK_LIMITS)) fields.push({ path: `network.${key}`, range, duration: false, companions: () => [] });

const folder = scenarioFolder({ 's.yaml': 'name: bounds\n' });
const file = path.join(folder, 's.yaml');

function written(field: Field, value: number): string {
  return field.duration ? `${value}us` : String(value);
}

function load(sets: readonly string[]): unknown {
  return loadScenario(file, sets);
}

function refusal(sets: readonly string[]): ScenarioError {
  const error = thrownBy(() => load(sets));
  expect(error, sets.join(' ')).toBeInstanceOf(ScenarioError);
  return error as ScenarioError;
}

/** Values beyond a range: just outside each end, absurd magnitudes, fractions of integers, wrong types. */
function outside(field: Field): string[] {
  const { min, max, integer } = field.range;
  const step = integer === true ? 1 : Math.max(Math.abs(max) * 1e-6, 1e-9);
  const values = [written(field, max + step), written(field, max * 10 + 1), written(field, 1e300)];
  if (min > 0 || field.range.minExcluded === true) values.push(written(field, field.range.minExcluded === true ? min : min - step));
  if (!field.duration) values.push(String(-1e300), '1e-300'.replace(/^/, min > 0 ? '' : '-'));
  if (integer === true && !field.duration) values.push(String(min + 0.5));
  values.push('"many"', '[1, 2]', '{ a: 1 }', 'true', '.nan', '.inf', '-.inf');
  return values;
}

let cases = 0;

describe('every count and physical parameter has a documented range, checked at validation', () => {
  for (const field of fields) {
    it(`${field.path}: accepted at ${field.range.min}${field.range.minExcluded === true ? ' (excluded)' : ''} and ${field.range.max}, refused beyond`, () => {
      const ends = field.range.minExcluded === true ? [field.range.max] : [field.range.min, field.range.max];
      for (const value of ends) {
        cases++;
        const sets = [...field.companions(value), `${field.path}=${written(field, value)}`];
        expect(() => load(sets), sets.join(' ')).not.toThrow();
      }
      for (const value of outside(field)) {
        cases++;
        const sets = [...field.companions(field.range.max), `${field.path}=${value}`];
        const error = refusal(sets);
        // The message names where the value came from (--set) and the field, and says what was expected.
        expect(error.message, value).toMatch(new RegExp(`^--set: ${field.path.replace('.', '\\.')}(\\.\\w+)?: got .*, expected `));
        expect(error.message.length).toBeLessThan(400);
      }
    });
  }

  it('durations, lists and names have upper bounds too', () => {
    const refused: [string, RegExp][] = [
      ['duration=61d', /duration: got "61d", expected a duration of at most 60 days/],
      ['duration=1e300', /duration: got 1e\+300, expected a positive duration/],
      ['duration=0', /duration: got 0, expected a positive duration/],
      [`name=${'n'.repeat(101)}`, /name: got "n{20,}.*expected a name of at most 100 characters/],
      [`faults=[${Array.from({ length: 1001 }, () => '{kind: dns-failure, at: 1m, target: {fraction: 0.1}}').join(',')}]`, /faults: got a list of 1001, expected a list of at most 1000 entries/],
      [`expect=[${Array.from({ length: 1001 }, () => '{metric: a.b, max: 1}').join(',')}]`, /expect: got a list of 1001, expected a list of at most 1000/],
      ['faults=[{kind: edge-outage, mtbf: 1us, mttr: 1us, target: {fraction: 1}}]', /faults\[0\]\.mtbf: got "1us", expected a duration from 1m to/],
      ['faults=[{kind: edge-outage, mtbf: 1h, mttr: 1us, target: {fraction: 1}}]', /faults\[0\]\.mttr: got "1us", expected a duration from 1s to 60d/],
      ['faults=[{kind: latency, at: 1m, extraLatency: 2h, target: {fraction: 1}}]', /faults\[0\]\.extraLatency: got "2h", expected a duration from 1us to 1m/],
      ['faults=[{kind: dns-failure, at: 1m, for: 100d, target: {fraction: 1}}]', /faults\[0\]\.for: got "100d", expected a duration from 1us to 60d/],
    ];
    for (const [set, pattern] of refused) {
      cases++;
      expect(refusal([set]).message, set.slice(0, 80)).toMatch(pattern);
    }
  });

  it(`tried ${'>'} 300 generated values`, () => {
    expect(cases).toBeGreaterThan(300);
  });
});
