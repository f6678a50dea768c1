// `acmsim validate <scenario...>`: exit 0 when every file is good, 2 when any is bad, one line per file.
import * as fs from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, STACK_FRAME, ensureBuilt, fixture, runCli } from './cli-helpers.js';
import * as path from 'node:path';

beforeAll(() => {
  ensureBuilt();
}, 120_000);

const GOOD = ['small.yaml', 'small.json', 'trace.yaml'].map(fixture);

describe('acmsim validate', () => {
  it('accepts good YAML and JSON scenarios, the shipped ones included, and writes nothing', () => {
    const shipped = ['base.yaml', 'paper-48h.yaml'].map((name) => path.join(REPO_ROOT, 'scenarios', name));
    const before = fs.readdirSync(path.join(REPO_ROOT, 'test', 'cli', 'fixtures')).sort();
    const result = runCli(['validate', ...GOOD, ...shipped]);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toBe('');
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(GOOD.length + shipped.length);
    expect(lines.every((line) => line.startsWith('ok'))).toBe(true);
    expect(result.stdout).toContain('cli-small-json'); // the JSON file's own name, after extending YAML
    expect(fs.readdirSync(path.join(REPO_ROOT, 'test', 'cli', 'fixtures')).sort()).toEqual(before);
  });

  it('rejects a bad file with exit 2, naming it, while still reporting the good ones', () => {
    const result = runCli(['validate', fixture('small.yaml'), fixture('bad/unknown-key.yaml'), fixture('bad/negative-duration.yaml')]);
    expect(result.status).toBe(2);
    expect(result.stdout).toContain('small.yaml');
    expect(result.stderr).toContain('unknown-key.yaml');
    expect(result.stderr).toContain('acms.pollIntervall');
    expect(result.stderr).toMatch(/did you mean/i);
    expect(result.stderr).toContain('negative-duration.yaml');
    expect(result.stderr).not.toMatch(STACK_FRAME);
  });

  for (const bad of ['yaml-syntax', 'quorum-too-large', 'missing-trace']) {
    it(`rejects bad/${bad}.yaml with exit 2`, () => {
      const result = runCli(['validate', fixture(`bad/${bad}.yaml`)]);
      expect(result.status).toBe(2);
      expect(result.stderr).toContain(`${bad}.yaml`);
      expect(result.stderr).not.toMatch(STACK_FRAME);
    });
  }
});
