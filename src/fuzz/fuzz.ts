// acmsim fuzz without the terminal: draws case seeds from the fuzz seed, runs the cases on the shared
// worker pool, collects failures by property, and shrinks the first few of each property in this thread.
import { RandomStreams } from '../kernel/random.js';
import { WorkerPool, type PoolTask } from '../pool/index.js';
import { generateCase } from './generate.js';
import type { FuzzCase } from './fuzz-case.js';
import { runFuzzTask, type FuzzTaskInput, type FuzzTaskOutput } from './fuzz-task.js';
import { DETERMINISM_PROPERTY, INVALID_CASE_PROPERTY } from './properties.js';
import { runCase, type WorldHook } from './run-case.js';
import { shrinkCase, type ShrinkResult, type StillFails } from './shrink.js';

export const FUZZ_TASK: PoolTask<FuzzTaskInput, FuzzTaskOutput> = {
  moduleUrl: new URL('./fuzz-task.js', import.meta.url),
  exportName: 'runFuzzTask',
  runInProcess: (input) => runFuzzTask(input),
};

export interface FuzzOptions {
  readonly seed: number;
  /** Exactly this many runs; without it, runs go on while keepGoing() says so. */
  readonly runs?: number;
  /** Asked before each new run is started (the CLI's --for deadline; wall clock stays in src/cli/). */
  readonly keepGoing?: () => boolean;
  readonly jobs: number;
  /** Share of runs run twice for the determinism self-check (FoundationDB's habit). Default 0.05. */
  readonly determinismShare?: number;
  /** Failures shrunk per property (the others are reported with their seed). Default 3. */
  readonly shrinkPerProperty?: number;
  /** Candidate runs one shrink may spend. Default 400. */
  readonly maxShrinkRuns?: number;
  /** Fault kinds the generator leaves out (e.g. while a known bug of one is open). */
  readonly withoutKinds?: readonly string[];
  /** Test only: a mutant injected into every world. Runs everything in this thread. */
  readonly hook?: WorldHook;
  readonly onRun?: (output: FuzzTaskOutput, done: number) => void;
  readonly onShrinkStart?: (failure: FuzzFailure) => void;
}

export interface FuzzFailure {
  readonly index: number;
  readonly caseSeed: number;
  readonly property: string;
  readonly detail: string;
  readonly original: FuzzCase;
  readonly shrink?: ShrinkResult & { readonly detail: string };
}

export interface FuzzReport {
  readonly seed: number;
  readonly runs: number;
  readonly determinismChecks: number;
  readonly failedRuns: number;
  readonly failures: readonly FuzzFailure[];
  /** Failing runs by property (a run may fail several). */
  readonly byProperty: Readonly<Record<string, number>>;
  /** Runs by front-end design, and runs in which a property was waived by design (run-case.ts), by property. */
  readonly byDesign: Readonly<Record<string, number>>;
  readonly waivedByProperty: Readonly<Record<string, number>>;
  readonly slowest: { readonly index: number; readonly caseSeed: number; readonly wallS: number } | null;
  readonly runWallS: number;
}

/** The case seed and determinism choice of every run, in run order: the same fuzz seed gives the same list. */
export function* fuzzInputs(seed: number, determinismShare: number, withoutKinds: readonly string[] = []): Generator<FuzzTaskInput> {
  const streams = new RandomStreams(`fuzz/${seed}`);
  const cases = streams.stream('cases');
  const twice = streams.stream('determinism');
  for (let index = 0; ; index++) {
    yield { index, caseSeed: Math.floor(cases() * 2 ** 31), twice: twice() < determinismShare, withoutKinds };
  }
}

