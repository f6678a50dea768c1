// The scenario format's single declaration (src/scenario/schema.ts): the shipped scenario.schema.json is
// exactly what it generates, every scenario in the repository satisfies that JSON Schema, and the schema
// and the validator agree on every range of limits.ts.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { scenarioFileSchema, scenarioJsonSchemaText, SCENARIO_KEYS } from '../../src/scenario/schema.js';
import { allLimits } from '../../src/scenario/limits.js';
import { REPO_ROOT } from '../cli/cli-helpers.js';

const shipped = fs.readFileSync(path.join(REPO_ROOT, 'scenario.schema.json'), 'utf8');
const validate = new Ajv({ allErrors: true, strict: false }).compile(JSON.parse(shipped) as object);

function scenarioFiles(folder: string): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) found.push(...scenarioFiles(full));
    else if (/\.(ya?ml|json)$/.test(entry.name)) found.push(full);
  }
  return found;
}

// scenarios/sweeps/ holds sweep files, which name a scenario rather than being one (their own test validates them);
// scenarios/studies/ holds both, and a sweep file is known by its top-level `scenario` key.
function isSweepFile(file: string): boolean {
  const data = parseYaml(fs.readFileSync(file, 'utf8')) as unknown;
  return typeof data === 'object' && data !== null && 'scenario' in data;
}

const REPOSITORY_SCENARIOS = [
  ...scenarioFiles(path.join(REPO_ROOT, 'scenarios')).filter((file) => !file.includes(`${path.sep}sweeps${path.sep}`) && !isSweepFile(file)),
  ...scenarioFiles(path.join(REPO_ROOT, 'test', 'cli', 'fixtures')).filter((file) => !file.includes(`${path.sep}bad${path.sep}`)),
];

describe('scenario.schema.json', () => {
  it('is exactly what `npm run schema` generates from src/scenario/schema.ts', () => {
    expect(shipped).toBe(scenarioJsonSchemaText());
  });

  it(`accepts every scenario in the repository (${REPOSITORY_SCENARIOS.length} files)`, () => {
    expect(REPOSITORY_SCENARIOS.length).toBeGreaterThanOrEqual(18);
    for (const file of REPOSITORY_SCENARIOS) {
      const data = parseYaml(fs.readFileSync(file, 'utf8')) as unknown;
      const ok = validate(data);
      expect(ok, `${path.relative(REPO_ROOT, file)}: ${JSON.stringify(validate.errors)}`).toBe(true);
      expect(scenarioFileSchema.safeParse(data).success, file).toBe(true);
    }
  });

  it('refuses unknown keys, prototype keys, bad enumerations and malformed targets', () => {
    const refused: unknown[] = [
      { acms: { pollIntervall: '30s' } },
      JSON.parse('{"__proto__": {"quorum": 1}}'),
      JSON.parse('{"acms": {"constructor": 1}}'),
      { faults: [{ kind: 'partiton', at: '1h', target: { sps: [0] } }] },
      { faults: [{ kind: 'loss', at: '1h', target: { fraction: 0.1 } }] },
      { faults: [{ kind: 'dns-failure', at: '1h', target: { isps: [1], fraction: 0.5 } }] },
      { faults: [{ kind: 'partition', at: '1h', target: { countries: ['my'] } }] },
      { duration: '5 minutes' },
      { name: 'my scenario' },
      { expect: [{ metric: 'propagation p99', max: 1 }] },
    ];
    for (const data of refused) expect(validate(data), JSON.stringify(data)).toBe(false);
  });

  it('agrees with the validator on every range of limits.ts: inside at both ends, outside beyond', () => {
    for (const [fieldPath, range] of Object.entries(allLimits())) {
      if (fieldPath.startsWith('acms.') && fieldPath !== 'acms.subIndexCount') continue; // durations: ranges in units
      const [section, key] = fieldPath.split('.') as [string, string];
      const at = (value: number): unknown => ({ [section]: { [key]: value } });
      if (range.minExcluded !== true) expect(validate(at(range.min)), `${fieldPath} = ${range.min}`).toBe(true);
      expect(validate(at(range.max)), `${fieldPath} = ${range.max}`).toBe(true);
      expect(validate(at(range.max + (range.integer === true ? 1 : range.max * 1e-6))), `${fieldPath} above`).toBe(false);
      expect(validate(at(range.minExcluded === true ? range.min : range.min - 1)), `${fieldPath} below`).toBe(false);
      if (range.integer === true) expect(validate(at(range.min + 0.5)), `${fieldPath} fractional`).toBe(false);
    }
  });

  it('gives the validator its key lists', () => {
    expect(SCENARIO_KEYS.topLevel).toEqual(['name', 'extends', 'seed', 'duration', 'topology', 'acms', 'design', 'network', 'workload', 'faults', 'metrics', 'expect', 'reference']);
    expect(SCENARIO_KEYS.faultKind['clock-skew']).toEqual(['offset', 'driftPpm']);
  });
});
