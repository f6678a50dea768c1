// Acceptance tests of `acmsim sweep` through the compiled CLI, on a 3 x 3 x 5-seed sweep of a tiny scenario
// (a fraction of a second a run): the tables do not depend on --jobs, on sharding, or on being killed and
// resubmitted; failed and missing runs are named; bad sweep files exit 2 naming the file and the field.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { builtCliAndWorkDir, parseCsv, runCli, STACK_FRAME } from '../cli/cli-helpers.js';
import { ScenarioError } from '../../src/scenario/index.js';
import { executeRuns } from '../../src/sweep/execute.js';
import { planSweep } from '../../src/sweep/plan.js';
import { SweepDir } from '../../src/sweep/sweep-dir.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const GRID = join(FIXTURES, 'grid.yaml');
const workDir = builtCliAndWorkDir('acmsim-sweep-');
const TABLES = ['runs.csv', 'points.csv'];

function tables(dir: string): string[] {
  return TABLES.map((name) => readFileSync(join(dir, name), 'utf8'));
}

function completeRuns(dir: string): string[] {
  const runs = join(dir, 'runs');
  if (!existsSync(runs)) return [];
  return readdirSync(runs).filter((name) => !name.includes('.tmp-') && existsSync(join(runs, name, 'summary.json'))).sort();
}

/** The tables of the uninterrupted sweep with one worker, which every other way must reproduce. */
let reference: string[] = [];

