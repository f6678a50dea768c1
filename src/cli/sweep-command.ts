// `acmsim sweep <file>`: run a sweep on local workers and build its tables, or one array task's share
// (--index, --shard, SLURM_ARRAY_TASK_ID, JOB_COMPLETION_INDEX), or --collect the tables from what the
// shards wrote, or --emit a Slurm or Kubernetes array job. Exit 0 done, 1 a run failed or is missing, 2 bad input.
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { executeRuns } from '../sweep/execute.js';
import { kubernetesJob, K8S_RESULTS, slurmScript } from '../sweep/emit.js';
import { planSweep, type SweepPlan } from '../sweep/plan.js';
import { SweepDir } from '../sweep/sweep-dir.js';
import { writeTables, type CollectReport } from '../sweep/tables.js';
import { UsageError } from './errors.js';
import { progressModeFor } from './progress.js';
import { SweepProgress } from './sweep-progress.js';
import { packageVersion } from './version.js';

export interface SweepCommandOptions {
  readonly jobs?: string;
  readonly out?: string;
  readonly keepRuns?: boolean;
  readonly index?: string;
  readonly shard?: string;
  readonly collect?: string;
  readonly emit?: string;
  readonly image?: string;
  readonly quiet?: boolean;
}

/** Environment variables that carry an array task's index, in the order they are looked at. */
const INDEX_VARIABLES = ['SLURM_ARRAY_TASK_ID', 'JOB_COMPLETION_INDEX'];

