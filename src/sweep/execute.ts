// Runs a chosen set of a sweep's runs into its directory on the worker pool, skipping those already
// complete there (so a resubmitted sweep or array job finishes only what is missing).
import { WorkerPool } from '../pool/index.js';
import type { SweepPlan, SweepRun } from './plan.js';
import { SWEEP_RUN_TASK, type SweepRunInput, type SweepRunOutput } from './run-task.js';
import type { SweepDir } from './sweep-dir.js';

export interface ExecuteOptions {
  readonly dir: SweepDir;
  /** Worker threads; 1 runs in the calling thread. */
  readonly jobs: number;
  readonly keepRuns: boolean;
  /** Indices of the runs to do (all of them for a local sweep; one or a shard's for an array task). */
  readonly indices: readonly number[];
  /** Aborting closes the pool: runs in progress are lost (their temporary directories removed), completed ones stay. */
  readonly signal?: AbortSignal;
  /** Called as each run finishes, in completion order. */
  readonly onRunDone?: (run: SweepRun, output: SweepRunOutput, progress: { done: number; failed: number; total: number }) => void;
}

export interface ExecuteReport {
  /** Runs already complete in the directory, not run again. */
  readonly skipped: number;
  readonly ran: number;
  readonly failed: readonly { readonly run: SweepRun; readonly message: string }[];
  readonly interrupted: boolean;
}

export async function executeRuns(plan: SweepPlan, options: ExecuteOptions): Promise<ExecuteReport> {
  const selected = options.indices.map((index) => plan.runs[index] as SweepRun);
  const todo = selected.filter((run) => options.dir.read(run).state !== 'complete');
  const failed: { run: SweepRun; message: string }[] = [];
  let done = 0;
  const pool = WorkerPool.open(SWEEP_RUN_TASK, { workers: Math.min(options.jobs, todo.length) });
  const stop = (): void => void pool.close();
  options.signal?.addEventListener('abort', stop, { once: true });
  try {
    const settled = await Promise.allSettled(todo.map(async (run) => {
      const output = await pool.run(inputOf(plan, options, run));
      done++;
      if (!output.ok) failed.push({ run, message: output.error ?? '(no message)' });
      options.onRunDone?.(run, output, { done, failed: failed.length, total: todo.length });
    }));
    const interrupted = options.signal?.aborted === true;
    const broken = settled.find((result) => result.status === 'rejected');
    if (broken !== undefined && !interrupted) throw (broken as PromiseRejectedResult).reason;
    failed.sort((a, b) => a.run.index - b.run.index);
    return { skipped: selected.length - todo.length, ran: done, failed, interrupted };
  } finally {
    options.signal?.removeEventListener('abort', stop);
    await pool.close();
    if (options.signal?.aborted === true) options.dir.removeOwnDebris();
  }
}

function inputOf(plan: SweepPlan, options: ExecuteOptions, run: SweepRun): SweepRunInput {
  return {
    record: {
      sweep: plan.file.name, run: run.id, index: run.index,
      point: (plan.points[run.pointIndex] as { id: string }).id, seed: run.seed, scenarioHash: run.scenarioHash,
    },
    runDir: options.dir.runDir(run),
    scenarioPath: plan.file.scenarioPath,
    overrides: run.overrides,
    keepRuns: options.keepRuns,
  };
}