describe('acmsim sweep: the same tables however it is run', () => {
  it('writes 45 runs x 4 metrics and 9 points x 4 metrics with --jobs 1', () => {
    const out = join(workDir(), 'jobs1');
    const result = runCli(['sweep', GRID, '--jobs', '1', '--out', out]);
    expect(result.stderr).not.toMatch(STACK_FRAME);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('45 runs (45 ran, 0 already complete, 0 failed)');
    // stderr is not a terminal here: a plain progress line at every tenth of the runs.
    const progress = result.stderr.trim().split('\n');
    expect(progress).toHaveLength(10);
    expect(progress.at(-1)).toMatch(/^acmsim: runs 45\/45  failed 0  \d+ s  ETA 0 s$/);
    reference = tables(out);
    const runs = parseCsv(reference[0] as string);
    expect(runs[0]).toEqual(['point', 'acms.pollInterval', 'network.pathLossProbability', 'seed', 'metric', 'value']);
    expect(runs).toHaveLength(1 + 45 * 4);
    expect(runs[1]).toEqual(['p01', '15s', '0.0001', '1', 'propagation.meanS', expect.stringMatching(/^\d+(\.\d+)?$/)]);
    const points = parseCsv(reference[1] as string);
    expect(points[0]).toEqual(['point', 'acms.pollInterval', 'network.pathLossProbability', 'metric', 'n', 'mean', 'sd', 'ci95Low', 'ci95High']);
    expect(points).toHaveLength(1 + 9 * 4);
    expect(points.slice(1).every((row) => row[4] === '5')).toBe(true);
    // The last point is the last grid combination: the slowest polls and the most loss.
    expect(points.at(-1)?.slice(0, 4)).toEqual(['p09', '60s', '0.01', 'spLoad.requests']);
    const sweepJson = JSON.parse(readFileSync(join(out, 'sweep.json'), 'utf8')) as { acmsim: { version: string }; runs: { total: number } };
    const packageJson = JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8')) as { version: string };
    expect(sweepJson.acmsim.version).toBe(packageJson.version);
    expect(sweepJson.runs.total).toBe(45);
    // By default a run keeps only what the tables need; --keep-runs is tested below.
    expect(readdirSync(join(out, 'runs', 'p01-seed1')).sort()).toEqual(['.acmsim-output', 'run.json', 'summary.json']);
  }, 60_000);

  it('gives byte-identical tables with --jobs 2', () => {
    const out = join(workDir(), 'jobs2');
    const result = runCli(['sweep', GRID, '--jobs', '2', '--out', out, '--quiet']);
    expect(result.status).toBe(0);
    expect(tables(out)).toEqual(reference);
  }, 60_000);

  it('gives byte-identical tables from --shard 1/3, 2/3, 3/3 and --collect, and names what is missing', async () => {
    const out = join(workDir(), 'shards');
    // At the same time, into one directory, as array tasks would.
    const codes = await Promise.all(['1/3', '2/3', '3/3'].map((shard) => exitCodeOf(['sweep', GRID, '--shard', shard, '--jobs', '1', '--out', out, '--quiet'])));
    expect(codes).toEqual([0, 0, 0]);
    expect(existsSync(join(out, 'runs.csv'))).toBe(false); // shards build no tables
    expect(completeRuns(out)).toHaveLength(45);
    const collected = runCli(['sweep', GRID, '--collect', out]);
    expect(collected.status).toBe(0);
    expect(collected.stdout).toContain('45 of 45 runs complete');
    expect(tables(out)).toEqual(reference);

    rmSync(join(out, 'runs', 'p05-seed3'), { recursive: true });
    const partial = runCli(['sweep', GRID, '--collect', out]);
    expect(partial.status).toBe(1);
    expect(partial.stderr).toContain('1 runs missing: 22 (p05-seed3)');
    // The same run comes back as an array task: index 22 from Slurm's variable.
    const task = runCli(['sweep', GRID, '--out', out, '--quiet'], undefined, { SLURM_ARRAY_TASK_ID: '22' });
    expect(task.status).toBe(0);
    expect(completeRuns(out)).toHaveLength(45);
  }, 60_000);

  it('finishes only the missing runs of a killed sweep, and its tables equal the uninterrupted ones', async () => {
    const out = join(workDir(), 'killed');
    await killWhenSomeRunsAreDone(['sweep', GRID, '--jobs', '2', '--out', out, '--quiet'], out, 6);
    const survivors = completeRuns(out);
    expect(survivors.length).toBeGreaterThanOrEqual(6);
    expect(survivors.length).toBeLessThan(45);
    expect(existsSync(join(out, 'runs.csv'))).toBe(false);
    const before = new Map(survivors.map((run) => [run, statSync(join(out, 'runs', run, 'summary.json')).mtimeMs]));

    const resumed = runCli(['sweep', GRID, '--jobs', '2', '--out', out]);
    expect(resumed.status).toBe(0);
    expect(resumed.stdout).toContain(`(${45 - survivors.length} ran, ${survivors.length} already complete, 0 failed)`);
    for (const [run, mtimeMs] of before) expect(statSync(join(out, 'runs', run, 'summary.json')).mtimeMs).toBe(mtimeMs);
    expect(tables(out)).toEqual(reference);
  }, 60_000);
});

