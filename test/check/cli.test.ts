// End-to-end tests of `acmsim check` through the compiled CLI, on a tiny scenario (well under a second a run):
// exit codes, the failure line, the JUnit file, baselines, bad input, and independence from --jobs.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseXml } from './xml.js';

const ROOT = resolve(import.meta.dirname, '../..');
const CLI = join(ROOT, 'dist/src/cli/main.js');
const BASE = join(ROOT, 'scenarios/base.yaml');
let dir = '';

function tiny(name: string, extra = '', expect = ''): string {
  return [
    `name: ${name}`,
    `extends: ${JSON.stringify(BASE)}`,
    'duration: 5m',
    'topology: { countries: 20, isps: 40, edgeServers: 200 }',
    'workload: { kind: paper-48h, submissions: 30, files: 30 }',
    'metrics: { fingerprint: true }',
    extra,
    'expect:',
    '  - { metric: invariants.violations, equals: 0 }',
    '  - { metric: propagation.maxS, max: 3600, tolerance: 0.1 }', // loose: these tests are about check, not the simulator
    '  - { metric: bySize.<1 KB.meanS, max: 600 }',
    expect,
    '',
  ].join('\n');
}

function write(relative: string, text: string): string {
  const path = join(dir, relative);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
  return path;
}

function check(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, 'check', '--quiet', ...args], { encoding: 'utf8', cwd: dir });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist/src/check/check.js'))) {
    spawnSync('npx', ['tsc', '-p', '.'], { cwd: ROOT, stdio: 'inherit' });
  }
  dir = mkdtempSync(join(tmpdir(), 'acmsim-check-'));
}, 120_000);

