// `acmsim check <scenario|dir...>`: runs scenarios on a worker pool and checks their expectations (and
// baselines); prints a table, optionally writes JUnit XML. Exit 0 all hold, 1 any fails, 2 bad input.
import { availableParallelism } from 'node:os';
import { checkScenarios, type ScenarioOutcome } from '../check/check.js';
import { CheckInputError } from '../check/errors.js';
import { JunitFile, junitXml } from '../check/junit.js';
import { formatFailures, formatTable } from '../check/table.js';
import { UsageError } from './errors.js';
import { HANDLED_SIGNALS, exitCodeOf } from './signals.js';

export interface CheckCommandOptions {
  readonly junit?: string;
  readonly baseline?: string;
  readonly updateBaseline?: boolean;
  readonly debugTrace?: boolean;
  readonly jobs?: string;
  readonly quiet?: boolean;
}

/** One worker per core by default (issue 7); never more workers than scenarios. */
export function defaultJobs(): number {
  return availableParallelism();
}

function parseJobs(value: string | undefined): number {
  if (value === undefined) return defaultJobs();
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new UsageError(`--jobs: got "${value}", expected a whole number >= 1`);
  return Number(value);
}

export async function checkCommand(inputs: readonly string[], options: CheckCommandOptions): Promise<void> {
  const jobs = parseJobs(options.jobs);
  const startNs = process.hrtime.bigint();
  const junit = options.junit === undefined ? undefined : new JunitFile(options.junit);
  try {
    junit?.reserve(); // fail on an unwritable --junit before running anything
  } catch (error) {
    throw new UsageError(`--junit ${options.junit}: cannot write there (${(error as Error).message})`);
  }
  const quiet = options.quiet === true;
  // A signal ends the check at once: workers die with the process, baselines are written whole (a write
  // and a rename inside one turn of the event loop), and the JUnit file is written only at the end.
  const onSignal = (signal: NodeJS.Signals): void => {
    process.stderr.write(`acmsim: interrupted by ${signal}; no JUnit file written\n`);
    process.exit(exitCodeOf(signal));
  };
  for (const signal of HANDLED_SIGNALS) process.on(signal, onSignal);
  let report;
  try {
    report = await checkScenarios(inputs, {
      jobs,
      ...(options.baseline === undefined ? {} : { baselineDir: options.baseline }),
      updateBaseline: options.updateBaseline === true,
      debugTrace: options.debugTrace === true,
      onScenarioDone: (outcome, done, total) => {
        if (!quiet) process.stderr.write(`[${done}/${total}] ${describeOutcome(outcome)}\n`);
      },
    });
  } catch (error) {
    if (error instanceof CheckInputError) throw new UsageError(error.message);
    throw error;
  } finally {
    for (const signal of HANDLED_SIGNALS) process.removeListener(signal, onSignal);
  }
  const wallS = Number(process.hrtime.bigint() - startNs) / 1e9;
  process.stdout.write(formatTable(report.outcomes));
  const failures = formatFailures(report.outcomes);
  if (failures !== '') process.stdout.write(`\n${failures}`);
  for (const outcome of report.outcomes) {
    if (outcome.baselineWritten !== undefined) process.stdout.write(`baseline written: ${outcome.baselineWritten}\n`);
  }
  junit?.commit(junitXml(report.outcomes));
  process.stdout.write(
    `\n${report.outcomes.length} scenarios in ${wallS.toFixed(1)} s wall with ${Math.min(jobs, report.outcomes.length)} worker(s)` +
    `${junit === undefined ? '' : `; JUnit XML in ${junit.finalPath}`}\n`,
  );
  // Alone on its line in the "N passed, N failed" form that CI log readers recognise.
  process.stdout.write(`check: ${report.passed} passed, ${report.failed} failed\n`);
  process.exitCode = report.ok ? 0 : 1;
}

function describeOutcome(outcome: ScenarioOutcome): string {
  const failed = outcome.rows.filter((row) => !row.pass).length + (outcome.error === undefined ? 0 : 1);
  const verdict = failed === 0 ? 'ok' : `${failed} FAILED`;
  return `${outcome.name} (${outcome.path}): ${verdict}, ${outcome.wallS.toFixed(1)} s`;
}
