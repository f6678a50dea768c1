// Issue 15, the run pipeline: scenario -> topology (built once) -> workload -> world -> summary, with the
// integrator in src/run/, so that src/world/ imports nothing from src/scenario/.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario, startRun, topologyBuildCount } from '../../src/run/run.js';
import { REPO_ROOT } from '../cli/cli-helpers.js';
import { smallScenario } from '../world/support.js';

describe('the run pipeline', () => {
  it('src/world/ imports nothing from src/scenario/ (nor from src/run/, which sits above it)', () => {
    const folder = path.join(REPO_ROOT, 'src', 'world');
    for (const name of fs.readdirSync(folder).filter((file) => file.endsWith('.ts'))) {
      const text = fs.readFileSync(path.join(folder, name), 'utf8');
      expect(text, name).not.toMatch(/from '\.\.\/scenario\//);
      expect(text, name).not.toMatch(/from '\.\.\/run\//);
    }
  });

  it('builds the topology once per run, and the world runs on that very topology', () => {
    const scenario = smallScenario(['duration=1m', 'workload.submissions=2']);
    const before = topologyBuildCount();
    const run = startRun(scenario);
    expect(topologyBuildCount() - before).toBe(1);
    run.world.run(run.totalUs);
    run.finish();
    expect(topologyBuildCount() - before).toBe(1);
    runScenario(scenario);
    expect(topologyBuildCount() - before).toBe(2);
  });

  it('a figure over an empty series is null in the summary, not 0', () => {
    const { summary } = runScenario(smallScenario(['duration=1m', 'workload.submissions=0']));
    expect(summary.propagation.deliveries).toBe(0);
    for (const key of ['meanS', 'p50S', 'p95S', 'p99S', 'maxS', 'p9995S'] as const) expect(summary.propagation[key], key).toBeNull();
    for (const key of ['meanS', 'p50S', 'p95S', 'p99S', 'maxS'] as const) expect(summary.acceptance[key], key).toBeNull();
    for (const row of Object.values(summary.bySize)) expect(row.p99S).toBeNull();
    expect(summary.propagation.within180sFraction).toBeNull();
  });
});

describe('the workload layer', () => {
  it('src/workload/ imports nothing from src/scenario/: it takes plain options and has errors of its own', () => {
    const folder = path.join(REPO_ROOT, 'src', 'workload');
    for (const name of fs.readdirSync(folder).filter((file) => file.endsWith('.ts'))) {
      expect(fs.readFileSync(path.join(folder, name), 'utf8'), name).not.toMatch(/from '\.\.\/scenario\//);
    }
  });
});