afterAll(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

// Each test spawns several checks; on a shared, loaded 2-core machine one takes 1-2 s, so 5 s is too tight.
describe('acmsim check', { timeout: 30_000 }, () => {
  it('exits 0 when every expectation holds, and 1 with a readable line when one is changed', () => {
    const good = write('good/tiny.yaml', tiny('tiny'));
    const passed = check(good);
    expect(passed.stderr).toBe('');
    expect(passed.status).toBe(0);
    expect(passed.stdout).toMatch(/^tiny\s+propagation\.maxS\s+<= 3600\s+[\d.]+\s+pass$/m);
    expect(passed.stdout).toMatch(/^check: 3 passed, 0 failed$/m);

    const bad = write('bad/tiny.yaml', tiny('tiny').replace('propagation.maxS, max: 3600', 'propagation.maxS, max: 1'));
    const failed = check(bad);
    expect(failed.status).toBe(1);
    expect(failed.stdout).toMatch(/^tiny\s+propagation\.maxS\s+<= 1\s+[\d.]+\s+FAIL$/m);
    expect(failed.stdout).toMatch(/^FAIL tiny: propagation\.maxS = [\d.]+, expected <= 1 \(above the maximum\)$/m);
    expect(failed.stdout).toMatch(/^check: 2 passed, 1 failed$/m);
  });

  it('names an unknown metric and suggests the right one', () => {
    const typo = write('typo/tiny.yaml', tiny('typo', '', '  - { metric: propagation.p99, max: 180 }'));
    const result = check(typo);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('FAIL typo: no metric "propagation.p99" in the run summary; did you mean "propagation.p99S"?');
  });

  it('writes well-formed JUnit XML with one testcase per expectation, atomically', () => {
    const scenarioDir = join(dir, 'suite');
    write('suite/a.yaml', tiny('suite-a'));
    write('suite/b.yml', tiny('suite-b', '', '  - { metric: submissions.total, equals: 30 }\n  - { metric: propagation.meanS, max: 0.5 }'));
    write('suite/notes.txt', 'not a scenario');
    write('suite/nested/c.yaml', 'not: [valid'); // subdirectories are not searched
    const junitPath = join(dir, 'out/junit.xml');
    const result = check(scenarioDir, '--junit', junitPath);
    expect(result.status).toBe(1);
    const root = parseXml(readFileSync(junitPath, 'utf8'));
    expect(root.name).toBe('testsuites');
    expect(root.children.map((suite) => [suite.attributes['name'], suite.children.length])).toEqual([['suite-a', 3], ['suite-b', 5]]);
    const failures = root.children.flatMap((suite) => suite.children).filter((testcase) => testcase.children.length > 0);
    expect(failures.map((testcase) => testcase.attributes['name'])).toEqual(['propagation.meanS <= 0.5']);
    expect(failures[0]?.children[0]?.attributes['message']).toMatch(/^propagation\.meanS = [\d.]+, expected <= 0\.5/);
    expect(readdirSync(join(dir, 'out'))).toEqual(['junit.xml']); // no temporary file left behind
  });

  it('round-trips a baseline, and a changed protocol parameter fails naming the metric', () => {
    const scenario = write('base-rt/tiny.yaml', tiny('rt'));
    const baselines = join(dir, 'baselines');
    const update = check(scenario, '--baseline', baselines, '--update-baseline');
    expect(update.status).toBe(0);
    expect(readdirSync(baselines)).toEqual(['rt.json']);
    const stored = JSON.parse(readFileSync(join(baselines, 'rt.json'), 'utf8')) as Record<string, unknown>;
    expect(stored['wallS']).toBeUndefined();
    expect(stored['scenario']).toBe('rt');

    const same = check(scenario, '--baseline', baselines);
    expect(same.status).toBe(0);
    expect(same.stdout).toMatch(/^rt\s+fingerprint \(baseline\)\s+baseline [0-9a-f]+\s+[0-9a-f]+\s+pass$/m);

    // A modified copy of the scenario: same name, polls every 10 s instead of 30 s.
    const changed = write('base-changed/tiny.yaml', tiny('rt', 'acms: { pollInterval: 10s }'));
    const differs = check(changed, '--baseline', baselines);
    expect(differs.status).toBe(1);
    expect(differs.stdout).toMatch(/^FAIL rt: bySize\.<1 KB\.meanS = [\d.]+, baseline [\d.]+ \(exact\) \[baseline\]$/m);
    expect(differs.stdout).toMatch(/^FAIL rt: fingerprint = [0-9a-f]+, baseline [0-9a-f]+: the event trajectory differs \[baseline\]$/m);
  });

  it('with --debug-trace, names the event at which a run first left its baseline', () => {
    const scenario = write('trace-rt/tiny.yaml', tiny('tr'));
    const baselines = join(dir, 'trace-baselines');
    expect(check(scenario, '--baseline', baselines, '--update-baseline', '--debug-trace').status).toBe(0);
    expect(readdirSync(baselines).sort()).toEqual(['tr.json', 'tr.trace']);
    expect(check(scenario, '--baseline', baselines, '--debug-trace').status).toBe(0);
    // A modified copy polls every 10 s: the trajectories part at the first poll that differs.
    const changed = write('trace-changed/tiny.yaml', tiny('tr', 'acms: { pollInterval: 10s }'));
    const differs = check(changed, '--baseline', baselines, '--debug-trace');
    expect(differs.status).toBe(1);
    expect(differs.stdout).toMatch(/^FAIL tr: fingerprint = [0-9a-f]+, baseline [0-9a-f]+: the event trajectory differs; first diverged at event \d+ \(baseline t=[\d.]+ s, now t=[\d.]+ s\) \[baseline\]$/m);
  });

  it('gives the same table whatever the number of workers', () => {
    write('jobs/one.yaml', tiny('one'));
    write('jobs/two.yaml', tiny('two', 'seed: 2'));
    const table = (output: string): string => output.split('\n').filter((line) => !line.includes('wall with')).join('\n');
    const serial = check(join(dir, 'jobs'), '--jobs', '1');
    const parallel = check(join(dir, 'jobs'), '--jobs', '2');
    expect(serial.status).toBe(0);
    expect(parallel.status).toBe(0);
    expect(table(parallel.stdout)).toBe(table(serial.stdout));
    expect(serial.stdout).toMatch(/^check: 6 passed, 0 failed$/m);
  });

  it('exits 2 on bad input: an invalid scenario, a missing path, a bad option, a missing baseline directory', () => {
    const invalid = write('invalid/x.yaml', tiny('x').replace('duration: 5m', 'duraton: 10m'));
    const result = check(invalid);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/x\.yaml.*duraton.*did you mean `duration`/);
    expect(result.stdout).toBe('');
    expect(check(join(dir, 'nowhere.yaml')).status).toBe(2);
    expect(check(invalid, '--jobs', 'many').status).toBe(2);
    const good = write('good2/tiny.yaml', tiny('tiny'));
    const noBaseline = check(good, '--baseline', join(dir, 'no-such-dir'));
    expect(noBaseline.status).toBe(2);
    expect(noBaseline.stderr).toContain('--update-baseline');
    expect(check(good, '--update-baseline').status).toBe(2);
    // A scenario with nothing to check (a file of defaults is the whole default replay) is refused before it runs.
    // (An empty file is refused earlier still, as an empty document: test/hardening.)
    const empty = write('empty/nothing.yaml', 'name: nothing\n');
    const nothing = check(empty);
    expect(nothing.status).toBe(2);
    expect(nothing.stderr).toMatch(/nothing\.yaml: expect: got no expectations, expected at least one to check \(or --baseline DIR/);
  });
});
