// Common random numbers across front-end and delivery designs (issue 17): for one seed, every design sees the same workload
// and the same fault timeline, so a difference between designs is the design's and not the dice's.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openOutput, writeOutputs } from '../../src/run/outputs.js';
import { runScenario } from '../../src/run/run.js';
import { smallScenario } from '../world/support.js';

const DESIGNS = ['quorum', 'primary-backup', 'single'] as const;
/** Random fault processes of several kinds: their timelines come from the fault streams alone. */
const FAULTS = [
  '{ kind: sp-crash, mtbf: 4m, mttr: 1m, target: { sps: [0, 2] } }',
  '{ kind: partition, mtbf: 5m, mttr: 2m, target: { fraction: 0.2 } }',
  '{ kind: loss, lossRate: 0.05, at: 3m, for: 4m, target: { fraction: 0.1 } }',
];
/** submissions.csv columns that do not depend on the outcome: id, file, sizeBytes, submitS. */
const WORKLOAD_COLUMNS = 4;

const root = mkdtempSync(path.join(os.tmpdir(), 'acmsim-crn-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function runDesign(design: string, key = 'design.frontend'): { faults: string; submissions: string[]; outcomes: string[]; meanS: number } {
  const scenario = smallScenario([`${key}=${design}`, `faults=[${FAULTS.join(', ')}]`]);
  const result = runScenario(scenario);
  const dir = path.join(root, `${key}-${design}`);
  const output = openOutput(dir);
  writeOutputs(output, result, 0);
  output.commit();
  const rows = readFileSync(path.join(dir, 'submissions.csv'), 'utf8').trim().split('\n');
  return {
    faults: readFileSync(path.join(dir, 'faults.csv'), 'utf8'),
    submissions: rows.map((row) => row.split(',').slice(0, WORKLOAD_COLUMNS).join(',')),
    outcomes: rows.map((row) => row.split(',').slice(WORKLOAD_COLUMNS).join(',')),
    meanS: result.summary.propagation.meanS,
  };
}

describe('common random numbers across front-end designs', () => {
  const runs = DESIGNS.map((design) => ({ design, ...runDesign(design) }));
  const [quorum, ...others] = runs as [(typeof runs)[number], ...(typeof runs)[number][]];

  it('gives every design the same fault timeline, and a timeline with crashes and partitions in it', () => {
    expect(quorum.faults).toMatch(/sp-crash/);
    expect(quorum.faults).toMatch(/partition/);
    for (const run of others) expect(run.faults, run.design).toBe(quorum.faults);
  });

  it('gives every design the same submissions (id, file, size, time), whatever their outcomes', () => {
    expect(quorum.submissions.length).toBeGreaterThan(50);
    for (const run of others) expect(run.submissions, run.design).toEqual(quorum.submissions);
  });

  it('is a real comparison: the designs do differ in their outcomes', () => {
    for (const run of others) expect(run.outcomes, run.design).not.toEqual(quorum.outcomes);
  });
});

describe('common random numbers across delivery designs', () => {
  const runs = (['cached', 'direct', 'push'] as const).map((design) => ({ design, ...runDesign(design, 'design.delivery') }));
  const [cached, ...others] = runs as [(typeof runs)[number], ...(typeof runs)[number][]];

  it('gives every delivery design the same fault timeline and the same submissions', () => {
    for (const run of others) {
      expect(run.faults, run.design).toBe(cached.faults);
      expect(run.submissions, run.design).toEqual(cached.submissions);
    }
  });

  it('is a real comparison: propagation differs between the designs', () => {
    for (const run of others) expect(run.meanS, run.design).not.toBe(cached.meanS);
  });
});