export async function fuzz(options: FuzzOptions): Promise<FuzzReport> {
  const share = options.determinismShare ?? 0.05;
  const hook = options.hook;
  const task: PoolTask<FuzzTaskInput, FuzzTaskOutput> = hook === undefined ? FUZZ_TASK : { ...FUZZ_TASK, runInProcess: (input) => runFuzzTask(input, hook) };
  const pool = WorkerPool.open(task, { workers: hook === undefined ? options.jobs : 1 });
  const outputs: FuzzTaskOutput[] = [];
  const inputs = fuzzInputs(options.seed, share, options.withoutKinds);
  const wanted = (started: number): boolean => (options.runs === undefined ? options.keepGoing?.() ?? false : started < options.runs);
  try {
    await new Promise<void>((resolve, reject) => {
      let started = 0;
      let inFlight = 0;
      const startNext = (): void => {
        while (inFlight < Math.max(1, options.jobs) * 2 && wanted(started)) {
          const input = inputs.next().value as FuzzTaskInput;
          started++;
          inFlight++;
          pool.run(input).then((output) => {
            inFlight--;
            outputs.push(output);
            options.onRun?.(output, outputs.length);
            startNext();
            if (inFlight === 0) resolve();
          }, reject);
        }
        if (inFlight === 0) resolve();
      };
      startNext();
    });
  } finally {
    await pool.close();
  }
  outputs.sort((a, b) => a.index - b.index);
  return { ...tally(options.seed, outputs), failures: shrinkFailures(outputs, options) };
}

function tally(seed: number, outputs: readonly FuzzTaskOutput[]): Omit<FuzzReport, 'failures'> {
  const byProperty: Record<string, number> = {};
  const byDesign: Record<string, number> = {};
  const waivedByProperty: Record<string, number> = {};
  let slowest: FuzzReport['slowest'] = null;
  let runWallS = 0;
  let failedRuns = 0;
  for (const output of outputs) {
    runWallS += output.wallS;
    if (slowest === null || output.wallS > slowest.wallS) slowest = { index: output.index, caseSeed: output.caseSeed, wallS: output.wallS };
    if (output.failures.length > 0) failedRuns++;
    for (const property of new Set(output.failures.map((failure) => failure.property))) byProperty[property] = (byProperty[property] ?? 0) + 1;
    for (const property of new Set(output.waived)) waivedByProperty[property] = (waivedByProperty[property] ?? 0) + 1;
    byDesign[output.design] = (byDesign[output.design] ?? 0) + 1;
  }
  const determinismChecks = outputs.filter((output) => output.twice).length;
  return { seed, runs: outputs.length, determinismChecks, failedRuns, byProperty, byDesign: sortedKeys(byDesign), waivedByProperty: sortedKeys(waivedByProperty), slowest, runWallS };
}

/** Counts keyed in a fixed order, so summary.json does not depend on the order runs finished in. */
function sortedKeys(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Whether a case still fails `property`, judged as the fuzz run judged it. */
export function stillFailsFor(property: string, hook?: WorldHook): StillFails {
  if (property === DETERMINISM_PROPERTY) return (candidate) => runCase(candidate, hook).fingerprint !== runCase(candidate, hook).fingerprint;
  return (candidate) => runCase(candidate, hook).failures.some((failure) => failure.property === property);
}

function shrinkFailures(outputs: readonly FuzzTaskOutput[], options: FuzzOptions): FuzzFailure[] {
  const perProperty = options.shrinkPerProperty ?? 3;
  const shrunkCount = new Map<string, number>();
  const failures: FuzzFailure[] = [];
  for (const output of outputs) {
    for (const found of output.failures) {
      const original = generateCase(output.caseSeed, { withoutKinds: options.withoutKinds ?? [] });
      const failure: FuzzFailure = { index: output.index, caseSeed: output.caseSeed, property: found.property, detail: found.detail, original };
      const count = shrunkCount.get(found.property) ?? 0;
      if (count >= perProperty || found.property === INVALID_CASE_PROPERTY) {
        failures.push(failure);
        continue;
      }
      shrunkCount.set(found.property, count + 1);
      options.onShrinkStart?.(failure);
      const result = shrinkCase(original, stillFailsFor(found.property, options.hook), options.maxShrinkRuns ?? 400);
      const detail = runCase(result.smallest, options.hook).failures.find((f) => f.property === found.property)?.detail ?? found.detail;
      failures.push({ ...failure, shrink: { ...result, detail } });
    }
  }
  return failures;
}
