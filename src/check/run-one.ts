// Runs one scenario for `acmsim check` and `acmsim sweep`, in a worker thread or in-process, and reports
// the outcome as plain data (it crosses a thread boundary): the summary, or the error that stopped it.
import type { PoolTask } from '../pool/index.js';
import { loadScenario, ScenarioError } from '../scenario/index.js';
import { WorkloadError } from '../workload/index.js';
import { runScenario, type RunResult, type RunSummary } from '../run/run.js';
import { summaryWithLiveness } from './liveness.js';

export interface RunJob {
  /** Position in the list of scenarios, so results can be put back in order. */
  readonly index: number;
  readonly scenarioPath: string;
  /** `--set` strings applied to the scenario (a sweep's point and seed); none for check. */
  readonly overrides?: readonly string[];
  /** Record the fingerprint after every event (--debug-trace). */
  readonly traceEvents: boolean;
}

export interface TraceData {
  readonly hashes: Uint32Array;
  readonly timesUs: Float64Array;
}

export type RunJobResult =
  | { readonly index: number; readonly ok: true; readonly summary: RunSummary; readonly wallS: number; readonly trace?: TraceData }
  | {
    readonly index: number; readonly ok: false;
    /** True for a ScenarioError or WorkloadError (bad input, exit 2); false for a failure inside the simulator. */
    readonly inputError: boolean;
    readonly message: string;
    readonly stack: string;
    readonly wallS: number;
  };

export function runJob(job: RunJob): RunJobResult {
  return runJobWith(job, () => undefined);
}

/**
 * runJob, handing the whole result (world included) to `use` in this thread before the summary is
 * returned, e.g. to write the run's output files. An error thrown by `use` fails the run like one in it.
 */
export function runJobWith(job: RunJob, use: (result: RunResult, wallS: number) => void): RunJobResult {
  // Wall time of the harness, for the report only: it never reaches the simulation or the summary.
  const startNs = process.hrtime.bigint();
  const elapsedS = (): number => Math.round(Number(process.hrtime.bigint() - startNs) / 1e6) / 1e3;
  try {
    const scenario = loadScenario(job.scenarioPath, job.overrides ?? []);
    const result = runScenario(scenario, { traceEvents: job.traceEvents });
    use(result, elapsedS());
    return { index: job.index, ok: true, summary: summaryWithLiveness(scenario, result), wallS: elapsedS(), ...(result.trace === undefined ? {} : { trace: result.trace }) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const stack = error instanceof Error ? (error.stack ?? message) : message;
    return { index: job.index, ok: false, inputError: error instanceof ScenarioError || error instanceof WorkloadError, message, stack, wallS: elapsedS() };
  }
}

/** runJob as a task of the worker pool (this module is what each worker loads). */
export const RUN_JOB_TASK: PoolTask<RunJob, RunJobResult> = {
  moduleUrl: new URL('./run-one.js', import.meta.url),
  exportName: 'runJob',
  runInProcess: runJob,
};
