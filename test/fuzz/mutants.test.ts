// Each test-only mutant is caught by the fuzzer within a stated number of runs, shrunk to a small
// scenario, and replayed from the written file through `acmsim run`'s code path: with the mutant it
// fails (exit 1), without it the same file passes (exit 0), so the failure belongs to the mutant.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { fuzzInputs, stillFailsFor, type FuzzFailure } from '../../src/fuzz/fuzz.js';
import { runFuzzTask } from '../../src/fuzz/fuzz-task.js';
import { generateCase } from '../../src/fuzz/generate.js';
import { shrinkCase } from '../../src/fuzz/shrink.js';
import { failureFileText } from '../../src/fuzz/failure-file.js';
import { runCommand } from '../../src/cli/run-command.js';
import { MUTANTS, type Mutant } from './mutants.js';

/** The fixed fuzz seed; each mutant states within how many of its runs it is caught (mutants.ts). */
const FUZZ_SEED = 7;

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'acmsim-mutants-'));
afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

function firstCatch(mutant: Mutant): { failure: FuzzFailure; runs: number } {
  const inputs = fuzzInputs(FUZZ_SEED, 0);
  for (let runs = 1; runs <= mutant.catchWithinRuns; runs++) {
    const input = inputs.next().value as ReturnType<typeof fuzzInputs> extends Generator<infer T> ? T : never;
    const output = runFuzzTask(input, mutant.inject);
    const found = output.failures.find((failure) => failure.property === mutant.property);
    if (found !== undefined) {
      return { failure: { index: input.index, caseSeed: input.caseSeed, property: found.property, detail: found.detail, original: generateCase(input.caseSeed) }, runs };
    }
  }
  throw new Error(`${mutant.name} not caught within ${mutant.catchWithinRuns} runs`);
}

async function replay(file: string, inject?: Mutant['inject']): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  try {
    const code = await runCommand(file, { set: [], organisation: 'engine', quiet: true, out: path.join(workDir, `out-${path.basename(file)}-${inject === undefined ? 'plain' : 'mutant'}`) }, inject === undefined ? {} : { prepareWorld: inject });
    return { code, stderr };
  } finally {
    spy.mockRestore();
    out.mockRestore();
  }
}

describe.each(MUTANTS)('mutant $name', (mutant) => {
  it(`is caught within its stated runs, shrunk to <= 2 faults, <= 50 edge servers, <= 10 submissions, and replayed from its file`, async () => {
    const { failure, runs } = firstCatch(mutant);
    const shrink = shrinkCase(failure.original, stillFailsFor(mutant.property, mutant.inject), 400);
    const smallest = shrink.smallest;
    console.log(`${mutant.name}: caught at run ${runs} (case seed ${failure.caseSeed}); shrunk in ${shrink.steps} steps / ${shrink.runs} runs to ` +
      `${smallest.faults.length} faults, ${smallest.topology.edgeServers} edge servers, ${smallest.workload.submissions} submissions`);
    expect(smallest.faults.length).toBeLessThanOrEqual(2);
    expect(smallest.topology.edgeServers).toBeLessThanOrEqual(50);
    expect(smallest.workload.submissions).toBeLessThanOrEqual(10);

    const file = path.join(workDir, `${mutant.name}.yaml`);
    fs.writeFileSync(file, failureFileText({ ...failure, shrink: { ...shrink, detail: failure.detail } }, file, FUZZ_SEED));
    const withMutant = await replay(file, mutant.inject);
    expect(withMutant.code).toBe(1);
    expect(withMutant.stderr).toContain(`(${mutant.property}:`);
    const withoutMutant = await replay(file);
    expect(withoutMutant.stderr).toBe('');
    expect(withoutMutant.code).toBe(0);
  }, 300_000);
});
