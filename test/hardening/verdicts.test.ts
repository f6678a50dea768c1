// Issue 15, wrong verdicts: an expectation on an absent figure (null: measured over an empty series) never
// holds, whatever its bound; names that become the same baseline file are refused before anything runs.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeAtomically } from '../../src/check/atomic-file.js';
import { loadAll } from '../../src/check/check.js';
import { evaluateOne } from '../../src/check/expectations.js';
import type { Expectation } from '../../src/scenario/types.js';
import { scenarioFolder, thrownBy } from '../scenario/helpers.js';

describe('an expectation on an absent metric fails, saying why', () => {
  const summary = { propagation: { p99S: null, deliveries: 0 }, caches: { edgeHitRatio: null } };
  const bounds: Omit<Expectation, 'metric'>[] = [
    { max: 60 }, { min: 0 }, { min: -1e9, max: 1e9 }, { max: 0 }, { equals: 0 }, { equals: 'null' }, { equals: false }, { max: 60, tolerance: 1 },
  ];
  for (const metric of ['propagation.p99S', 'caches.edgeHitRatio']) {
    for (const bound of bounds) {
      it(`${metric} ${JSON.stringify(bound)}`, () => {
        const row = evaluateOne('s', summary, { metric, ...bound });
        expect(row.pass).toBe(false);
        expect(row.actual).toBe('(absent)');
        expect(row.message).toMatch(new RegExp(`^${metric.replace('.', '\\.')} is absent \\(null: it is measured over an empty series`));
      });
    }
  }

  it('a present 0 still passes (only null is absent)', () => {
    expect(evaluateOne('s', { propagation: { deliveries: 0 } }, { metric: 'propagation.deliveries', equals: 0 }).pass).toBe(true);
  });
});

describe('scenario names are unique as baseline files', () => {
  const cases: [string, string][] = [['a b', 'a_b'], ['x&y', 'x_y'], ['Smoke', 'smoke'], ['dup', 'dup']];
  for (const [first, second] of cases) {
    it(`"${first}" and "${second}"`, () => {
      // Unnamed scenarios take their file's name, which may hold any character.
      const folder = scenarioFolder({ [`${first}.yaml`]: 'seed: 1\n', [`sub/${second}.yaml`]: 'seed: 2\n' });
      const error = thrownBy(() => loadAll([path.join(folder, `${first}.yaml`), path.join(folder, 'sub', `${second}.yaml`)]));
      expect(error.message).toMatch(/scenario names must be unique/);
    });
  }
});

describe('check writes its files whole or not at all', () => {
  it('a failed write (a full disk: /dev/full) leaves no temporary file and says ENOSPC', () => {
    const folder = scenarioFolder({});
    const target = path.join(folder, 'j.xml');
    fs.symlinkSync('/dev/full', `${target}.tmp-${process.pid}`);
    expect(() => writeAtomically(target, '<x/>')).toThrow(/ENOSPC/);
    expect(fs.readdirSync(folder)).toEqual([]);
  });
});
