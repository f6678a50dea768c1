// `acmsim check` without the terminal: load every scenario, run them on a worker pool, evaluate their
// expectations and baselines, and hand back the verdict. Throws CheckInputError or ScenarioError on bad input.
import { firstDivergence } from '../kernel/trace.js';
import { formatSeconds } from '../metrics/format.js';
import type { TraceData } from './run-one.js';
import { readTrace, writeTrace } from './trace-file.js';
import { existsSync, statSync } from 'node:fs';
import { displayPath, loadScenario, ScenarioError, type Scenario } from '../scenario/index.js';
import type { RunSummary } from '../run/run.js';
import { baselineFileName, compareWithBaseline, readBaseline, writeBaseline } from './baseline.js';
import type { CheckRow } from './check-row.js';
import { collectScenarioFiles } from './collect.js';
import { CheckInputError } from './errors.js';
import { checkDirectoryTarget } from './targets.js';
import { evaluateExpectations } from './expectations.js';
import { runAll } from '../pool/index.js';
import { RUN_JOB_TASK, type RunJobResult } from './run-one.js';

export interface CheckOptions {
  /** Worker threads; 1 runs everything in this thread. The results are the same for any count. */
  readonly jobs: number;
  /** Directory of baselines (DIR/<scenario name>.json) to compare with, or to write with updateBaseline. */
  readonly baselineDir?: string;
  /** Write each run's summary as its new baseline instead of comparing with the stored one. */
  readonly updateBaseline?: boolean;
  /**
   * Record the event trajectory (DIR/<name>.trace next to the baseline) and, when a fingerprint differs from
   * its baseline, say at which event the two runs first diverged.
   */
  readonly debugTrace?: boolean;
  /** Called as each scenario finishes, in completion order. */
  readonly onScenarioDone?: (outcome: ScenarioOutcome, done: number, total: number) => void;
}

export interface ScenarioOutcome {
  readonly name: string;
  /** The path as given (or as found in a directory). */
  readonly path: string;
  /** Expectation rows in the scenario's order, then baseline rows. */
  readonly rows: readonly CheckRow[];
  /** Set when the run stopped with an error inside the simulator (not bad input). */
  readonly error?: string;
  /** Wall time of the run (load and simulate) in its worker. */
  readonly wallS: number;
  readonly summary?: RunSummary;
  /** Where the baseline was written, with updateBaseline. */
  readonly baselineWritten?: string;
}

export interface CheckReport {
  readonly outcomes: readonly ScenarioOutcome[];
  readonly passed: number;
  /** Failed checks plus scenarios that could not run. */
  readonly failed: number;
  readonly ok: boolean;
}

/**
 * A scenario with no expectations, checked without a baseline, would run (a default scenario is the whole
 * 48-hour replay) and then check nothing: almost surely the wrong file, so it is refused before running.
 */
function requireSomethingToCheck(scenarios: readonly Scenario[], paths: readonly string[], options: CheckOptions): void {
  if (options.baselineDir !== undefined) return;
  const index = scenarios.findIndex((scenario) => scenario.expect.length === 0);
  if (index < 0) return;
  throw new CheckInputError(
    `${displayPath(paths[index] as string)}: expect: got no expectations, expected at least one to check ` +
    '(or --baseline DIR to compare the run with a stored one)',
  );
}

/** Loads every file first, so that one bad file stops the check before anything runs. */
export function loadAll(paths: readonly string[]): Scenario[] {
  const scenarios: Scenario[] = [];
  const problems: ScenarioError[] = [];
  for (const path of paths) {
    try {
      scenarios.push(loadScenario(path));
    } catch (error) {
      if (!(error instanceof ScenarioError)) throw error;
      problems.push(error);
    }
  }
  if (problems.length === 1) throw problems[0] as ScenarioError;
  if (problems.length > 1) throw new CheckInputError(`${problems.length} scenario files are invalid:\n${problems.map((problem) => problem.message).join('\n')}`);
  const byBaselineFile = new Map<string, { readonly name: string; readonly path: string }>();
  for (let i = 0; i < scenarios.length; i++) {
    const name = (scenarios[i] as Scenario).name;
    // Names key the baselines and the JUnit suites, so two files may not share one. Compared as the
    // baseline file names they become (file-safe, and without case, for case-insensitive file systems).
    const key = baselineFileName(name).toLowerCase();
    const other = byBaselineFile.get(key);
    if (other !== undefined) {
      const same = other.name === name ? `are both named "${name}"` : `are named "${other.name}" and "${name}", which share the baseline file ${baselineFileName(name)}`;
      throw new CheckInputError(`${paths[i]} and ${other.path} ${same}: scenario names must be unique`);
    }
    byBaselineFile.set(key, { name, path: paths[i] as string });
  }
  return scenarios;
}