describe('acmsim sweep: runs that fail, and what is kept', () => {
  it('records a failed run with its error and goes on with the others; --collect names it and exits 1', async () => {
    const out = join(workDir(), 'failing');
    const plan = planSweep(GRID);
    // No valid sweep makes a run fail (the plan loads every point and checks its fault targets first), so
    // run 7 is broken here by hand, with an override its scenario refuses.
    const broken = { ...plan, runs: plan.runs.map((run) => (run.index === 7 ? { ...run, overrides: [...run.overrides, 'acms.pollInterval=true'] } : run)) };
    const dir = SweepDir.open(out, plan.file.name);
    const report = await executeRuns(broken, { dir, jobs: 1, keepRuns: true, indices: [6, 7, 8] });
    expect(report.ran).toBe(3);
    expect(report.failed.map((failure) => failure.run.id)).toEqual(['p02-seed3']);
    const error = JSON.parse(readFileSync(join(out, 'runs', 'p02-seed3', 'error.json'), 'utf8')) as { message: string };
    expect(error.message).toBe('--set: acms.pollInterval: got true, expected a positive duration like "30s" (units us, ms, s, m, h, d; e.g. "250ms", "1h30m") or a number of seconds');
    // --keep-runs keeps every output of `acmsim run` for the runs that worked.
    expect(readdirSync(join(out, 'runs', 'p02-seed2'))).toEqual(expect.arrayContaining(['summary.json', 'propagation.csv', 'sp-load.csv']));

    const collected = runCli(['sweep', GRID, '--collect', out]);
    expect(collected.status).toBe(1);
    expect(collected.stderr).toContain('acmsim: run 7 (p02-seed3) failed: --set: acms.pollInterval: got true');
    expect(collected.stderr).toContain('acmsim: 42 runs missing: 0 (p01-seed1)');
    expect(collected.stderr).not.toMatch(STACK_FRAME);
    const sweepJson = JSON.parse(readFileSync(join(out, 'sweep.json'), 'utf8')) as { failed: { run: string; error: string }[] };
    expect(sweepJson.failed).toEqual([{ run: 'p02-seed3', error: error.message }]);
    const points = parseCsv(readFileSync(join(out, 'points.csv'), 'utf8'));
    expect(points[1 + 4]?.slice(0, 5)).toEqual(['p02', '15s', '0.001', 'propagation.meanS', '2']); // seeds 2 and 4 of p02
  }, 60_000);

  it('refuses an output directory it did not write', () => {
    const out = join(workDir(), 'someone-elses');
    cpSync(FIXTURES, out, { recursive: true });
    const result = runCli(['sweep', GRID, '--out', out, '--quiet']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('not written by acmsim sweep');
  });
});

describe('acmsim sweep --emit', () => {
  it('prints an sbatch array script and an Indexed Job for every run', () => {
    const slurm = runCli(['sweep', GRID, '--emit', 'slurm', '--out', '/shared/grid']);
    expect(slurm.status).toBe(0);
    expect(slurm.stdout).toMatch(/^#!\/bin\/bash\n/);
    expect(slurm.stdout).toContain('#SBATCH --array=0-44\n');
    expect(slurm.stdout).toContain('--out /shared/grid --quiet');
    const k8s = runCli(['sweep', GRID, '--emit', 'k8s', '--jobs', '4']);
    expect(k8s.status).toBe(0);
    const job = parseYaml(k8s.stdout) as { kind: string; spec: Record<string, unknown> & { template: { spec: { restartPolicy: string; containers: { command: string[] }[] } } } };
    expect(job.kind).toBe('Job');
    expect(job.spec).toMatchObject({ completionMode: 'Indexed', completions: 45, parallelism: 4 });
    expect(job.spec.template.spec.restartPolicy).toBe('Never');
    expect(job.spec.template.spec.containers[0]?.command).toContain('sweep');
  });

  it('refuses an index outside the sweep and a malformed shard with exit 2', () => {
    const index = runCli(['sweep', GRID, '--out', join(workDir(), 'never')], undefined, { JOB_COMPLETION_INDEX: '45' });
    expect(index.status).toBe(2);
    expect(index.stderr).toBe('acmsim: JOB_COMPLETION_INDEX: got "45", expected a run index from 0 to 44 (the sweep has 45 runs)\n');
    const shard = runCli(['sweep', GRID, '--shard', '4/3', '--out', join(workDir(), 'never')]);
    expect(shard.status).toBe(2);
    expect(shard.stderr).toContain('--shard: got "4/3", expected K/N with 1 <= K <= N');
    expect(existsSync(join(workDir(), 'never'))).toBe(false);
  });
});

describe('acmsim sweep: bad sweep files exit 2 naming the file and the field', () => {
  // The messages are checked in-process (planSweep is what the command runs first); the exit code and the
  // one-line, stack-free report through the CLI, once.
  const cases: [string, string, RegExp][] = [
    ['an unknown parameter path', 'vary: { acms.pollIntervl: [15s, 30s] }', /bad\.yaml: vary\.acms\.pollIntervl: got an unknown key, expected a known key \(did you mean `pollInterval`\?\)$/],
    ['a value of the wrong type for its path', 'vary: { acms.pollInterval: [15s, true] }', /bad\.yaml: vary\.acms\.pollInterval\[1\]: got true, expected a positive duration/],
    ['an empty list', 'vary: { acms.pollInterval: [] }', /bad\.yaml: vary\.acms\.pollInterval: got an empty list, expected a non-empty list/],
    ['a seed count of 0', 'seeds: 0', /bad\.yaml: seeds: got 0, expected an integer from 1 to 10000/],
    ['an unknown metric', 'metrics: [propagation.p95]', /bad\.yaml: metrics\[0\]: got "propagation\.p95", expected a summary\.json path: did you mean "propagation\.p95S"\?/],
    ['a misspelt key', 'sedes: 3', /bad\.yaml: sedes: got an unknown key, expected a known key \(did you mean `seeds`\?\)/],
    ['a wrong type in a fixed override', 'set: { topology.edgeServers: many }', /bad\.yaml: set\.topology\.edgeServers: got "many", expected an integer >= 1/],
    ['a bad explicit point', 'points: [{ acms.pollInterval: 10s }, { acms.indexTtl: { edg: 5s } }]', /bad\.yaml: points\[1\]\.acms\.indexTtl: got an unknown key, expected .*\(at acms\.indexTtl\.edg\)/],
    ['a fault target the generated topology lacks', 'points: [{ faults: [{ kind: partition, at: 1m, for: 1m, target: { countries: [NZ] } }] }]', /bad\.yaml: points\[0\]\.faults: got "NZ", expected a country of the topology \(5: .*\) \(at faults\[0\]\.target\.countries\[0\]\) with seed 1$/],
    ['a missing base scenario', 'scenario: no-such-scenario.yaml', /bad\.yaml: scenario: got "no-such-scenario\.yaml", expected an existing, readable file \(.*no-such-scenario\.yaml: ENOENT\)/],
  ];
  for (const [what, line, message] of cases) {
    it(`refuses ${what}`, () => {
      const path = writeSweep('bad.yaml', line);
      expect(() => planSweep(path)).toThrow(ScenarioError);
      expect(() => planSweep(path)).toThrow(message);
    });
  }

  it('exits 2 with one line and no stack, and writes nothing', () => {
    const path = writeSweep('bad.yaml', 'seeds: 0');
    const result = runCli(['sweep', path, '--out', join(workDir(), 'never')]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^acmsim: .*bad\.yaml: seeds: got 0, expected an integer from 1 to 10000\n$/);
    expect(existsSync(join(workDir(), 'never'))).toBe(false);
  });
});

/** A small valid sweep file in the work directory, with one line replacing or adding to its defaults. */
function writeSweep(name: string, line: string): string {
  const key = line.split(':')[0] as string;
  const defaults: Record<string, string> = {
    scenario: `scenario: ${JSON.stringify(join(FIXTURES, 'tiny.yaml'))}`,
    vary: 'vary: { acms.pollInterval: [15s, 30s] }',
    seeds: 'seeds: 2',
  };
  const lines = Object.entries(defaults).filter(([field]) => field !== key && !(key === 'points' && field === 'vary')).map(([, text]) => text);
  const path = join(workDir(), name);
  writeFileSync(path, [...lines, line, ''].join('\n'));
  return path;
}

/** Runs the CLI without waiting synchronously (so several can run at once); resolves with its exit code. */
function exitCodeOf(args: string[]): Promise<number | null> {
  const child = spawn(process.execPath, [join(import.meta.dirname, '../../dist/src/cli/main.js'), ...args], { stdio: 'ignore' });
  return new Promise((resolve) => child.on('exit', (code) => resolve(code)));
}

/** Starts the CLI and SIGKILLs it once `count` runs are complete in `out` (a sweep killed mid-way). */
async function killWhenSomeRunsAreDone(args: string[], out: string, count: number): Promise<void> {
  const child = spawn(process.execPath, [join(import.meta.dirname, '../../dist/src/cli/main.js'), ...args], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const deadlineMs = Date.now() + 50_000;
  while (child.exitCode === null && completeRuns(out).length < count && Date.now() < deadlineMs) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  child.kill('SIGKILL');
  await exited;
}