export async function sweepCommand(sweepPath: string, options: SweepCommandOptions): Promise<void> {
  const modes = [options.collect, options.emit, options.index ?? options.shard].filter((mode) => mode !== undefined);
  if (modes.length > 1) throw new UsageError('--collect, --emit and --index/--shard are separate steps: give one of them');
  if (options.index !== undefined && options.shard !== undefined) throw new UsageError('--index and --shard: give one of them');
  const jobs = parseJobs(options.jobs);
  const plan = planSweep(sweepPath);
  const outDir = options.collect ?? options.out ?? path.join('results', plan.file.name);

  if (options.emit !== undefined) return emit(plan, options.emit, sweepPath, options);
  if (options.collect !== undefined) return collect(plan, SweepDir.existing(options.collect, plan.file.name), options);

  const indices = selectedIndices(plan, options);
  const dir = SweepDir.open(outDir, plan.file.name);
  const all = indices === null;
  const progress = new SweepProgress(progressModeFor(options.quiet === true));
  const abort = new AbortController();
  const onSignal = (): void => abort.abort();
  // With one worker the runs happen in this thread and a signal could only be seen between runs, so
  // Ctrl-C keeps its default effect there (the run in progress leaves only runs/<id>.tmp-<pid>).
  if (jobs > 1) {
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  }
  try {
    const report = await executeRuns(plan, {
      dir, jobs, keepRuns: options.keepRuns === true, indices: indices ?? plan.runs.map((run) => run.index), signal: abort.signal,
      onRunDone: (run, output, state) => progress.update(state.done, state.failed, state.total, output.ok ? undefined : `${run.id} failed: ${output.error ?? ''}`),
    });
    progress.finish();
    if (report.interrupted) {
      process.stderr.write(`acmsim: interrupted; the ${report.ran} runs that finished are kept in ${dir.path}; the same command finishes the rest\n`);
      process.exit(130);
    }
    const what = `${report.ran} ran, ${report.skipped} already complete, ${report.failed.length} failed`;
    if (!all) {
      if (options.quiet !== true) process.stdout.write(`sweep ${plan.file.name}: runs ${describeIndices(indices)} of ${plan.runs.length} (${what}) in ${dir.path}/\n`);
      process.exitCode = report.failed.length === 0 ? 0 : 1;
      return;
    }
    const tables = writeTables(plan, dir, packageVersion());
    await drawSweepReport(dir);
    if (options.quiet !== true) process.stdout.write(`sweep ${plan.file.name}: ${plan.runs.length} runs (${what}); tables and report in ${dir.path}/\n`);
    reportProblems(tables);
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}

async function collect(plan: SweepPlan, dir: SweepDir, options: SweepCommandOptions): Promise<void> {
  const report = writeTables(plan, dir, packageVersion());
  await drawSweepReport(dir);
  if (options.quiet !== true) {
    process.stdout.write(`sweep ${plan.file.name}: ${report.complete} of ${plan.runs.length} runs complete; tables and report in ${dir.path}/\n`);
  }
  reportProblems(report);
}

/** Each metric against each varied parameter, with its 95% interval, drawn from the points.csv just written. */
async function drawSweepReport(dir: SweepDir): Promise<void> {
  // Loaded only here: vega and vega-lite take a few hundred ms to load.
  const { buildSweepReport, writeReportFiles } = await import('../report/index.js');
  writeReportFiles(dir.path, await buildSweepReport(dir.path));
}

/** Names every missing or failed run on stderr and sets exit code 1 if there is any. */
function reportProblems(report: CollectReport): void {
  for (const { run, message } of report.failed) process.stderr.write(`acmsim: run ${run.index} (${run.id}) failed: ${message}\n`);
  if (report.missing.length > 0) {
    process.stderr.write(`acmsim: ${report.missing.length} runs missing: ${report.missing.map((run) => `${run.index} (${run.id})`).join(', ')}\n`);
  }
  process.exitCode = report.failed.length + report.missing.length === 0 ? 0 : 1;
}

/** null: the whole sweep. Otherwise the indices of --index, --shard or the array task's variable. */
function selectedIndices(plan: SweepPlan, options: SweepCommandOptions): number[] | null {
  const total = plan.runs.length;
  if (options.shard !== undefined) {
    const match = /^(\d+)\/(\d+)$/.exec(options.shard);
    const shard = Number(match?.[1]);
    const shards = Number(match?.[2]);
    if (match === null || shards < 1 || shard < 1 || shard > shards) {
      throw new UsageError(`--shard: got "${options.shard}", expected K/N with 1 <= K <= N, e.g. 1/3`);
    }
    // Round-robin, so each shard gets a share of every point (points can differ in cost).
    return plan.runs.filter((run) => run.index % shards === shard - 1).map((run) => run.index);
  }
  if (options.index !== undefined) return [runIndex('--index', options.index, total)];
  for (const variable of INDEX_VARIABLES) {
    const value = process.env[variable];
    if (value !== undefined && value !== '') return [runIndex(variable, value, total)];
  }
  return null;
}

function runIndex(source: string, value: string, total: number): number {
  if (!/^\d+$/.test(value) || Number(value) >= total) {
    throw new UsageError(`${source}: got "${value}", expected a run index from 0 to ${total - 1} (the sweep has ${total} runs)`);
  }
  return Number(value);
}

function describeIndices(indices: readonly number[]): string {
  return indices.length <= 8 ? indices.join(', ') : `${indices.slice(0, 8).join(', ')}, ... (${indices.length})`;
}

function parseJobs(value: string | undefined): number {
  if (value === undefined) return availableParallelism();
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new UsageError(`--jobs: got "${value}", expected a whole number >= 1`);
  return Number(value);
}

function emit(plan: SweepPlan, kind: string, sweepPath: string, options: SweepCommandOptions): void {
  const parallel = options.jobs === undefined ? undefined : parseJobs(options.jobs);
  const image = options.image ?? 'acmsim:latest';
  if (kind === 'slurm') {
    const cliPath = fileURLToPath(new URL('./main.js', import.meta.url));
    const outDir = path.resolve(options.out ?? path.join('results', plan.file.name));
    process.stdout.write(slurmScript(plan, { cliPath, sweepPath: path.resolve(sweepPath), outDir, image, ...(parallel === undefined ? {} : { parallel }) }));
    return;
  }
  if (kind === 'k8s') {
    const relativeSweep = path.relative(process.cwd(), path.resolve(sweepPath)).split(path.sep).join('/');
    const outDir = options.out ?? `${K8S_RESULTS}/${plan.file.name}`;
    process.stdout.write(kubernetesJob(plan, { cliPath: 'dist/src/cli/main.js', sweepPath: relativeSweep, outDir, image, ...(parallel === undefined ? {} : { parallel }) }));
    return;
  }
  throw new UsageError(`--emit: got "${kind}", expected slurm or k8s`);
}