function checkBaselineOptions(options: CheckOptions): void {
  if (options.updateBaseline === true && options.baselineDir === undefined) {
    throw new CheckInputError('--update-baseline needs --baseline DIR: the directory to write the baselines into');
  }
  if (options.baselineDir !== undefined && options.updateBaseline === true) {
    // Checked before anything runs: otherwise a file in the way is found after every scenario has run.
    try {
      checkDirectoryTarget(options.baselineDir);
    } catch (error) {
      throw new CheckInputError(`--baseline ${options.baselineDir}: cannot write baselines there (${(error as Error).message})`);
    }
  }
  if (options.baselineDir !== undefined && options.updateBaseline !== true) {
    if (!existsSync(options.baselineDir) || !statSync(options.baselineDir).isDirectory()) {
      throw new CheckInputError(`--baseline ${options.baselineDir}: no such directory (create the baselines with --update-baseline)`);
    }
  }
}

export async function checkScenarios(inputs: readonly string[], options: CheckOptions): Promise<CheckReport> {
  if (!Number.isInteger(options.jobs) || options.jobs < 1) throw new CheckInputError(`jobs: got ${options.jobs}, expected a whole number >= 1`);
  checkBaselineOptions(options);
  const paths = collectScenarioFiles(inputs);
  const scenarios = loadAll(paths);
  requireSomethingToCheck(scenarios, paths, options);

  const outcomes: (ScenarioOutcome | undefined)[] = new Array<ScenarioOutcome | undefined>(scenarios.length).fill(undefined);
  let done = 0;
  const results = await runAll(
    RUN_JOB_TASK,
    scenarios.map((_scenario, index) => ({ index, scenarioPath: paths[index] as string, traceEvents: options.debugTrace === true })),
    {
      workers: options.jobs,
      // Even one scenario runs on a worker thread: the main thread then stays free to notice a signal.
      keepMainThreadFree: true,
      onResult: (result) => {
        const outcome = outcomeOf(scenarios[result.index] as Scenario, paths[result.index] as string, result, options);
        outcomes[result.index] = outcome;
        done++;
        options.onScenarioDone?.(outcome, done, scenarios.length);
      },
    },
  );
  const inputErrors = results.filter((result) => !result.ok && result.inputError);
  if (inputErrors.length > 0) {
    // E.g. a fault naming a country that the generated topology lacks: found only when the world is built.
    throw new CheckInputError(inputErrors.map((result) => (result.ok ? '' : result.message)).join('\n'));
  }
  const finished = outcomes as ScenarioOutcome[];
  let passed = 0;
  let failed = 0;
  for (const outcome of finished) {
    for (const row of outcome.rows) {
      if (row.pass) passed++;
      else failed++;
    }
    if (outcome.error !== undefined) failed++;
  }
  return { outcomes: finished, passed, failed, ok: failed === 0 };
}

/** Adds to a failed fingerprint row where the trajectory first left the baseline's. */
function explainDivergence(rows: CheckRow[], baseline: TraceData | null, actual: TraceData): void {
  const index = rows.findIndex((row) => row.metric === 'fingerprint' && !row.pass);
  if (index < 0) return;
  const row = rows[index] as CheckRow;
  let detail: string;
  if (baseline === null) {
    detail = 'no baseline trace to compare with (record one with --update-baseline --debug-trace)';
  } else {
    const divergence = firstDivergence(baseline, actual);
    detail = divergence === null
      ? 'the traces match event by event'
      : `first diverged at event ${divergence.event + 1} (baseline t=${formatEventTime(divergence.timeUsA)} s, now t=${formatEventTime(divergence.timeUsB)} s)`;
  }
  rows[index] = { ...row, message: `${row.message}; ${detail}` };
}

function formatEventTime(timeUs: number): string {
  return Number.isFinite(timeUs) ? formatSeconds(timeUs) : '(run ended)';
}

function outcomeOf(scenario: Scenario, path: string, result: RunJobResult, options: CheckOptions): ScenarioOutcome {
  const base = { name: scenario.name, path, wallS: result.wallS };
  if (!result.ok) return { ...base, rows: [], error: result.stack };
  const summary = result.summary;
  const rows: CheckRow[] = evaluateExpectations(scenario.name, summary, scenario.expect);
  let baselineWritten: string | undefined;
  if (options.baselineDir !== undefined) {
    if (options.updateBaseline === true) {
      baselineWritten = writeBaseline(options.baselineDir, scenario.name, summary);
      if (result.trace !== undefined) writeTrace(options.baselineDir, scenario.name, result.trace);
    } else {
      const stored = readBaseline(options.baselineDir, scenario.name);
      if (stored.found) {
        const compared = compareWithBaseline(scenario.name, summary, stored.summary, scenario.expect, scenario.metrics.fingerprint);
        if (result.trace !== undefined) explainDivergence(compared, readTrace(options.baselineDir, scenario.name), result.trace);
        rows.push(...compared);
      } else {
        rows.push({ scenario: scenario.name, source: 'baseline', metric: '(file)', expected: stored.path, actual: '(missing)', pass: false, message: stored.message });
      }
    }
  }
  return { ...base, rows, summary, ...(baselineWritten === undefined ? {} : { baselineWritten }) };
}
