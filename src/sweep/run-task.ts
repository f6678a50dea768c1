// One run of a sweep, as a worker-pool task: runs the scenario through check's run path and writes the
// run's directory (runs/<id>/) atomically, holding run.json and either summary.json or error.json.
import type { PoolTask } from '../pool/index.js';
import { OutputDir } from '../metrics/index.js';
import { runJobWith } from '../check/run-one.js';
import { writeOutputs } from '../run/outputs.js';

/** What identifies a stored run (run.json): a directory is this run only if the hash matches. */
export interface RunRecord {
  readonly sweep: string;
  readonly run: string;
  readonly index: number;
  readonly point: string;
  readonly seed: number;
  readonly scenarioHash: string;
}

export interface SweepRunInput {
  readonly record: RunRecord;
  readonly runDir: string;
  readonly scenarioPath: string;
  readonly overrides: readonly string[];
  /** Write every output of `acmsim run` (CSVs too), not only what the tables need. */
  readonly keepRuns: boolean;
}

export interface SweepRunOutput {
  readonly index: number;
  readonly ok: boolean;
  /** The error that stopped the run (also in its error.json). */
  readonly error?: string;
  readonly wallS: number;
}

export const RUN_FILE = 'run.json';
export const SUMMARY_FILE = 'summary.json';
export const ERROR_FILE = 'error.json';

export function runSweepRun(input: SweepRunInput): SweepRunOutput {
  const output = OutputDir.create(input.runDir);
  try {
    output.writeJson(RUN_FILE, input.record);
    const result = runJobWith(
      { index: input.record.index, scenarioPath: input.scenarioPath, overrides: input.overrides, traceEvents: false },
      (run, wallS) => {
        if (input.keepRuns) writeOutputs(output, run, wallS); // committed below
        else output.writeJson(SUMMARY_FILE, { ...run.summary, wallS });
      },
    );
    if (!result.ok) {
      output.abort();
      const failed = OutputDir.create(input.runDir);
      failed.writeJson(RUN_FILE, input.record);
      failed.writeJson(ERROR_FILE, { message: result.message, inputError: result.inputError, stack: result.stack });
      failed.commit();
      return { index: input.record.index, ok: false, error: result.message, wallS: result.wallS };
    }
    if (output.state === 'open') output.commit();
    return { index: input.record.index, ok: true, wallS: result.wallS };
  } catch (error) {
    output.abort();
    throw error;
  }
}

export const SWEEP_RUN_TASK: PoolTask<SweepRunInput, SweepRunOutput> = {
  moduleUrl: new URL('./run-task.js', import.meta.url),
  exportName: 'runSweepRun',
  runInProcess: runSweepRun,
};
